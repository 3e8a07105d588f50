import datetime as dt

import pytest
from django.core import mail

from xungkich.core.errors import DomainError
from xungkich.core.models import AuditEntry
from xungkich.rosters.mine import availability, changes
from xungkich.rosters.models import Assignment, RosterProfile, Shift
from xungkich.rosters.tests.mine_data import assign, make_point, make_roster, make_volunteer, today

HOLDING = ["planned", "confirmed", "offered"]


@pytest.fixture
def roster(units):
    return make_roster(units["hoian"], demand=2)


@pytest.fixture
def shift(roster):
    return roster.shifts()[0]


def holding(shift):
    return Assignment.objects.filter(shift=shift, status__in=HOLDING).count()


def code_of(call, **kwargs):
    with pytest.raises(DomainError) as err:
        call(**kwargs)
    return err.value.code


# --- confirm ---


def test_confirm(volunteer, volunteer_user, shift):
    a = assign(shift, volunteer)
    a = changes.confirm(by=volunteer_user, assignment=a)
    a.refresh_from_db()
    assert a.status == "confirmed" and a.confirmed_at is not None
    entry = AuditEntry.objects.get(action="assignment.confirm")
    assert entry.actor == volunteer_user
    assert (entry.before["status"], entry.after["status"], entry.after["via"]) == (
        "planned",
        "confirmed",
        "web",
    )


def test_confirm_twice_is_harmless(volunteer, shift):
    a = assign(shift, volunteer)
    changes.confirm(by=None, assignment=a)
    changes.confirm(by=None, assignment=a)
    assert AuditEntry.objects.filter(action="assignment.confirm").count() == 1


def test_confirm_keeps_an_offered_shift(volunteer, shift):
    a = assign(shift, volunteer, "offered")
    changes.confirm(by=None, assignment=a)
    a.refresh_from_db()
    assert a.status == "confirmed"


def test_confirm_after_cant_come_is_refused(volunteer, shift):
    a = assign(shift, volunteer, "cant_come")
    assert code_of(changes.confirm, by=None, assignment=a) == "not_holding"


def test_changes_need_a_published_roster(volunteer, units):
    draft = make_roster(units["hoian"], publish=False)
    a = assign(draft.shifts()[0], volunteer)
    assert code_of(changes.confirm, by=None, assignment=a) == "not_published"
    assert code_of(changes.cant_come, by=None, assignment=a, reason="Ốm") == "not_published"
    assert code_of(changes.offer_for_swap, by=None, assignment=a) == "not_published"
    assert (
        code_of(changes.take_open_place, by=None, volunteer=volunteer, shift=draft.shifts()[1])
        == "not_published"
    )


def test_changes_refused_once_the_shift_started(volunteer, units):
    roster = make_roster(units["hoian"], start=today() - dt.timedelta(days=1), days=1)
    past = roster.shifts()[0]
    a = assign(past, volunteer)
    assert code_of(changes.confirm, by=None, assignment=a) == "past_shift"
    assert code_of(changes.cant_come, by=None, assignment=a, reason="Ốm") == "past_shift"
    assert code_of(changes.offer_for_swap, by=None, assignment=a) == "past_shift"
    other = make_volunteer(units["branch"])
    assert code_of(changes.take_open_place, by=None, volunteer=other, shift=past) == "past_shift"


# --- can't come / drop ---


def test_cant_come_frees_the_place(volunteer, shift):
    a = assign(shift, volunteer, "confirmed")
    assert holding(shift) == 1
    changes.cant_come(by=None, assignment=a, reason="  Ốm   sốt ")
    a.refresh_from_db()
    assert (a.status, a.reason) == ("cant_come", "Ốm sốt")
    assert holding(shift) == 0
    assert AuditEntry.objects.get(action="assignment.cant_come").after["reason"] == "Ốm sốt"


def test_drop_is_cant_come_with_a_reason():
    assert changes.drop_shift is changes.cant_come


@pytest.mark.parametrize(
    ("reason", "code"), [("", "reason_required"), ("   ", "reason_required"), ("x" * 256, "reason_too_long")]
)
def test_cant_come_needs_a_reason(volunteer, shift, reason, code):
    a = assign(shift, volunteer)
    assert code_of(changes.cant_come, by=None, assignment=a, reason=reason) == code
    a.refresh_from_db()
    assert a.status == "planned"


def test_cant_come_twice(volunteer, shift):
    a = assign(shift, volunteer)
    changes.cant_come(by=None, assignment=a, reason="Ốm")
    assert code_of(changes.cant_come, by=None, assignment=a, reason="Ốm") == "already_cant_come"


# --- offer for swap ---


def test_offer_keeps_the_place(volunteer, shift):
    a = assign(shift, volunteer, "confirmed")
    changes.offer_for_swap(by=None, assignment=a, reason="Bận việc gia đình")
    a.refresh_from_db()
    assert (a.status, a.reason) == ("offered", "Bận việc gia đình")
    assert holding(shift) == 1
    assert AuditEntry.objects.filter(action="assignment.offer").exists()


def test_offer_twice_and_after_cant_come(volunteer, shift, units):
    a = assign(shift, volunteer)
    changes.offer_for_swap(by=None, assignment=a)
    assert code_of(changes.offer_for_swap, by=None, assignment=a) == "already_offered"
    b = assign(shift, make_volunteer(units["branch"]), "cant_come")
    assert code_of(changes.offer_for_swap, by=None, assignment=b) == "not_holding"


# --- taking a free place ---


def test_take_open_place(volunteer, volunteer_user, shift):
    a = changes.take_open_place(by=volunteer_user, volunteer=volunteer, shift=shift)
    assert (a.status, a.source, a.volunteer, a.shift) == ("confirmed", "taken", volunteer, shift)
    assert a.confirmed_at is not None
    entry = AuditEntry.objects.get(action="assignment.take")
    assert entry.after["via"] == "open_place" and entry.actor == volunteer_user


def test_take_full_shift(volunteer, shift, units):
    assign(shift, make_volunteer(units["branch"]))
    assign(shift, make_volunteer(units["branch"]), "offered")
    assert code_of(changes.take_open_place, by=None, volunteer=volunteer, shift=shift) == "full"


def test_take_a_place_already_held(volunteer, shift):
    assign(shift, volunteer)
    assert (
        code_of(changes.take_open_place, by=None, volunteer=volunteer, shift=shift) == "rule_already_assigned"
    )


def test_take_again_after_own_cant_come_reuses_the_row(volunteer, shift):
    a = assign(shift, volunteer)
    changes.cant_come(by=None, assignment=a, reason="Ốm")
    taken = changes.take_open_place(by=None, volunteer=volunteer, shift=shift)
    assert taken.pk == a.pk
    assert (taken.status, taken.source, taken.reason) == ("confirmed", "taken", "")


def test_take_out_of_reach(shift, units):
    outsider = make_volunteer(units["other"])
    assert code_of(changes.take_open_place, by=None, volunteer=outsider, shift=shift) == "rule_unreachable"


def test_take_when_listed_points_exclude_this_one(volunteer, shift, units):
    branch_point = make_point(units["branch"], "Điểm Minh An")
    availability.update_preferences(
        by=None, volunteer=volunteer, points=[branch_point], max_shifts_per_week=3
    )
    assert code_of(changes.take_open_place, by=None, volunteer=volunteer, shift=shift) == "rule_unreachable"


def test_take_when_unavailable(volunteer, shift):
    local = shift.start.astimezone(availability._tz())
    availability.add_weekly(
        by=None, volunteer=volunteer, weekday=local.isoweekday(), start_time=dt.time(6), end_time=dt.time(12)
    )
    with pytest.raises(DomainError) as error:
        changes.take_open_place(by=None, volunteer=volunteer, shift=shift)
    assert error.value.code == "rule_unavailable"
    assert error.value.details == ["unavailable"]


def test_take_inactive_volunteer(shift, units):
    sleeping = make_volunteer(units["branch"], active=False)
    assert code_of(changes.take_open_place, by=None, volunteer=sleeping, shift=shift) == "rule_inactive"


def test_take_over_the_weekly_cap(volunteer, roster):
    RosterProfile.objects.create(volunteer=volunteer, max_shifts_per_week=1)
    first, second = roster.shifts()[:2]
    changes.take_open_place(by=None, volunteer=volunteer, shift=first)
    assert code_of(changes.take_open_place, by=None, volunteer=volunteer, shift=second) == "rule_week_cap"


def test_take_two_shifts_the_same_day(volunteer, units, roster):
    # Another ward's afternoon shifts, within the volunteer's reach through the profile.
    afternoon = make_roster(
        units["other"],
        point=make_point(units["other"], "Điểm Hải Châu"),
        start_time=dt.time(13, 30),
        end_time=dt.time(17),
        name="Chiều",
    )
    RosterProfile.objects.create(volunteer=volunteer).points.set([roster.point, afternoon.point])
    changes.take_open_place(by=None, volunteer=volunteer, shift=roster.shifts()[0])
    with pytest.raises(DomainError) as error:
        changes.take_open_place(by=None, volunteer=volunteer, shift=afternoon.shifts()[0])
    assert error.value.code.startswith("rule_")
    assert "day_limit" in error.value.details


def test_trainee_needs_an_experienced_volunteer_on_the_shift(shift, units):
    trainee = make_volunteer(units["branch"], skills=["trainee"])
    assert code_of(changes.take_open_place, by=None, volunteer=trainee, shift=shift) == "rule_trainee_alone"
    assign(shift, make_volunteer(units["branch"], skills=["senior"]))
    assert changes.take_open_place(by=None, volunteer=trainee, shift=shift).status == "confirmed"


# --- taking over an offered shift ---


def test_take_offered_replaces_the_offerer(
    volunteer, volunteer_user, shift, units, django_capture_on_commit_callbacks
):
    offerer = make_volunteer(units["branch"], "Trần Thị Bích Ngọc", email="ngoc@example.vn")
    offered = assign(shift, offerer, "offered")
    with django_capture_on_commit_callbacks(execute=True):
        taken = changes.take_offered(by=volunteer_user, volunteer=volunteer, offered=offered)
    offered.refresh_from_db()
    assert offered.status == "cant_come"
    assert (taken.status, taken.source, taken.volunteer) == ("confirmed", "taken", volunteer)
    assert holding(shift) == 1
    assert AuditEntry.objects.get(action="assignment.swap").object_id == str(offered.pk)
    assert AuditEntry.objects.get(action="assignment.take").after["replaces"] == offered.pk
    assert [m.to for m in mail.outbox] == [["ngoc@example.vn"]]


def test_take_own_offer(volunteer, shift):
    offered = assign(shift, volunteer, "offered")
    assert code_of(changes.take_offered, by=None, volunteer=volunteer, offered=offered) == "own_offer"


def test_take_an_offer_that_was_withdrawn(volunteer, shift, units):
    offered = assign(shift, make_volunteer(units["branch"]), "offered")
    changes.confirm(by=None, assignment=offered)
    assert code_of(changes.take_offered, by=None, volunteer=volunteer, offered=offered) == "offer_gone"


def test_take_offer_checks_the_takers_rules(shift, units):
    offered = assign(shift, make_volunteer(units["branch"]), "offered")
    outsider = make_volunteer(units["other"])
    assert code_of(changes.take_offered, by=None, volunteer=outsider, offered=offered) == "rule_unreachable"
    offered.refresh_from_db()
    assert offered.status == "offered"


def test_swap_may_not_leave_a_trainee_alone(shift, units):
    senior = make_volunteer(units["branch"], skills=["senior"])
    assign(shift, senior)
    trainee = make_volunteer(units["branch"], skills=["trainee"])
    changes.take_open_place(by=None, volunteer=trainee, shift=shift)
    Assignment.objects.filter(shift=shift, volunteer=senior).update(status="offered")
    offered = Assignment.objects.get(shift=shift, volunteer=senior)
    newcomer = make_volunteer(units["branch"])
    assert code_of(changes.take_offered, by=None, volunteer=newcomer, offered=offered) == "rule_trainee_alone"
    other_senior = make_volunteer(units["branch"], skills=["senior"])
    assert changes.take_offered(by=None, volunteer=other_senior, offered=offered).volunteer == other_senior


def test_swap_may_not_lose_a_needed_skill(units):
    roster = make_roster(units["hoian"], demand=2, skill_needs={"vneid": 1})
    shift = roster.shifts()[0]
    offered = assign(shift, make_volunteer(units["branch"], skills=["vneid"]), "offered")
    assign(shift, make_volunteer(units["branch"]))
    assert code_of(
        changes.take_offered, by=None, volunteer=make_volunteer(units["branch"]), offered=offered
    ) == ("rule_skill_needs")
    with_skill = make_volunteer(units["branch"], skills=["vneid"])
    assert changes.take_offered(by=None, volunteer=with_skill, offered=offered).status == "confirmed"


# --- the Take button ---


def test_take_shift_prefers_a_free_place(volunteer, shift, units):
    offered = assign(shift, make_volunteer(units["branch"]), "offered")
    changes.take_shift(by=None, volunteer=volunteer, shift=shift)
    offered.refresh_from_db()
    assert offered.status == "offered"
    assert holding(shift) == 2


def test_take_shift_takes_over_the_oldest_offer_when_full(volunteer, shift, units):
    first = assign(shift, make_volunteer(units["branch"]), "offered")
    second = assign(shift, make_volunteer(units["branch"]), "offered")
    changes.take_shift(by=None, volunteer=volunteer, shift=shift)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("cant_come", "offered")
    assert Assignment.objects.get(shift=shift, volunteer=volunteer).status == "confirmed"


def test_take_shift_full_without_offers(volunteer, shift, units):
    assign(shift, make_volunteer(units["branch"]))
    assign(shift, make_volunteer(units["branch"]), "confirmed")
    assert code_of(changes.take_shift, by=None, volunteer=volunteer, shift=shift) == "full"


def test_take_shift_with_only_my_own_offer(volunteer, shift, units):
    assign(shift, make_volunteer(units["branch"]))
    assign(shift, volunteer, "offered")
    assert code_of(changes.take_shift, by=None, volunteer=volunteer, shift=shift) == "rule_already_assigned"


def test_take_a_deleted_shift(volunteer, shift):
    Shift.objects.filter(pk=shift.pk).delete()
    assert code_of(changes.take_shift, by=None, volunteer=volunteer, shift=shift) == "not_found"


# --- selectors ---


def test_open_shifts_lists_free_and_offered_places_in_reach(volunteer, units):
    roster = make_roster(units["hoian"], demand=1, days=4)
    free, offered_shift, full, mine = roster.shifts()
    assign(offered_shift, make_volunteer(units["branch"]), "offered")
    assign(full, make_volunteer(units["branch"]), "confirmed")
    assign(mine, volunteer)
    after = today() + dt.timedelta(days=5)  # periods over the same days and points are refused
    make_roster(units["hoian"], start=after, publish=False, point=make_point(units["hoian"], "Điểm nháp"))
    make_roster(units["other"], point=make_point(units["other"], "Điểm Hải Châu"))
    result = changes.open_shifts(volunteer)
    assert [s.pk for s in result] == [free.pk, offered_shift.pk]
    assert (result[0].free, len(result[0].offers)) == (1, 0)
    assert (result[1].free, len(result[1].offers)) == (0, 1)


def test_my_assignments_only_published(volunteer, units, shift):
    after = today() + dt.timedelta(days=8)  # periods over the same days and points are refused
    draft = make_roster(
        units["hoian"], start=after, publish=False, point=make_point(units["hoian"], "Điểm nháp")
    )
    mine = assign(shift, volunteer)
    assign(draft.shifts()[0], volunteer)
    assert list(changes.my_assignments(volunteer)) == [mine]


def test_open_shifts_leave_out_times_i_am_away_or_busy(volunteer, units):
    roster = make_roster(units["hoian"], demand=2, days=3)
    first, second, third = roster.shifts()
    local = second.start.astimezone(availability._tz())
    availability.add_weekly(
        by=None, volunteer=volunteer, weekday=local.isoweekday(), start_time=dt.time(6), end_time=dt.time(12)
    )
    other_point = make_point(units["other"], "Điểm lưu động")  # another ward's period, same days
    elsewhere = make_roster(units["other"], point=other_point, days=3)
    busy = next(s for s in elsewhere.shifts() if s.point_id == other_point.pk and s.start == third.start)
    assign(busy, volunteer)
    assert [s.pk for s in changes.open_shifts(volunteer) if s.period_id == roster.period.pk] == [first.pk]
