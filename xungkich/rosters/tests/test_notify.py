import datetime as dt
import re
from io import StringIO

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from xungkich.core.models import AuditEntry
from xungkich.people.models import Role, User
from xungkich.rosters import notify
from xungkich.rosters.models import Assignment
from xungkich.rosters.tests.mine_data import assign, make_roster, make_volunteer, today, tz


class RecordingNotifier:
    name = "recording"
    sent: list[dict] = []

    def send(self, *, to, subject, body, links=()):
        RecordingNotifier.sent.append({"to": to, "subject": subject, "body": body, "links": list(links)})
        return True


@pytest.fixture
def tomorrow(units):
    """A published roster starting tomorrow: two days of morning shifts, two places each."""
    roster = make_roster(units["hoian"], demand=2, days=2)
    return roster.shifts()


@pytest.fixture
def reachable(units, volunteer):
    volunteer.email = "an@example.vn"
    volunteer.save(update_fields=["email"])
    return volunteer


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


# --- reminders the day before ---


def test_reminders_go_once_to_tomorrows_shifts(tomorrow, reachable, units):
    first, day_after = tomorrow
    planned = assign(first, reachable)
    assign(day_after, make_volunteer(units["branch"], email="later@example.vn"))
    cancelled = assign(first, make_volunteer(units["branch"], email="cancelled@example.vn"), "cant_come")

    report = notify.send_shift_reminders(base_url="https://xk.example")
    assert [a.pk for a in report.sent] == [planned.pk]
    (message,) = mail.outbox
    assert message.to == ["an@example.vn"]
    assert first.point.name in message.subject
    links = links_in(message)
    assert len(links) == 3 and all(link.startswith("https://xk.example/") for link in links)
    planned.refresh_from_db()
    assert planned.reminded_at is not None
    cancelled.refresh_from_db()
    assert cancelled.reminded_at is None
    assert AuditEntry.objects.filter(action="assignment.remind", object_id=str(planned.pk)).exists()

    again = notify.send_shift_reminders(base_url="https://xk.example")
    assert again.sent == []
    assert len(mail.outbox) == 1


def test_confirmed_volunteers_get_no_confirm_link(tomorrow, reachable):
    assign(tomorrow[0], reachable, "confirmed")
    notify.send_shift_reminders(base_url="https://xk.example")
    (message,) = mail.outbox
    assert len(links_in(message)) == 2


def test_reminders_skip_unpublished_rosters(units, reachable):
    draft = make_roster(units["hoian"], publish=False, days=1)
    assign(draft.shifts()[0], reachable)
    assert notify.send_shift_reminders().sent == []
    assert mail.outbox == []


def test_volunteers_without_email_are_reported_and_retried(tomorrow, volunteer):
    a = assign(tomorrow[0], volunteer)
    report = notify.send_shift_reminders()
    assert [x.pk for x in report.unreachable] == [a.pk]
    a.refresh_from_db()
    assert a.reminded_at is None
    assert mail.outbox == []


def test_a_failing_gateway_releases_the_claim(tomorrow, reachable):
    class Broken:
        name = "broken"

        def send(self, **kwargs):
            raise OSError("gateway down")

    a = assign(tomorrow[0], reachable)
    report = notify.send_shift_reminders(notifier=Broken())
    assert [x.pk for x in report.failed] == [a.pk]
    a.refresh_from_db()
    assert a.reminded_at is None


def test_tomorrow_is_the_local_date(units, reachable):
    # 23:30 local on the day before, 16:30 UTC: "tomorrow" is the next local day, not UTC's.
    roster = make_roster(units["hoian"], start=dt.date(2030, 3, 5), days=2)
    a = assign(roster.shifts()[0], reachable)
    late_evening = dt.datetime(2030, 3, 4, 23, 30, tzinfo=tz())
    report = notify.send_shift_reminders(now=late_evening)
    assert [x.pk for x in report.sent] == [a.pk]


def test_reminder_command(tomorrow, reachable):
    assign(tomorrow[0], reachable)
    out = StringIO()
    call_command("send_shift_reminders", "--base-url", "https://xk.example", "--no-flag", stdout=out)
    assert "Reminders sent: 1" in out.getvalue()
    assert len(mail.outbox) == 1


# --- the signed links ---


def test_confirm_link_from_the_email(client, tomorrow, reachable):
    a = assign(tomorrow[0], reachable)
    notify.send_shift_reminders(base_url="http://testserver")
    confirm_url = links_in(mail.outbox[0])[0]
    assert "/rosters/link/" in confirm_url

    page = client.get(confirm_url)
    assert page.status_code == 200
    assert page.context["action"] == "confirm"
    a.refresh_from_db()
    assert a.status == "planned", "a GET must never act"

    done = client.post(confirm_url)
    assert done.status_code == 200 and done.context["done"]
    a.refresh_from_db()
    assert a.status == "confirmed"
    entry = AuditEntry.objects.get(action="assignment.confirm")
    assert entry.after["via"] == "signed_link"


def test_link_page_keeps_the_origin_and_csrf(tomorrow, reachable):
    """The page keeps its token from other sites (no Referer leaves the site) but lets the browser
    send this site's Origin with the form; CSRF protection stays on for the link."""
    from django.test import Client

    a = assign(tomorrow[0], reachable)
    url = notify.action_url(a, "confirm", base="")
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    assert page["Referrer-Policy"] == "same-origin"
    token = page.context["csrf_token"]

    forged = client.post(url, HTTP_ORIGIN="null")
    assert forged.status_code == 403
    a.refresh_from_db()
    assert a.status == "planned"

    done = client.post(url, {"csrfmiddlewaretoken": str(token)}, HTTP_ORIGIN="http://testserver")
    assert done.status_code == 200 and done.context["done"]
    a.refresh_from_db()
    assert a.status == "confirmed"


def test_cant_come_link_needs_a_reason(client, tomorrow, reachable):
    a = assign(tomorrow[0], reachable)
    url = notify.action_url(a, "cant_come", base="")
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and not response.context["done"]
    a.refresh_from_db()
    assert a.status == "planned"
    client.post(url, {"reason": "Bị ốm"})
    a.refresh_from_db()
    assert (a.status, a.reason) == ("cant_come", "Bị ốm")


def test_tampered_link_fails(client, tomorrow, reachable, units):
    a = assign(tomorrow[0], reachable)
    other = assign(tomorrow[0], make_volunteer(units["branch"]))
    token = notify.make_action_token(a, "confirm")
    # Point the payload at someone else's assignment, keeping the old signature.
    payload, rest = token.split(":", 1)
    forged_payload = signing.b64_encode(
        signing.b64_decode(payload.encode()).replace(f'"a":{a.pk}'.encode(), f'"a":{other.pk}'.encode())
    ).decode()
    for bad in (token[:-2] + "xx", forged_payload + ":" + rest, "nonsense"):
        response = client.post(reverse("rosters:signed_action", args=[bad]))
        assert response.status_code == 400
        assert response.context["code"] == "link_invalid"
    a.refresh_from_db()
    other.refresh_from_db()
    assert (a.status, other.status) == ("planned", "planned")


def test_link_signed_with_another_salt_fails(client, tomorrow, reachable):
    a = assign(tomorrow[0], reachable)
    token = signing.dumps({"a": a.pk, "v": reachable.pk, "x": "confirm", "e": 4102444800})
    assert client.get(reverse("rosters:signed_action", args=[token])).status_code == 400


def test_link_expires_when_the_shift_ends(client, units, reachable):
    roster = make_roster(units["hoian"], start=today() - dt.timedelta(days=1), days=1)
    a = assign(roster.shifts()[0], reachable)
    response = client.get(notify.action_url(a, "confirm", base=""))
    assert response.status_code == 410
    assert response.context["code"] == "link_expired"


def test_link_rejects_other_methods(client, tomorrow, reachable):
    a = assign(tomorrow[0], reachable)
    assert client.put(notify.action_url(a, "confirm", base="")).status_code == 405


def test_link_after_cant_come_does_not_confirm(client, tomorrow, reachable):
    a = assign(tomorrow[0], reachable, "cant_come")
    response = client.post(notify.action_url(a, "confirm", base=""))
    assert response.status_code == 409
    a.refresh_from_db()
    assert a.status == "cant_come"


# --- unconfirmed shifts, flagged to the leader ---


@pytest.fixture
def leader_with_email(unit_leader):
    unit_leader.email = "leader@example.vn"
    unit_leader.save(update_fields=["email"])
    return unit_leader


def test_flag_unconfirmed_tells_the_unit_leader_once(tomorrow, volunteer, leader_with_email, units):
    first = tomorrow[0]
    planned = assign(first, volunteer)
    planned.reminded_at = timezone.now()
    planned.save(update_fields=["reminded_at"])
    assign(first, make_volunteer(units["branch"]), "confirmed")
    now = first.start - dt.timedelta(hours=6)

    report = notify.flag_unconfirmed(now=now, within_hours=12, base_url="https://xk.example")
    assert [a.pk for a in report.flagged] == [planned.pk]
    assert report.notified == [leader_with_email]
    (message,) = mail.outbox
    assert message.to == ["leader@example.vn"]
    assert volunteer.full_name in message.body
    assert "https://xk.example/rosters/unconfirmed/" in message.body
    assert AuditEntry.objects.filter(action="assignment.flag", object_id=str(planned.pk)).exists()

    again = notify.flag_unconfirmed(now=now, within_hours=12)
    assert again.flagged == []
    assert len(mail.outbox) == 1


def test_flag_ignores_shifts_further_away(tomorrow, volunteer, leader_with_email):
    assign(tomorrow[1], volunteer)
    report = notify.flag_unconfirmed(now=tomorrow[0].start - dt.timedelta(hours=6), within_hours=12)
    assert report.flagged == []


def test_flag_falls_back_to_the_coordinator_above(tomorrow, units):
    coordinator = User.objects.create_user(
        username="dp", role=Role.COORDINATOR, unit=units["hoian"], email="dp@example.vn"
    )
    team_member = make_volunteer(units["branch"])
    assign(tomorrow[0], team_member)
    report = notify.flag_unconfirmed(now=tomorrow[0].start - dt.timedelta(hours=1), within_hours=12)
    assert report.notified == [coordinator]
    assert mail.outbox[0].to == ["dp@example.vn"]


def test_flag_command(tomorrow, volunteer, leader_with_email):
    assign(tomorrow[0], volunteer)
    out = StringIO()
    call_command("flag_unconfirmed", "--hours", "48", stdout=out)
    assert "Unconfirmed shifts flagged: 1" in out.getvalue()


def test_reminder_command_also_flags(units, volunteer, leader_with_email):
    roster = make_roster(units["hoian"], start=dt.date(2030, 3, 4), days=1)
    assign(roster.shifts()[0], volunteer)
    out = StringIO()
    with freeze_time(dt.datetime(2030, 3, 4, 6, 0, tzinfo=tz())):
        call_command("send_shift_reminders", stdout=out)
    assert "Unconfirmed shifts flagged: 1" in out.getvalue()
    assert Assignment.objects.get(volunteer=volunteer).status == "planned"


# --- swaps ---


def test_offer_taken_notice(tomorrow, reachable, units):
    offered = assign(tomorrow[0], reachable, "cant_come")
    taker = make_volunteer(units["branch"], "Lê Minh Châu")
    assert notify.offer_taken(offered=offered, taker=taker)
    (message,) = mail.outbox
    assert "Lê Minh Châu" in message.body
