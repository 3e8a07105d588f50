"""A 10/10 bicycle parade from plan to progress: the coordinator plans the event, young people sign up
on their phones, organisers check them in by QR code, leaders record banners and door-to-door visits
with photos, and the campaign's progress moves."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from tests.browser.conftest import screenshot, sign_in
from xungkich.campaigns.models import Activity, ActivityPhoto, Campaign, Registration
from xungkich.demo.campaigns import CAMPAIGN_NAME

pytestmark = pytest.mark.django_db(transaction=True)


def gps_jpeg(path) -> None:  # type: ignore[no-untyped-def]
    image = Image.new("RGB", (1200, 900), (180, 20, 20))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (15.0, 52.0, 48.0), "E", (108.0, 19.0, 30.0)
    image.save(path, "JPEG", exif=exif.tobytes())
    assert Image.open(path).getexif().get_ifd(0x8825)


def figure(page, key: str) -> int:  # type: ignore[no-untyped-def]
    return int(page.locator(f"#progress-table tr[data-key={key}] td[data-value]").inner_text())


def record_activity(page, campaign_id: int, kind: str, title: str, photo, **counts: int) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"/campaigns/{campaign_id}/activities/new/")
    page.select_option("#id_kind", kind)
    page.fill("#id_title", title)
    page.fill("#id_date", page.input_value("#id_date") or "")
    page.select_option("#id_ward", label="Phường Hội An")
    page.fill("#id_address", "Khối phố An Hội")
    for name, value in counts.items():
        page.fill(f"#id_{name}", str(value))
    page.set_input_files("#id_photos", str(photo))
    page.click("#activity-form button[type=submit]")
    page.wait_for_url(re.compile(r"/campaigns/activities/\d+/$"))
    assert page.locator("#photos img").count() == 1


def test_parade_from_plan_to_progress(page, browser, live_server, tmp_path):  # type: ignore[no-untyped-def]
    # The wards ship in a data migration, which earlier transactional tests may have flushed away.
    call_command("load_admin_units", stdout=io.StringIO())
    call_command("load_demo", volume=0, stdout=io.StringIO())
    campaign = Campaign.objects.get(name=CAMPAIGN_NAME)
    year = campaign.start_date.year

    # The coordinator plans the parade.
    sign_in(page, "dieuphoi")
    page.goto("/campaigns/")
    page.get_by_role("link", name=CAMPAIGN_NAME).click()
    before = {key: figure(page, key) for key in ("materials", "participants", "citizens_helped")}
    page.click("#event-new")
    page.fill("#id_title", "Diễu hành xe đạp 10/10")
    page.fill("#id_starts_at", f"{year}-10-10T06:30")
    page.fill("#id_place", "Quảng trường sông Hoài")
    page.fill("#id_capacity", "2")
    page.click("#event-form button[type=submit]")
    page.wait_for_url(re.compile(r"/events/\d+/$"))
    signup_url = page.locator("#signup-link").inner_text()
    event_url = page.url

    # Young people sign up on their phones (a separate browser without any account).
    public = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 390, "height": 844}
    )
    phone = public.new_page()
    phone.set_default_timeout(10_000)
    tokens = []
    for name, number, unit in (
        ("Nguyễn Thị Hoa", "0905 777 001", None),
        ("Trần Văn Bình", "0905.777.002", "Chi đoàn Cẩm Phô"),
        ("Lê Thị Cúc", "0905777003", None),
    ):
        phone.goto(signup_url)
        phone.fill("#id_full_name", name)
        if unit:
            phone.fill("#id_unit_text", unit)
        else:
            phone.select_option("#id_unit", index=1)
        phone.fill("#id_phone", number)
        if not tokens:
            screenshot(phone, "campaigns-signup")
            phone.click("#signup-submit")  # consent not ticked: refused, nothing stored
            assert phone.locator("#signup-form .errorlist").first.is_visible()
            assert Registration.objects.count() == 0
        phone.check("#id_consent")
        phone.click("#signup-submit")
        phone.wait_for_url(re.compile(r"/e/t/[^/]+/$"))
        tokens.append(phone.url.rstrip("/").rsplit("/", 1)[-1])
        if len(tokens) == 1:
            assert phone.locator(".ticket-qr svg").is_visible()
            screenshot(phone, "campaigns-ticket")
    assert "danh sách chờ" in phone.locator("#ticket-status").inner_text()  # the third one waits

    # The same phone number cannot take a second place.
    phone.goto(signup_url)
    phone.fill("#id_full_name", "Nguyễn Thị Hoa")
    phone.fill("#id_unit_text", "Chi đoàn Cẩm Phô")
    phone.fill("#id_phone", "+84905777001")
    phone.check("#id_consent")
    phone.click("#signup-submit")
    assert "đã đăng ký" in phone.locator("#signup-form").inner_text()

    # Check-in: the scanner's decode callback fills the code box and submits it, like the camera does.
    page.goto(event_url + "checkin/")
    assert page.locator("#checkin-form").is_visible()  # works without a camera
    assert page.locator("#checkin-submit").inner_text() == "Xác nhận có mặt"  # not a shift's wording
    assert "vào ca" not in page.locator("main").inner_text()
    screenshot(page, "campaigns-checkin")
    ticket_url = f"{live_server.url}/e/t/{tokens[0]}/"
    page.evaluate("text => window.xkCheckinSubmit(text)", ticket_url)
    outcome = page.locator("#checkin-outcome")
    outcome.wait_for()
    assert outcome.get_attribute("data-code") == "ok"
    assert "Nguyễn Thị Hoa" in outcome.inner_text()
    page.evaluate("text => window.xkCheckinSubmit(text)", ticket_url)  # a double scan
    page.wait_for_selector("#checkin-outcome[data-code=checkin_already]")
    assert "Đã check-in rồi" in page.locator("#checkin-outcome").inner_text()
    screenshot(page, "campaigns-checkin-already")
    # The second person types the short code printed on the ticket.
    code = Registration.objects.get(token=tokens[1]).code
    page.fill("#id_code", code.lower())
    page.click("#checkin-submit")
    page.wait_for_selector("#checkin-outcome[data-code=ok]")
    assert "2/2" in page.locator("#checkin-counts").inner_text()
    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 2

    # The unit leader records the banners and the door-to-door visits with photos.
    photo = tmp_path / "banner.jpg"
    gps_jpeg(photo)
    leader = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 390, "height": 844}
    )
    leader_page = leader.new_page()
    leader_page.set_default_timeout(10_000)
    sign_in(leader_page, "chidoan")
    record_activity(
        leader_page,
        campaign.pk,
        "banners",
        "Treo băng rôn đường Nguyễn Duy Hiệu",
        photo,
        materials_count=15,
        participants_count=6,
    )
    record_activity(
        leader_page,
        campaign.pk,
        "door_to_door",
        "Hướng dẫn VNeID tại nhà khối An Hội",
        photo,
        participants_count=5,
        people_reached=60,
        citizens_helped=25,
        accounts_created=11,
    )
    for stored in ActivityPhoto.objects.filter(activity__created_by__username="chidoan"):
        with default_storage.open(stored.image.name, "rb") as handle:
            assert len(Image.open(io.BytesIO(handle.read())).getexif()) == 0
    assert Activity.objects.filter(created_by__username="chidoan").count() == 2

    # Progress has moved.
    page.goto(f"/campaigns/{campaign.pk}/")
    assert figure(page, "materials") == before["materials"] + 15
    assert figure(page, "participants") == before["participants"] + 6 + 5 + 2
    assert figure(page, "citizens_helped") == before["citizens_helped"] + 25
    assert page.locator("#progress-chart").is_visible()
    screenshot(page, "campaigns-campaign")
    public.close()
    leader.close()


def test_citizen_event_sign_up_without_a_unit_and_a_lost_ticket_sent_again(  # type: ignore[no-untyped-def]
    page, open_page, live_server, settings
):
    from xungkich.campaigns.tests.conftest import SmsOutbox

    settings.XK_NOTIFIER = "xungkich.campaigns.tests.conftest.SmsOutbox"
    settings.XK_BASE_URL = live_server.url
    SmsOutbox.sent = []
    call_command("load_admin_units", stdout=io.StringIO())
    call_command("load_demo", volume=0, stdout=io.StringIO())
    campaign = Campaign.objects.get(name=CAMPAIGN_NAME)

    # The coordinator opens a VNeID day to citizens: no Youth Union unit will be asked.
    sign_in(page, "dieuphoi")
    page.goto(f"/campaigns/{campaign.pk}/events/new/")
    page.fill("#id_title", "Ngày hội VNeID cho người cao tuổi")
    page.fill("#id_starts_at", f"{campaign.start_date.year}-10-12T08:00")
    page.fill("#id_place", "Nhà văn hoá khối An Hội")
    page.get_by_label("Người dân (mọi người đều đăng ký được)").check()
    screenshot(page, "events-event-form")
    page.click("#event-form button[type=submit]")
    page.wait_for_url(re.compile(r"/events/\d+/$"))
    assert "Người dân" in page.locator("#event-audience").inner_text()
    signup_url = page.locator("#signup-link").inner_text()

    # An older citizen signs up on her phone with her name and phone number only.
    phone = open_page(390, 844)
    phone.goto(signup_url)
    assert phone.locator("#id_unit").count() == 0 and phone.locator("#id_unit_text").count() == 0
    phone.fill("#id_full_name", "Phan Thị Lài")
    phone.fill("#id_phone", "0935 111 222")
    phone.check("#id_consent")
    screenshot(phone, "events-citizen-signup")
    phone.click("#signup-submit")
    phone.wait_for_url(re.compile(r"/e/t/[^/]+/$"))
    registration = Registration.objects.get(phone="+84935111222")
    assert registration.unit is None and registration.unit_text == ""
    assert "họ tên và số điện thoại" in registration.consent_text  # no unit in what she agreed to

    # She loses the ticket: on another day, from the sign-up page, "Tôi bị mất vé".
    again = open_page(390, 844)
    again.goto(signup_url)
    again.click("#ticket-lost-link")
    again.fill("#id_phone", "0935.111.222")
    screenshot(again, "events-ticket-lost")
    again.click("#lost-submit")
    assert "0935 111 222" in again.locator("#lost-sent").inner_text()
    screenshot(again, "events-ticket-lost-sent")
    [message] = SmsOutbox.sent
    assert message["phone"] == "+84935111222"
    assert registration.code in message["body"]

    # She follows the link in the message and sees her ticket with its QR code.
    [link] = re.findall(r"https?://\S+", "\n".join(url for _label, url in message["links"]))
    again.goto(link)
    assert again.locator(".ticket-qr svg").is_visible()
    assert again.locator("#ticket-code").inner_text() == registration.code
    assert "Phan Thị Lài" in again.locator("#ticket").inner_text()
    screenshot(again, "events-ticket-resent")
