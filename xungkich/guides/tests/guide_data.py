"""Test data for the guide tests: guides in each state and catalogue procedures."""

from __future__ import annotations

from typing import Any

from xungkich.guides import services
from xungkich.guides.models import Guide
from xungkich.people.models import OrgUnit, User

STEPS = [
    services.DraftStep(title="Mở ứng dụng VNeID", body="Bấm vào biểu tượng VNeID.", tip="Cần có mạng."),
    services.DraftStep(title="Bấm Đăng ký", body="Nhập số định danh cá nhân.\n\nNhập số điện thoại."),
]


def draft(**extra: Any) -> services.Draft:
    data: dict[str, Any] = {
        "title": "Đăng ký tài khoản VNeID",
        "summary": "Tự đăng ký tài khoản mức 1.",
        "steps": STEPS,
        "prepare": ["Thẻ căn cước gắn chip"],
        "problems": [{"problem": "Không nhận được OTP", "solution": "Chờ rồi bấm Gửi lại mã."}],
        "needs": ["account"],
        "aliases": ["tạo tài khoản vneid"],
    }
    data.update(extra)
    return services.Draft(**data)


def make_guide(
    *,
    slug: str = "dang-ky-vneid",
    unit: OrgUnit | None = None,
    by: User | None = None,
    publish: bool = True,
    **extra: Any,
) -> Guide:
    guide = services.create_guide(by=by, slug=slug, title="Đăng ký tài khoản VNeID", unit=unit)
    guide = services.save_draft(guide=guide, by=by, draft=draft(**extra))
    if publish:
        services.publish_guide(guide=guide, by=by)
    guide.refresh_from_db()
    return guide


def make_procedure(code: str, name: str) -> Any:
    """A catalogue procedure done fully online, free online and 50.000 đ in person."""
    from xungkich.catalogue.models import Fee, Procedure, SubmissionChannel

    procedure = Procedure.objects.create(code=code, name=name, online_mode=Procedure.OnlineMode.FULL)
    online = SubmissionChannel.objects.create(procedure=procedure, kind=SubmissionChannel.Kind.ONLINE)
    Fee.objects.create(channel=online, amount=0)
    desk = SubmissionChannel.objects.create(procedure=procedure, kind=SubmissionChannel.Kind.IN_PERSON)
    Fee.objects.create(channel=desk, amount=50000)
    return procedure


def change_procedure(
    procedure: Any, *, fee: bool = False, name: str | None = None, mode: str | None = None
) -> None:
    from xungkich.catalogue.models import Fee

    if fee:
        Fee.objects.filter(channel__procedure=procedure, amount=50000).update(amount=25000)
    if name is not None:
        procedure.name = name
    if mode is not None:
        procedure.online_mode = mode
    procedure.save()


def indexed(slug: str) -> dict[str, Any] | None:
    from xungkich.search.models import SearchDocument

    doc = SearchDocument.objects.filter(kind="guide", code=slug).first()
    if doc is None:
        return None
    return {"title": doc.title, "text": doc.body, "aliases": list(doc.aliases), "url": doc.url}
