"""Campaign fixtures on top of the shared personas (Hội An runs the campaign, Minh An takes part)."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

import pytest
from PIL import Image

from xungkich.campaigns import services
from xungkich.campaigns.models import Activity, Campaign, Event, Registration

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
YEAR = dt.date.today().year + 1


@pytest.fixture
def campaign(units, coordinator) -> Campaign:
    return services.create_campaign(
        by=coordinator,
        data={
            "name": "Ngày Chuyển đổi số 10/10",
            "unit": units["hoian"],
            "start_date": dt.date(YEAR, 10, 1),
            "end_date": dt.date(YEAR, 10, 31),
            "target_citizens_helped": 100,
            "target_accounts_created": 50,
            "target_materials": 20,
            "target_participants": 40,
        },
        units=[units["branch"]],
    )


@pytest.fixture
def event(campaign, coordinator) -> Event:
    return services.create_event(
        campaign=campaign,
        by=coordinator,
        data={
            "title": "Diễu hành xe đạp",
            "starts_at": dt.datetime(YEAR, 10, 10, 6, 30, tzinfo=HCM),
            "place": "Quảng trường sông Hoài",
            "capacity": 2,
            "registration_open": True,
        },
    )


@pytest.fixture
def activity(campaign, coordinator) -> Activity:
    return services.record_activity(
        campaign=campaign,
        by=coordinator,
        data={
            "kind": Activity.Kind.BANNERS,
            "title": "Treo băng rôn",
            "date": dt.date(YEAR, 10, 3),
            "materials_count": 12,
            "participants_count": 6,
        },
        units=[],
    )


def register(event: Event, name: str, phone: str) -> Registration:
    return services.register(
        event=event,
        full_name=name,
        phone=phone,
        unit=None,
        unit_text="Chi đoàn Cẩm Phô",
        consent_version=services.CONSENT_VERSION,
    )


def jpeg_with_gps(size: tuple[int, int] = (400, 300), orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (15.0, 52.0, 48.0)
    gps[3] = "E"
    gps[4] = (108.0, 19.0, 30.0)
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


class SmsOutbox:
    """A notifier (``settings.XK_NOTIFIER``) that keeps each message with the phone it went to."""

    name = "sms-outbox"
    sent: list[dict] = []
    fail = False

    def send(self, *, to, subject, body, links=()):
        if SmsOutbox.fail:
            raise ConnectionError("gateway down")
        phone = getattr(to, "phone", "")
        if not phone:
            return False
        SmsOutbox.sent.append({"phone": phone, "subject": subject, "body": body, "links": list(links)})
        return True


@pytest.fixture
def outbox(settings):
    settings.XK_NOTIFIER = "xungkich.campaigns.tests.conftest.SmsOutbox"
    settings.XK_BASE_URL = "https://xungkich.example.vn"
    SmsOutbox.sent = []
    SmsOutbox.fail = False
    yield SmsOutbox.sent
    SmsOutbox.sent = []
    SmsOutbox.fail = False
