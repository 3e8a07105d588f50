"""The public sign-up, ticket and self-cancel pages (no account), with the rate limit."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from xungkich.campaigns import services, views_public
from xungkich.campaigns.models import Registration
from xungkich.campaigns.tests.conftest import register
from xungkich.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


def signup_url(event):
    return reverse("campaigns:signup", args=[event.code])


def form(**extra):
    data = {
        "full_name": "Nguyễn  Thị Mai",
        "unit": "",
        "unit_text": "Chi đoàn Cẩm Phô",
        "phone": "0905.222.333",
        "consent": "on",
        "consent_version": services.CONSENT_VERSION,
    }
    data.update(extra)
    return data


def test_sign_up_page_shows_the_event_and_an_unticked_consent(client, event):
    response = client.get(signup_url(event))
    html = response.content.decode()
    assert response.status_code == 200
    assert event.title in html
    assert 'name="consent"' in html
    assert "checked" not in html.split('name="consent"')[1].split(">")[0]
    assert views_public.consent_text() in html


def test_sign_up_gives_a_ticket(client, event, units):
    response = client.post(signup_url(event), form(unit=units["branch"].pk, unit_text="ignored"))
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:ticket", args=[registration.token])
    assert registration.full_name == "Nguyễn Thị Mai"
    assert registration.phone == "+84905222333"
    assert registration.unit == units["branch"]
    assert registration.unit_text == ""
    assert registration.consent_version == services.CONSENT_VERSION
    assert registration.consent_text.startswith("Tôi đồng ý để đơn vị Đoàn tổ chức lưu họ tên")


def test_ticket_shows_an_inline_qr_code_with_the_ticket_address(client, event):
    ticket = register(event, "Nguyễn Văn An", "+84905000001")
    response = client.get(reverse("campaigns:ticket", args=[ticket.token]))
    html = response.content.decode()
    assert "<svg" in html and ticket.code in html
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_sign_up_without_consent_is_refused(client, event):
    response = client.post(signup_url(event), form(consent=""))
    assert response.status_code == 400
    assert "consent" in response.context["form"].errors
    assert not Registration.objects.exists()


def test_bad_phone_and_missing_unit_are_clear_errors(client, event):
    response = client.post(signup_url(event), form(phone="12345", unit_text=""))
    errors = response.context["form"].errors
    assert "0905 123 456" in errors["phone"][0]
    assert "unit_text" in errors


def test_duplicate_phone_is_refused(client, event):
    client.post(signup_url(event), form())
    response = client.post(signup_url(event), form(full_name="Ai đó", phone="+84 905 222 333"))
    assert response.status_code == 400
    assert (
        "already registered" in response.context["form"].errors["phone"][0]
        or "đã đăng ký" in response.context["form"].errors["phone"][0]
    )
    assert Registration.objects.count() == 1


def test_full_event_puts_people_on_the_waiting_list(client, event):
    register(event, "A", "+84905000001")
    register(event, "B", "+84905000002")
    page = client.get(signup_url(event))
    assert page.context["places_left"] == 0
    response = client.post(signup_url(event), form())
    registration = Registration.objects.get(phone="+84905222333")
    assert registration.status == Registration.Status.WAITLISTED
    ticket = client.get(response["Location"])
    assert ticket.context["position"] == 1
    assert "<svg" not in ticket.content.decode()


def test_self_cancel_frees_the_place_for_the_waiting_list(client, event):
    first = register(event, "A", "+84905000001")
    register(event, "B", "+84905000002")
    waiting = register(event, "C", "+84905000003")
    cancel = reverse("campaigns:ticket_cancel", args=[first.token])
    assert client.get(cancel).status_code == 200
    assert client.post(cancel).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert client.post(cancel).status_code == 400
    entry = AuditEntry.objects.get(action="registration.cancel")
    assert entry.actor is None


def test_sign_up_is_rate_limited(client, event, monkeypatch):
    monkeypatch.setattr(views_public, "SIGNUP_LIMIT", 2)
    for number in range(2):
        client.post(signup_url(event), form(phone=f"090500010{number}"))
    response = client.post(signup_url(event), form(phone="0905000109"))
    assert response.status_code == 429
    assert Registration.objects.count() == 2


def test_unknown_codes_and_tokens_are_404(client):
    assert client.get(reverse("campaigns:signup", args=["nope"])).status_code == 404
    assert client.get(reverse("campaigns:ticket", args=["nope"])).status_code == 404
    assert client.get(reverse("campaigns:ticket_cancel", args=["nope"])).status_code == 404


def test_public_pages_refuse_other_methods(client, event):
    ticket = register(event, "A", "+84905000001")
    assert client.delete(signup_url(event)).status_code == 405
    assert client.post(reverse("campaigns:ticket", args=[ticket.token])).status_code == 405
    assert client.put(reverse("campaigns:ticket_cancel", args=[ticket.token])).status_code == 405


def test_closed_registration_shows_a_message(client, event):
    event.registration_open = False
    event.save()
    response = client.get(signup_url(event))
    assert 'id="signup-form"' not in response.content.decode()
    response = client.post(signup_url(event), form())
    assert response.status_code == 400
    assert not Registration.objects.exists()


# --- Who an event is for: Youth Union members (with their unit) or citizens (no unit asked) ---


@pytest.fixture
def citizen_event(campaign, coordinator):
    import datetime as dt

    from xungkich.campaigns.models import Event
    from xungkich.campaigns.tests.conftest import HCM, YEAR

    return services.create_event(
        campaign=campaign,
        by=coordinator,
        data={
            "title": "Ngày hội VNeID cho người cao tuổi",
            "starts_at": dt.datetime(YEAR, 10, 12, 8, 0, tzinfo=HCM),
            "place": "Nhà văn hoá khối An Hội",
            "capacity": 30,
            "registration_open": True,
            "audience": Event.Audience.CITIZENS,
        },
    )


def test_citizen_event_sign_up_never_asks_for_a_unit(client, citizen_event):
    html = client.get(signup_url(citizen_event)).content.decode()
    assert 'name="full_name"' in html and 'name="phone"' in html
    assert 'name="unit"' not in html and 'name="unit_text"' not in html
    assert "Đoàn" not in html.split('id="signup-form"')[1].split("</form>")[0].split("consent-text")[0]
    consent = services.consent_text(citizen_event.audience)
    assert consent in html
    assert "đơn vị Đoàn tổ chức lưu họ tên và số điện thoại" in consent  # the unit is not collected


def test_citizen_signs_up_with_name_and_phone_only(client, citizen_event):
    data = form(unit_text="", consent_version=services.consent_version_for(citizen_event))
    response = client.post(signup_url(citizen_event), data)
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:ticket", args=[registration.token])
    assert (registration.full_name, registration.phone) == ("Nguyễn Thị Mai", "+84905222333")
    assert registration.unit is None and registration.unit_text == ""
    assert registration.consent_version == services.CITIZEN_CONSENT_VERSION
    assert registration.consent_text == services.consent_text(citizen_event.audience)
    ticket = client.get(response["Location"]).content.decode()
    assert "<svg" in ticket and registration.code in ticket


def test_citizen_event_does_not_keep_a_unit_sent_anyway(client, citizen_event, units):
    data = form(unit=units["branch"].pk, consent_version=services.consent_version_for(citizen_event))
    assert client.post(signup_url(citizen_event), data).status_code == 302
    registration = Registration.objects.get()
    assert registration.unit is None and registration.unit_text == ""


def test_members_event_still_requires_a_unit(client, event):
    response = client.post(signup_url(event), form(unit="", unit_text="  "))
    assert response.status_code == 400
    assert "unit_text" in response.context["form"].errors
    assert not Registration.objects.exists()
    html = response.content.decode()
    assert 'name="unit"' in html and 'name="unit_text"' in html


# --- "I lost my ticket": the ticket link is sent again to the phone it was registered with ---


def lost_url(event):
    return reverse("campaigns:ticket_lost", args=[event.code])


def test_sign_up_page_offers_to_resend_a_lost_ticket(client, event):
    html = client.get(signup_url(event)).content.decode()
    assert f'href="{lost_url(event)}"' in html and "Tôi bị mất vé" in html
    client.post(signup_url(event), form())
    response = client.post(signup_url(event), form(full_name="Ai đó"))
    assert "mất vé" in response.context["form"].errors["phone"][0]
    assert "Look for the ticket you received" not in response.content.decode()


def test_lost_ticket_is_sent_again_to_the_registered_phone(client, event, outbox):
    ticket = register(event, "Nguyễn Văn An", "+84905000001")
    page = client.get(lost_url(event))
    assert page.status_code == 200 and 'name="phone"' in page.content.decode()
    response = client.post(lost_url(event), {"phone": "0905.000.001"})
    assert response.status_code == 200
    assert 'id="lost-sent"' in response.content.decode()
    [message] = outbox
    assert message["phone"] == "+84905000001"
    link = "https://xungkich.example.vn" + reverse("campaigns:ticket", args=[ticket.token])
    assert [url for _label, url in message["links"]] == [link]
    assert ticket.code in message["body"] and event.title in message["body"]
    assert "10/10/" in message["body"] and "06:30" in message["body"]  # local time, dd/mm/yyyy
    entry = AuditEntry.objects.get(action="registration.ticket_sent")
    assert entry.object_id == str(ticket.pk) and entry.actor is None
    assert entry.after == {"notifier": "sms-outbox", "delivered": True}


def test_lost_ticket_answer_does_not_tell_whether_a_phone_is_registered(client, event, outbox):
    register(event, "Nguyễn Văn An", "+84905000001")
    cancelled = register(event, "Trần Thị Bình", "+84905000002")
    services.cancel_registration(registration=cancelled, by=None)

    def answer(phone):
        html = client.post(lost_url(event), {"phone": phone}).content.decode()
        return html.split('id="lost-sent"')[1].split("</div>")[0]

    registered = answer("0905000001")
    assert answer("0905000009").replace("0905 000 009", "X") == registered.replace("0905 000 001", "X")
    assert answer("0905000002").replace("0905 000 002", "X") == registered.replace("0905 000 001", "X")
    assert [m["phone"] for m in outbox] == ["+84905000001"]  # nothing to unknown or cancelled numbers
    assert AuditEntry.objects.filter(action="registration.ticket_sent").count() == 1


def test_lost_ticket_goes_to_people_on_the_waiting_list_too(client, event, outbox):
    register(event, "A", "+84905000001")
    register(event, "B", "+84905000002")
    waiting = register(event, "C", "+84905000003")
    client.post(lost_url(event), {"phone": "0905000003"})
    assert outbox[0]["links"][0][1].endswith(reverse("campaigns:ticket", args=[waiting.token]))


def test_lost_ticket_with_a_bad_phone_is_a_clear_error(client, event, outbox):
    response = client.post(lost_url(event), {"phone": "12345"})
    assert response.status_code == 400
    assert "0905 123 456" in response.context["form"].errors["phone"][0]
    assert outbox == []


def test_lost_ticket_is_rate_limited_per_phone_and_per_address(client, event, outbox, settings):
    register(event, "Nguyễn Văn An", "+84905000001")
    settings.XK_EVENTS_RESEND_RATE_PER_PHONE = (2, 3600)
    settings.XK_EVENTS_RESEND_RATE_PER_IP = (4, 600)
    for _i in range(2):
        assert client.post(lost_url(event), {"phone": "0905000001"}).status_code == 200
    limited = client.post(lost_url(event), {"phone": "0905000001"}, REMOTE_ADDR="10.9.9.9")
    assert limited.status_code == 429  # the same phone from another address: no more messages
    assert "vài phút" in limited.content.decode() or "few minutes" in limited.content.decode()
    assert len(outbox) == 2
    assert client.post(lost_url(event), {"phone": "0905000008"}).status_code == 200
    assert client.post(lost_url(event), {"phone": "0905000007"}).status_code == 200
    assert client.post(lost_url(event), {"phone": "0905000006"}).status_code == 429  # 5th from here
    assert len(outbox) == 2


def test_lost_ticket_rate_limit_keys_hold_no_phone_number(event):
    key = views_public.resend_phone_key(event, "+84905000001")
    assert "905000001" not in key and event.code not in key


def test_lost_ticket_survives_a_failing_gateway(client, event, outbox):
    from xungkich.campaigns.tests.conftest import SmsOutbox

    register(event, "Nguyễn Văn An", "+84905000001")
    SmsOutbox.fail = True
    response = client.post(lost_url(event), {"phone": "0905000001"})
    assert response.status_code == 200 and 'id="lost-sent"' in response.content.decode()
    entry = AuditEntry.objects.get(action="registration.ticket_sent")
    assert entry.after["delivered"] is False


def test_lost_ticket_page_404_and_405(client, event):
    assert client.get(reverse("campaigns:ticket_lost", args=["nope"])).status_code == 404
    assert client.put(lost_url(event)).status_code == 405
