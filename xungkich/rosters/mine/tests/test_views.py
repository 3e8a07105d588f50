import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from xungkich.rosters.models import Assignment, RosterProfile, Unavailability
from xungkich.rosters.tests.mine_data import assign, make_point, make_roster, make_volunteer, today

NON_VOLUNTEERS = ["coordinator", "kiosk", "viewer", "outsider"]


@pytest.fixture
def roster(units):
    return make_roster(units["hoian"], demand=2, days=3)


@pytest.fixture
def mine(roster, volunteer):
    return assign(roster.shifts()[0], volunteer)


@pytest.fixture
def theirs(roster, units):
    return assign(roster.shifts()[0], make_volunteer(units["branch"], "Hồ Thị Khác"))


@pytest.fixture
def vclient(client_for, volunteer_user):
    return client_for(volunteer_user)


def htmx(client, url, data=None):
    return client.post(url, data or {}, HTTP_HX_REQUEST="true")


# --- my shifts ---


def test_my_shifts_lists_upcoming_published_shifts(vclient, mine, theirs, units, volunteer):
    after = today() + dt.timedelta(days=5)  # periods over the same days and points are refused
    draft = make_roster(
        units["hoian"], start=after, publish=False, point=make_point(units["hoian"], "Điểm nháp")
    )
    assign(draft.shifts()[0], volunteer)
    response = vclient.get(reverse("rosters:my_shifts"))
    assert response.status_code == 200
    assert response.context["upcoming"] == [mine]
    body = response.content.decode()
    assert mine.shift.start.astimezone(timezone.get_current_timezone()).strftime("%d/%m/%Y") in body
    assert "07:30–11:30" in body
    assert reverse("rosters:assignment_confirm", args=[mine.pk]) in body


def test_my_shifts_shows_recent_past_shifts_apart(vclient, units, volunteer):
    past = make_roster(units["hoian"], start=today() - dt.timedelta(days=3), days=1)
    old = assign(past.shifts()[0], volunteer, "confirmed")
    response = vclient.get(reverse("rosters:my_shifts"))
    assert response.context["upcoming"] == []
    assert response.context["recent"] == [old]


def test_finished_shifts_say_what_happened(vclient, units, volunteer):
    """A past shift no longer says "scheduled": served, no-show, can't come, or simply ended."""
    import re

    past = make_roster(units["hoian"], start=today() - dt.timedelta(days=5), days=4)
    served, absent, ended, excused = past.shifts()
    done = assign(served, volunteer, "confirmed")
    done.check_in_at = served.start
    done.check_out_at = served.end
    done.save()
    missed = assign(absent, volunteer)
    missed.no_show = True
    missed.save()
    quiet = assign(ended, volunteer)
    away = assign(excused, volunteer, "cant_come")
    soon = make_roster(units["hoian"], point=past.point, start=today() + dt.timedelta(days=1), days=1)
    upcoming = assign(soon.shifts()[0], volunteer)

    body = vclient.get(reverse("rosters:my_shifts")).content.decode()

    def badge(assignment):
        card = re.search(rf'id="assignment-{assignment.pk}".*?</li>', body, re.S)
        assert card, assignment
        found = re.search(r'<span class="badge[^"]*">([^<]*)</span>', card.group(0))
        assert found, card.group(0)
        return found.group(1)

    assert badge(done) == "Đã làm"
    assert badge(missed) == "Vắng mặt"
    assert badge(quiet) == "Đã kết thúc"
    assert badge(away) == "Không đến được"
    assert badge(upcoming) == "Đã lên lịch"  # still ahead: as planned
    assert body.count("Đã lên lịch") == 1


def test_my_shifts_query_count_does_not_grow(vclient, roster, volunteer, django_assert_num_queries):
    for shift in roster.shifts():
        assign(shift, volunteer)
    RosterProfile.objects.get_or_create(volunteer=volunteer)
    # session, user, volunteer, upcoming (with shift, point, pattern, period), recent, profile.
    with django_assert_num_queries(6):
        response = vclient.get(reverse("rosters:my_shifts"))
    assert len(response.context["upcoming"]) == 3


@pytest.mark.parametrize("persona", NON_VOLUNTEERS)
def test_my_shifts_needs_a_volunteer_profile(request, client_for, persona):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("rosters:my_shifts")).status_code == 403


def test_my_shifts_requires_login(client):
    response = client.get(reverse("rosters:my_shifts"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_my_shifts_rejects_post(vclient):
    assert vclient.post(reverse("rosters:my_shifts")).status_code == 405


# --- confirm ---


def test_confirm(vclient, mine):
    response = vclient.post(reverse("rosters:assignment_confirm", args=[mine.pk]))
    assert response.status_code == 302 and response.url == reverse("rosters:my_shifts")
    mine.refresh_from_db()
    assert mine.status == "confirmed"


def test_confirm_with_htmx_returns_the_card(vclient, mine):
    response = htmx(vclient, reverse("rosters:assignment_confirm", args=[mine.pk]))
    assert response.status_code == 200
    assert next(t.name for t in response.templates) == "rosters/mine/_shift_card.html"
    assert f'id="assignment-{mine.pk}"' in response.content.decode()


def test_confirm_someone_elses_assignment_is_404(vclient, theirs):
    assert vclient.post(reverse("rosters:assignment_confirm", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "planned"


def test_confirm_on_an_unpublished_roster_is_404(vclient, units, volunteer):
    draft = make_roster(units["hoian"], publish=False)
    a = assign(draft.shifts()[0], volunteer)
    assert vclient.post(reverse("rosters:assignment_confirm", args=[a.pk])).status_code == 404


def test_confirm_rejects_get(vclient, mine):
    assert vclient.get(reverse("rosters:assignment_confirm", args=[mine.pk])).status_code == 405


@pytest.mark.parametrize("persona", NON_VOLUNTEERS)
def test_confirm_needs_a_volunteer_profile(request, client_for, mine, persona):
    user = request.getfixturevalue(persona)
    assert client_for(user).post(reverse("rosters:assignment_confirm", args=[mine.pk])).status_code == 403


def test_confirm_error_is_shown(vclient, mine):
    Assignment.objects.filter(pk=mine.pk).update(status="cant_come")
    response = vclient.post(reverse("rosters:assignment_confirm", args=[mine.pk]), follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


# --- can't come ---


def test_cant_come_page_and_post(vclient, mine):
    url = reverse("rosters:assignment_cant_come", args=[mine.pk])
    assert vclient.get(url).status_code == 200
    response = vclient.post(url, {"reason": "Thi giữa kỳ"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.reason) == ("cant_come", "Thi giữa kỳ")


def test_cant_come_without_reason_shows_the_form(vclient, mine):
    response = vclient.post(reverse("rosters:assignment_cant_come", args=[mine.pk]), {"reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors
    mine.refresh_from_db()
    assert mine.status == "planned"


def test_cant_come_with_htmx(vclient, mine):
    url = reverse("rosters:assignment_cant_come", args=[mine.pk])
    response = htmx(vclient, url, {"reason": ""})
    assert response.status_code == 200 and response.context["card_error"]
    response = htmx(vclient, url, {"reason": "Ốm"})
    assert response.status_code == 200 and not response.context["card_error"]
    mine.refresh_from_db()
    assert mine.status == "cant_come"


def test_cant_come_someone_elses_is_404(vclient, theirs):
    assert (
        vclient.post(reverse("rosters:assignment_cant_come", args=[theirs.pk]), {"reason": "x"}).status_code
        == 404
    )


def test_cant_come_rejects_put(vclient, mine):
    assert vclient.put(reverse("rosters:assignment_cant_come", args=[mine.pk])).status_code == 405


def test_cant_come_needs_a_volunteer_profile(client_for, kiosk, mine):
    assert client_for(kiosk).get(reverse("rosters:assignment_cant_come", args=[mine.pk])).status_code == 403


# --- offer for swap ---


def test_offer(vclient, mine):
    url = reverse("rosters:assignment_offer", args=[mine.pk])
    assert vclient.get(url).status_code == 200
    assert vclient.post(url, {"reason": ""}).status_code == 302
    mine.refresh_from_db()
    assert mine.status == "offered"


def test_offer_twice_shows_the_error(vclient, mine):
    url = reverse("rosters:assignment_offer", args=[mine.pk])
    vclient.post(url)
    response = vclient.post(url)
    assert response.status_code == 200 and response.context["form"].non_field_errors()


def test_offer_someone_elses_is_404(vclient, theirs):
    assert vclient.post(reverse("rosters:assignment_offer", args=[theirs.pk])).status_code == 404


def test_offer_rejects_delete(vclient, mine):
    assert vclient.delete(reverse("rosters:assignment_offer", args=[mine.pk])).status_code == 405


def test_offer_needs_a_volunteer_profile(client_for, viewer, mine):
    assert client_for(viewer).post(reverse("rosters:assignment_offer", args=[mine.pk])).status_code == 403


# --- open places and taking ---


def test_open_shifts(vclient, roster, theirs):
    response = vclient.get(reverse("rosters:open_shifts"))
    assert response.status_code == 200
    assert [s.pk for s in response.context["shifts"]] == [s.pk for s in roster.shifts()]
    assert reverse("rosters:shift_take", args=[theirs.shift_id]) in response.content.decode()


@pytest.mark.parametrize("persona", NON_VOLUNTEERS)
def test_open_shifts_needs_a_volunteer_profile(request, client_for, persona):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("rosters:open_shifts")).status_code == 403


def test_open_shifts_rejects_post(vclient):
    assert vclient.post(reverse("rosters:open_shifts")).status_code == 405


def test_take(vclient, roster, volunteer):
    shift = roster.shifts()[1]
    response = vclient.post(reverse("rosters:shift_take", args=[shift.pk]))
    assert response.status_code == 302 and response.url == reverse("rosters:my_shifts")
    a = Assignment.objects.get(shift=shift, volunteer=volunteer)
    assert (a.status, a.source) == ("confirmed", "taken")


def test_take_full_shows_the_reason(vclient, roster, units):
    shift = roster.shifts()[1]
    assign(shift, make_volunteer(units["branch"]))
    assign(shift, make_volunteer(units["branch"]))
    response = vclient.post(reverse("rosters:shift_take", args=[shift.pk]))
    assert response.status_code == 302 and response.url == reverse("rosters:open_shifts")
    response = htmx(vclient, reverse("rosters:shift_take", args=[shift.pk]))
    assert response.context["code"] == "full"


def test_take_with_htmx(vclient, roster, volunteer):
    shift = roster.shifts()[2]
    response = htmx(vclient, reverse("rosters:shift_take", args=[shift.pk]))
    assert response.status_code == 200 and response.context["error"] == ""
    assert Assignment.objects.filter(shift=shift, volunteer=volunteer).exists()


def test_take_out_of_reach_or_unpublished_is_404(vclient, units):
    elsewhere = make_roster(units["other"], point=make_point(units["other"], "Điểm Hải Châu"))
    draft = make_roster(units["hoian"], publish=False)
    for shift in (elsewhere.shifts()[0], draft.shifts()[0]):
        assert vclient.post(reverse("rosters:shift_take", args=[shift.pk])).status_code == 404
    assert not Assignment.objects.exists()


def test_take_rejects_get(vclient, roster):
    assert vclient.get(reverse("rosters:shift_take", args=[roster.shifts()[0].pk])).status_code == 405


def test_take_needs_a_volunteer_profile(client_for, coordinator, roster):
    assert (
        client_for(coordinator).post(reverse("rosters:shift_take", args=[roster.shifts()[0].pk])).status_code
        == 403
    )


# --- availability ---


def test_availability_page(vclient, volunteer):
    Unavailability.objects.create(
        volunteer=volunteer, kind="weekly", weekday=2, start_time=dt.time(7), end_time=dt.time(11)
    )
    response = vclient.get(reverse("rosters:availability"))
    assert response.status_code == 200
    assert len(response.context["items"]) == 1


def test_add_one_off(vclient, volunteer):
    first = today() + dt.timedelta(days=7)
    response = vclient.post(
        reverse("rosters:availability_add_one_off"),
        {
            "first_day": first.strftime("%d/%m/%Y"),
            "last_day": (first + dt.timedelta(days=4)).strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302
    item = Unavailability.objects.get(volunteer=volunteer)
    assert item.kind == "one_off"


def test_add_one_off_with_bad_dates(vclient, volunteer):
    response = vclient.post(reverse("rosters:availability_add_one_off"), {"first_day": "31/02/2030"})
    assert response.status_code == 200
    assert response.context["one_off_form"].errors["first_day"]
    assert response.context["open_section"] == "one_off"
    first = today() + dt.timedelta(days=7)
    response = vclient.post(
        reverse("rosters:availability_add_one_off"),
        {
            "first_day": first.strftime("%d/%m/%Y"),
            "last_day": (first - dt.timedelta(days=1)).strftime("%d/%m/%Y"),
        },
    )
    assert response.context["one_off_form"].non_field_errors()
    assert not Unavailability.objects.exists()


def test_add_weekly(vclient, volunteer):
    response = vclient.post(
        reverse("rosters:availability_add_weekly"),
        {"weekday": "2", "start_time": "07:00", "end_time": "11:30"},
    )
    assert response.status_code == 302
    assert Unavailability.objects.get(volunteer=volunteer).weekday == 2


def test_add_timetable(vclient, volunteer):
    response = vclient.post(
        reverse("rosters:availability_add_timetable"),
        {"slots": ["1-morning", "3-afternoon"], "note": "Học kỳ II"},
    )
    assert response.status_code == 302
    assert Unavailability.objects.filter(volunteer=volunteer).count() == 2


def test_add_timetable_without_ticks(vclient):
    response = vclient.post(reverse("rosters:availability_add_timetable"), {"slots": []})
    assert response.status_code == 200
    assert response.context["open_section"] == "timetable"


def test_preferences(vclient, volunteer, units):
    centre = make_point(units["hoian"])
    response = vclient.post(
        reverse("rosters:availability_preferences"), {"points": [centre.pk], "max_shifts_per_week": "4"}
    )
    assert response.status_code == 302
    profile = RosterProfile.objects.get(volunteer=volunteer)
    assert profile.max_shifts_per_week == 4
    assert list(profile.points.all()) == [centre]


def test_preferences_refuse_a_point_out_of_reach(vclient, volunteer, units):
    elsewhere = make_point(units["other"], "Điểm Hải Châu")
    response = vclient.post(
        reverse("rosters:availability_preferences"), {"points": [elsewhere.pk], "max_shifts_per_week": "4"}
    )
    assert response.status_code == 200
    assert response.context["preferences_form"].errors["points"]


def test_remove(vclient, volunteer):
    item = Unavailability.objects.create(
        volunteer=volunteer, kind="weekly", weekday=2, start_time=dt.time(7), end_time=dt.time(11)
    )
    assert vclient.post(reverse("rosters:availability_remove", args=[item.pk])).status_code == 302
    assert not Unavailability.objects.exists()


def test_remove_someone_elses_is_404(vclient, units):
    other = make_volunteer(units["branch"])
    item = Unavailability.objects.create(
        volunteer=other, kind="weekly", weekday=2, start_time=dt.time(7), end_time=dt.time(11)
    )
    assert vclient.post(reverse("rosters:availability_remove", args=[item.pk])).status_code == 404
    assert Unavailability.objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize(
    "name",
    [
        "availability_add_one_off",
        "availability_add_weekly",
        "availability_add_timetable",
        "availability_preferences",
    ],
)
def test_availability_forms_reject_get(vclient, name):
    assert vclient.get(reverse(f"rosters:{name}")).status_code == 405


def test_availability_page_rejects_post(vclient):
    assert vclient.post(reverse("rosters:availability")).status_code == 405


@pytest.mark.parametrize("persona", NON_VOLUNTEERS)
def test_availability_needs_a_volunteer_profile(request, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("rosters:availability")).status_code == 403
    assert client.post(reverse("rosters:availability_add_weekly"), {}).status_code == 403


# --- leaders: unconfirmed shifts ---


@pytest.fixture
def pending(roster, volunteer, units):
    first = roster.shifts()[0]
    planned = assign(first, volunteer)
    confirmed = assign(first, make_volunteer(units["branch"]), "confirmed")
    cancelled = assign(roster.shifts()[1], make_volunteer(units["branch"]), "cant_come")
    return planned, confirmed, cancelled


@pytest.mark.parametrize("persona", ["unit_leader", "coordinator"])
def test_unconfirmed_for_leaders(request, client_for, pending, persona):
    planned, _confirmed, cancelled = pending
    response = client_for(request.getfixturevalue(persona)).get(reverse("rosters:unconfirmed"))
    assert response.status_code == 200
    assert response.context["pending"] == [planned]
    assert response.context["cancelled"] == [cancelled]


def test_unconfirmed_hides_other_units(client_for, outsider, pending):
    response = client_for(outsider).get(reverse("rosters:unconfirmed"))
    assert response.context["pending"] == [] and response.context["cancelled"] == []


@pytest.mark.parametrize("persona", ["volunteer_user", "kiosk", "viewer"])
def test_unconfirmed_is_forbidden_to_others(request, client_for, persona):
    assert client_for(request.getfixturevalue(persona)).get(reverse("rosters:unconfirmed")).status_code == 403


def test_unconfirmed_rejects_post(client_for, unit_leader):
    assert client_for(unit_leader).post(reverse("rosters:unconfirmed")).status_code == 405


def test_open_shifts_query_count_does_not_grow(vclient, units, django_assert_num_queries):
    roster = make_roster(units["hoian"], demand=2, days=10)
    for shift in roster.shifts()[:5]:
        assign(shift, make_volunteer(units["branch"]), "offered")
    # session, user, volunteer, profile (reach; the points are a subquery), my unavailability,
    # my busy times, shifts, their offers: the same 8 whatever the number of shifts.
    with django_assert_num_queries(8):
        response = vclient.get(reverse("rosters:open_shifts"))
    assert len(response.context["shifts"]) == 10
