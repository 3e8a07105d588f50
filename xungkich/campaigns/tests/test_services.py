"""Campaign services: registration, waiting list, cancellation, check-in, activities and progress."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from xungkich.campaigns import services, ticket_links
from xungkich.campaigns.models import Activity, ActivityPhoto, Event, Registration
from xungkich.campaigns.tests.conftest import YEAR, jpeg_with_gps, register
from xungkich.core.errors import DomainError
from xungkich.core.models import AuditEntry
from xungkich.reports.campaign_progress import campaign_progress

pytestmark = pytest.mark.django_db


def test_places_then_waiting_list(event):
    first = register(event, "Nguyễn Văn An", "+84905000001")
    second = register(event, "Trần Thị Bình", "+84905000002")
    third = register(event, "Lê Văn Cường", "+84905000003")
    assert [first.status, second.status, third.status] == ["confirmed", "confirmed", "waitlisted"]
    assert len(first.token) >= 32 and first.token != second.token
    assert len(first.code) == 6
    assert first.consent_version == services.CONSENT_VERSION
    assert AuditEntry.objects.filter(action="registration.create").count() == 3


def test_same_phone_cannot_register_twice(event):
    register(event, "Nguyễn Văn An", "+84905000001")
    with pytest.raises(DomainError) as info:
        register(event, "Nguyễn Văn An", "+84905000001")
    assert info.value.code == "registration_duplicate"
    assert Registration.objects.count() == 1


def test_after_cancelling_the_same_phone_may_register_again(event):
    first = register(event, "Nguyễn Văn An", "+84905000001")
    services.cancel_registration(registration=first, by=None)
    again = register(event, "Nguyễn Văn An", "+84905000001")
    assert again.status == "confirmed"


def test_registration_needs_the_current_consent(event):
    with pytest.raises(DomainError) as info:
        services.register(
            event=event,
            full_name="A B",
            phone="+84905000001",
            unit=None,
            unit_text="x",
            consent_version="old",
        )
    assert info.value.code == "registration_no_consent"


def test_closed_or_started_events_take_nobody(event):
    event.registration_open = False
    event.save()
    with pytest.raises(DomainError) as info:
        register(event, "Nguyễn Văn An", "+84905000001")
    assert info.value.code == "registration_closed"
    event.registration_open = True
    event.starts_at = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    event.save()
    with pytest.raises(DomainError):
        register(event, "Nguyễn Văn An", "+84905000001")


def test_cancelling_a_place_promotes_the_first_waiting(event):
    first = register(event, "A", "+84905000001")
    register(event, "B", "+84905000002")
    third = register(event, "C", "+84905000003")
    fourth = register(event, "D", "+84905000004")
    services.cancel_registration(registration=first, by=None)
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert third.status == "confirmed"
    assert fourth.status == "waitlisted"
    assert AuditEntry.objects.filter(action="registration.promote").count() == 1
    with pytest.raises(DomainError) as info:
        services.cancel_registration(registration=first, by=None)
    assert info.value.code == "registration_already_cancelled"


def test_cancelling_a_waiting_place_promotes_nobody(event):
    register(event, "A", "+84905000001")
    register(event, "B", "+84905000002")
    third = register(event, "C", "+84905000003")
    fourth = register(event, "D", "+84905000004")
    services.cancel_registration(registration=third, by=None)
    fourth.refresh_from_db()
    assert fourth.status == "waitlisted"


def test_raising_capacity_promotes_and_lowering_below_confirmed_is_refused(event, coordinator):
    register(event, "A", "+84905000001")
    register(event, "B", "+84905000002")
    third = register(event, "C", "+84905000003")
    with pytest.raises(DomainError) as info:
        services.update_event(event=event, by=coordinator, data={"capacity": 1})
    assert info.value.code == "event_capacity_below_confirmed"
    services.update_event(event=event, by=coordinator, data={"capacity": 3})
    third.refresh_from_db()
    assert third.status == "confirmed"


def test_check_in_counts_once(event, coordinator):
    ticket = register(event, "A", "+84905000001")
    found = services.find_ticket(event=event, scanned=f"https://x.example/e/t/{ticket.token}/")
    assert found.pk == ticket.pk
    assert services.find_ticket(event=event, scanned=ticket.code.lower()).pk == ticket.pk
    first = services.check_in(event=event, registration=found, by=coordinator)
    second = services.check_in(event=event, registration=found, by=coordinator)
    assert (first.already, second.already) == (False, True)
    assert second.registration.checked_in_at == first.registration.checked_in_at
    assert AuditEntry.objects.filter(action="registration.check_in").count() == 1
    with pytest.raises(DomainError) as info:
        services.cancel_registration(registration=ticket, by=None)
    assert info.value.code == "registration_checked_in"


def test_unknown_waiting_and_cancelled_tickets_do_not_check_in(event, coordinator):
    register(event, "A", "+84905000001")
    register(event, "B", "+84905000002")
    waiting = register(event, "C", "+84905000003")
    with pytest.raises(DomainError) as info:
        services.find_ticket(event=event, scanned="NOPE99")
    assert info.value.code == "checkin_unknown"
    with pytest.raises(DomainError) as info:
        services.check_in(event=event, registration=waiting, by=coordinator)
    assert info.value.code == "checkin_waitlisted"
    services.cancel_registration(registration=waiting, by=None)
    waiting.refresh_from_db()
    with pytest.raises(DomainError) as info:
        services.check_in(event=event, registration=waiting, by=coordinator)
    assert info.value.code == "checkin_cancelled"


def test_activity_with_photo_is_stored_without_exif(campaign, coordinator):
    activity = services.record_activity(
        campaign=campaign,
        by=coordinator,
        data={"kind": Activity.Kind.DOOR_TO_DOOR, "title": "Đến từng nhà", "date": dt.date(YEAR, 10, 5)},
        units=[],
        photos=[jpeg_with_gps()],
    )
    photo = activity.photos.get()
    with default_storage.open(photo.image.name, "rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
        assert len(stored.getexif()) == 0
    entry = AuditEntry.objects.get(action="activity.create")
    assert entry.after["photos"] == 1


def test_a_bad_photo_records_nothing(campaign, coordinator):
    with pytest.raises(DomainError) as info:
        services.record_activity(
            campaign=campaign,
            by=coordinator,
            data={"kind": Activity.Kind.BANNERS, "title": "x", "date": dt.date(YEAR, 10, 5)},
            units=[],
            photos=[b"not a photo"],
        )
    assert info.value.code == "photo_not_image"
    assert Activity.objects.count() == 0
    assert ActivityPhoto.objects.count() == 0


def test_activity_dates_stay_inside_the_campaign(campaign, coordinator):
    with pytest.raises(DomainError) as info:
        services.record_activity(
            campaign=campaign,
            by=coordinator,
            data={"kind": Activity.Kind.BANNERS, "title": "x", "date": dt.date(YEAR, 11, 5)},
            units=[],
        )
    assert info.value.code == "activity_outside_campaign"


def test_progress_from_activities_and_events(campaign, event, activity, coordinator):
    services.record_activity(
        campaign=campaign,
        by=coordinator,
        data={
            "kind": Activity.Kind.DOOR_TO_DOOR,
            "title": "Đến từng nhà",
            "date": dt.date(YEAR, 10, 5),
            "participants_count": 4,
            "people_reached": 90,
            "citizens_helped": 30,
            "accounts_created": 12,
            "materials_count": 99,  # leaflets: not banners or panels, not counted as placed
        },
        units=[],
    )
    ticket = register(event, "A", "+84905000001")
    register(event, "B", "+84905000002")
    services.check_in(event=event, registration=ticket, by=coordinator)
    result = campaign_progress(campaign)
    figures = {f.key: (f.value, f.target) for f in result.figures}
    assert figures == {
        "citizens_helped": (30, 100),
        "accounts_created": (12, 50),
        "materials": (12, 20),
        "participants": (6 + 4 + 1, 40),
    }
    assert (result.people_reached, result.activities, result.registrations, result.checked_in) == (
        90,
        2,
        2,
        1,
    )
    assert result.figures[1].percent == 24


def test_help_sessions_recorded_at_an_activity_add_to_its_progress(campaign, activity, coordinator):
    from xungkich.helpdesk.services import SessionInput, create_help_session

    before = {f.key: f.value for f in campaign_progress(campaign).figures}
    place = {"place_kind": "door_to_door", "place_text": "Tổ 5, Cẩm Phô"}
    for need, outcome in (("account", "done"), ("account", "partial"), ("app", "done")):
        create_help_session(
            by=coordinator, data=SessionInput(need=need, outcome=outcome, activity=activity, **place)
        )
    create_help_session(by=coordinator, data=SessionInput(need="account", **place))  # not at the activity
    after = {f.key: f.value for f in campaign_progress(campaign).figures}
    assert after["citizens_helped"] - before["citizens_helped"] == 3
    assert after["accounts_created"] - before["accounts_created"] == 1


def test_sessions_recorded_at_an_activity_with_a_typed_count_are_part_of_it(campaign, coordinator):
    """45 typed at a mobile desk where 5 were also recorded one by one: 45 helped, not 50; an
    activity with more sessions than typed counts its sessions (docs/reports.md, "Definitions")."""
    from xungkich.helpdesk.services import SessionInput, create_help_session

    def desk(helped: int, accounts: int) -> Activity:
        return services.record_activity(
            campaign=campaign,
            by=coordinator,
            data={
                "kind": Activity.Kind.MOBILE_DESK,
                "title": "Bàn hỗ trợ lưu động",
                "date": dt.date(YEAR, 10, 6),
                "citizens_helped": helped,
                "accounts_created": accounts,
            },
            units=[],
        )

    typed, small = desk(45, 20), desk(1, 0)
    place = {"place_kind": "mobile", "place_text": "Chợ Hội An"}
    for activity, needs in ((typed, ["account"] * 3 + ["app"] * 2), (small, ["account", "app", "app"])):
        for need in needs:
            create_help_session(
                by=coordinator, data=SessionInput(need=need, outcome="done", activity=activity, **place)
            )
    figures = {f.key: f.value for f in campaign_progress(campaign).figures}
    assert (figures["citizens_helped"], figures["accounts_created"]) == (45 + 3, 20 + 1)


def test_campaign_period_must_be_ordered(units, coordinator):
    with pytest.raises(DomainError) as info:
        services.create_campaign(
            by=coordinator,
            data={
                "name": "x",
                "unit": units["hoian"],
                "start_date": dt.date(YEAR, 10, 2),
                "end_date": dt.date(YEAR, 10, 1),
            },
            units=[],
        )
    assert info.value.code == "campaign_bad_period"


def test_writes_are_audited(campaign, event, activity, coordinator):
    services.update_campaign(
        campaign=campaign,
        by=coordinator,
        data={"name": "Đổi tên", "start_date": campaign.start_date, "end_date": campaign.end_date},
        units=[],
    )
    services.update_activity(
        activity=activity, by=coordinator, data={"title": "Mới", "date": activity.date}, units=[]
    )
    services.add_activity_photo(activity=activity, by=coordinator, content=jpeg_with_gps())
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "campaign.create",
        "campaign.update",
        "event.create",
        "activity.create",
        "activity.update",
        "activity.photo_add",
    } <= actions
    update = AuditEntry.objects.get(action="campaign.update")
    assert update.before["name"] == "Ngày Chuyển đổi số 10/10"
    assert update.after["name"] == "Đổi tên"


def test_registrations_are_erased_after_the_retention_period(event, coordinator):
    ticket = register(event, "Nguyễn Văn An", "+84905000001")
    services.check_in(event=event, registration=ticket, by=coordinator)
    assert services.purge_old_registrations(now=event.starts_at + dt.timedelta(days=89)) == 0
    assert services.purge_old_registrations(now=event.starts_at + dt.timedelta(days=91)) == 1
    ticket.refresh_from_db()
    assert (ticket.full_name, ticket.unit_text, ticket.search_key) == ("", "", "")
    assert "905" not in ticket.phone
    assert ticket.checked_in_at is not None
    assert campaign_progress(event.campaign).checked_in == 1
    assert services.purge_old_registrations(now=event.starts_at + dt.timedelta(days=92)) == 0
    assert AuditEntry.objects.filter(action="registration.purge").count() == 1


def test_purge_command_runs(db, capsys):
    from django.core.management import call_command

    call_command("purge_event_registrations")
    assert "0" in capsys.readouterr().out


def test_a_ticket_cancelled_after_it_was_looked_up_is_not_checked_in(event, coordinator):
    ticket = register(event, "A", "+84905000001")
    found = services.find_ticket(event=event, scanned=ticket.code)
    services.cancel_registration(registration=ticket, by=None)
    with pytest.raises(DomainError) as info:
        services.check_in(event=event, registration=found, by=coordinator)
    assert info.value.code == "checkin_cancelled"


def test_members_event_registration_without_a_unit_is_refused(event):
    with pytest.raises(DomainError) as exc:
        services.register(
            event=event,
            full_name="Nguyễn Văn An",
            phone="+84905000001",
            unit=None,
            unit_text=" ",
            consent_version=services.CONSENT_VERSION,
        )
    assert exc.value.code == "registration_no_unit"
    assert not Registration.objects.exists()


def test_citizen_event_registration_needs_no_unit_and_keeps_none(event, units):
    event.audience = Event.Audience.CITIZENS
    event.save(update_fields=["audience"])
    with pytest.raises(DomainError) as exc:  # the consent shown to members mentions the unit
        services.register(
            event=event,
            full_name="Bà Lê Thị Tư",
            phone="+84905000009",
            unit=None,
            unit_text="",
            consent_version=services.CONSENT_VERSION,
        )
    assert exc.value.code == "registration_no_consent"
    registration = services.register(
        event=event,
        full_name="Bà Lê Thị Tư",
        phone="+84905000009",
        unit=units["branch"],
        unit_text="Chi đoàn X",
        consent_version=services.CITIZEN_CONSENT_VERSION,
    )
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.unit is None and registration.unit_text == ""


def test_ticket_link_to_a_phone_only_holder_is_unreachable_by_email(event, settings):
    from django.core import mail

    settings.XK_NOTIFIER = "email"
    ticket = register(event, "Nguyễn Văn An", "+84905000001")
    assert ticket_links.send_ticket_link(registration=ticket) is False  # no address to e-mail to
    assert mail.outbox == []
    entry = AuditEntry.objects.get(action="registration.ticket_sent")
    assert entry.after == {"notifier": "email", "delivered": False}
