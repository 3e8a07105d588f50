"""Demo data: the National Digital Transformation Day (10/10) campaign in Hội An. Idempotent."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db import transaction
from django.utils import timezone

from xungkich.campaigns import services
from xungkich.campaigns.models import Activity, Campaign
from xungkich.people.models import AdminUnit, OrgUnit, User

CAMPAIGN_NAME = "Ngày Chuyển đổi số quốc gia 10/10"
HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def _year() -> int:
    """This year's 10/10 while it is still ahead or recent, else next year's (sign-up stays open)."""
    today = timezone.localdate()
    return today.year if today <= dt.date(today.year, 10, 10) else today.year + 1


@transaction.atomic
def load_demo_campaigns() -> Campaign | None:
    hoian = OrgUnit.objects.filter(name="Đoàn phường Hội An").first()
    if hoian is None:
        return None
    existing = Campaign.objects.filter(name=CAMPAIGN_NAME, unit=hoian).first()
    if existing is not None:
        return existing
    by = User.objects.filter(username="dieuphoi").first() or User.objects.filter(is_superuser=True).first()
    if by is None:
        return None
    year = _year()
    branches = list(hoian.children.order_by("path")[:3])
    ward = AdminUnit.objects.filter(code="20410").first()
    campaign = services.create_campaign(
        by=by,
        data={
            "name": CAMPAIGN_NAME,
            "description": "Tuyên truyền, hướng dẫn người dân sử dụng dịch vụ công trực tuyến và VNeID.",
            "unit": hoian,
            "start_date": dt.date(year, 10, 1),
            "end_date": dt.date(year, 10, 31),
            "target_citizens_helped": 300,
            "target_accounts_created": 150,
            "target_materials": 40,
            "target_participants": 120,
        },
        units=branches,
    )
    services.create_event(
        campaign=campaign,
        by=by,
        data={
            "title": "Diễu hành xe đạp hưởng ứng Ngày Chuyển đổi số",
            "description": (
                "Tập trung tại Quảng trường sông Hoài, mang theo xe đạp và áo Thanh niên tình nguyện."
            ),
            "starts_at": dt.datetime(year, 10, 10, 6, 30, tzinfo=HCM),
            "place": "Quảng trường sông Hoài, phường Hội An",
            "ward": ward,
            "capacity": 80,
            "registration_open": True,
        },
    )
    for kind, title, day, address, counts in (
        (
            Activity.Kind.BANNERS,
            "Treo băng rôn, khẩu hiệu trên đường Trần Hưng Đạo",
            3,
            "Đường Trần Hưng Đạo",
            {"materials_count": 24, "participants_count": 12, "people_reached": 0},
        ),
        (
            Activity.Kind.DOOR_TO_DOOR,
            "Đến từng nhà hướng dẫn cài đặt VNeID khối phố An Hội",
            5,
            "Khối phố An Hội",
            {"participants_count": 8, "people_reached": 140, "citizens_helped": 46, "accounts_created": 21},
        ),
    ):
        services.record_activity(
            campaign=campaign,
            by=by,
            data={
                "kind": kind,
                "title": title,
                "date": dt.date(year, 10, day),
                "ward": ward,
                "address": address,
                **counts,
            },
            units=branches[:1],
        )
    return campaign
