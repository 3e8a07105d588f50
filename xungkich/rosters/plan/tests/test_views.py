"""The planning pages: every view works, hides other wards (404), is read-only for unit leaders and
viewers (403 on writes), closed to volunteers and kiosks (403), and refuses wrong methods (405)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from django.utils import timezone

from xungkich.core.models import AuditEntry
from xungkich.people.models import OrgUnit, Volunteer
from xungkich.places import services as point_services
from xungkich.places.models import ClosedDay, ServicePoint
from xungkich.rosters import services, solving
from xungkich.rosters.models import Assignment, RosterPeriod, Shift, ShiftPattern
from xungkich.rosters.plan import checker, planning
from xungkich.rosters.plan.instance import load_instance
from xungkich.rosters.tests.mine_data import make_volunteer

MONDAY = dt.date(2030, 1, 7)  # far ahead: no shift has started


@dataclass
class Plan:
    point: ServicePoint
    morning: ShiftPattern
    afternoon: ShiftPattern
    period: RosterPeriod
    people: dict[str, Volunteer] = field(default_factory=dict)

    def shifts(self) -> list[Shift]:
        return list(self.period.shifts.select_related("point").order_by("start", "point_id"))


def make_plan(units: dict[str, OrgUnit], *, days: int = 7, people: int = 6) -> Plan:
    hoian = units["hoian"]
    point = point_services.create_service_point(
        by=None,
        name="Trung tâm Phục vụ hành chính công Hội An",
        unit=hoian,
        address="12 Trần Hưng Đạo",
        opening_hours="Thứ Hai – Thứ Sáu 7:30–11:30, 13:30–17:00",
    )
    morning = services.create_shift_pattern(
        by=None,
        point=point,
        name="Sáng",
        weekdays=[1, 2, 3, 4, 5, 6],
        start_time=dt.time(7, 30),
        end_time=dt.time(11, 30),
        demand=2,
        skill_needs={"senior": 1},
    )
    afternoon = services.create_shift_pattern(
        by=None,
        point=point,
        name="Chiều",
        weekdays=[1, 2, 3, 4, 5],
        start_time=dt.time(13, 30),
        end_time=dt.time(17),
        demand=2,
    )
    period = services.create_period(by=None, unit=hoian, name="Tháng 1/2030", start=MONDAY, days=days)
    plan = Plan(point=point, morning=morning, afternoon=afternoon, period=period)
    for index in range(people):
        skills = ["senior"] if index % 3 == 0 else []
        plan.people[f"p{index}"] = make_volunteer(
            units["branch"] if index % 2 else hoian, f"Tình nguyện viên {index}", skills=skills
        )
    return plan


def close(point: ServicePoint, day: dt.date, reason: str = "Nghỉ lễ") -> ClosedDay:
    return ClosedDay.objects.create(date=day, point=point, reason=reason)


@pytest.fixture
def plan(units):
    return make_plan(units)


@pytest.fixture
def closure(plan):
    return close(plan.point, MONDAY + dt.timedelta(days=20))


@pytest.fixture
def planned(plan):
    shift = plan.shifts()[0]
    return Assignment.objects.create(shift=shift, volunteer=plan.people["p0"], source="manual")


@pytest.fixture
def coord(client_for, coordinator):
    return client_for(coordinator)


def objects(plan, closure, planned):
    return {
        "period": plan.period.pk,
        "point": plan.point.pk,
        "pattern": plan.morning.pk,
        "shift": plan.shifts()[1].pk,
        "assignment": planned.pk,
        "closure": closure.pk,
    }


# (url name, object, method, readers may use it)
OBJECT_VIEWS = [
    ("rosters:period_detail", "period", "get", True),
    ("rosters:period_progress", "period", "get", True),
    ("rosters:point_detail", "point", "get", True),
    ("rosters:period_publish", "period", "get", False),
    ("rosters:period_export", "period", "get", False),
    ("rosters:assignment_add", "shift", "get", False),
    ("rosters:point_edit", "point", "get", False),
    ("rosters:pattern_create", "point", "get", False),
    ("rosters:pattern_edit", "pattern", "get", False),
    ("rosters:period_solve", "period", "post", False),
    ("rosters:period_solve_cancel", "period", "post", False),
    ("rosters:period_publish", "period", "post", False),
    ("rosters:period_refresh", "period", "post", False),
    ("rosters:assignment_add", "shift", "post", False),
    ("rosters:assignment_remove", "assignment", "post", False),
    ("rosters:point_edit", "point", "post", False),
    ("rosters:pattern_create", "point", "post", False),
    ("rosters:pattern_edit", "pattern", "post", False),
    ("rosters:pattern_set_active", "pattern", "post", False),
    ("rosters:closed_day_remove", "closure", "post", False),
]
PLAIN_VIEWS = [  # (url name, method, readers may use it)
    ("rosters:period_list", "get", True),
    ("rosters:point_list", "get", True),
    ("rosters:closed_days", "get", True),
    ("rosters:period_create", "get", False),
    ("rosters:point_create", "get", False),
    ("rosters:period_create", "post", False),
    ("rosters:point_create", "post", False),
    ("rosters:closed_days", "post", False),
]
GET_ONLY = [
    "rosters:period_detail",
    "rosters:period_progress",
    "rosters:point_detail",
    "rosters:period_export",
]
POST_ONLY = [
    "rosters:period_solve",
    "rosters:period_solve_cancel",
    "rosters:period_refresh",
    "rosters:assignment_remove",
    "rosters:pattern_set_active",
    "rosters:closed_day_remove",
]


def call(client, method, url):
    return getattr(client, method)(url)


@pytest.mark.parametrize(("name", "kind", "method", "_readers"), OBJECT_VIEWS)
def test_outsiders_get_404(client_for, outsider, plan, closure, planned, name, kind, method, _readers):
    url = reverse(name, args=[objects(plan, closure, planned)[kind]])
    assert call(client_for(outsider), method, url).status_code == 404


@pytest.mark.parametrize("persona", ["unit_leader"])
@pytest.mark.parametrize(("name", "kind", "method", "readers"), OBJECT_VIEWS)
def test_readers_read_and_cannot_write(
    request, client_for, persona, plan, closure, planned, name, kind, method, readers
):
    client = client_for(request.getfixturevalue(persona))
    url = reverse(name, args=[objects(plan, closure, planned)[kind]])
    assert call(client, method, url).status_code == (200 if readers else 403)


@pytest.mark.parametrize("persona", ["unit_leader"])
@pytest.mark.parametrize(("name", "method", "readers"), PLAIN_VIEWS)
def test_readers_on_the_lists(request, client_for, persona, plan, name, method, readers):
    response = call(client_for(request.getfixturevalue(persona)), method, reverse(name))
    assert response.status_code == (200 if readers else 403)


@pytest.mark.parametrize("persona", ["volunteer_user", "kiosk", "viewer"])
def test_volunteers_kiosks_and_viewers_get_403_everywhere(
    request, client_for, persona, plan, closure, planned
):
    client = client_for(request.getfixturevalue(persona))
    ids = objects(plan, closure, planned)
    for name, kind, method, _readers in OBJECT_VIEWS:
        assert call(client, method, reverse(name, args=[ids[kind]])).status_code == 403, name
    for name, method, _readers in PLAIN_VIEWS:
        assert call(client, method, reverse(name)).status_code == 403, name


def test_sign_in_required(client, plan):
    response = client.get(reverse("rosters:period_detail", args=[plan.period.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", GET_ONLY)
def test_get_only_views_refuse_post(coord, plan, name):
    assert (
        coord.post(reverse(name, args=[plan.period.pk if "period" in name else plan.point.pk])).status_code
        == 405
    )


@pytest.mark.parametrize("name", POST_ONLY)
def test_post_only_views_refuse_get(coord, plan, closure, planned, name):
    kind = next(k for n, k, m, _r in OBJECT_VIEWS if n == name)
    url = reverse(name, args=[objects(plan, closure, planned)[kind]])
    assert coord.get(url).status_code == 405


@pytest.mark.parametrize(
    "name", ["rosters:period_list", "rosters:point_list", "rosters:period_create", "rosters:closed_days"]
)
def test_list_views_refuse_put(coord, name):
    assert coord.put(reverse(name)).status_code == 405


# --- periods ---


def test_period_list(coord, plan, units):
    other = services.create_period(by=None, unit=units["other"], name="Hải Châu", start=MONDAY, days=3)
    response = coord.get(reverse("rosters:period_list"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r["period"] for r in rows] == [plan.period]
    assert rows[0]["places"] == sum(s.demand for s in plan.shifts()) and rows[0]["filled"] == 0
    assert other.name not in response.content.decode()
    assert reverse("rosters:period_create") in response.content.decode()


def test_unit_leader_sees_the_ward_period(client_for, unit_leader, plan):
    response = client_for(unit_leader).get(reverse("rosters:period_list"))
    assert [r["period"] for r in response.context["rows"]] == [plan.period]
    assert reverse("rosters:period_create") not in response.content.decode()


def test_period_create(coord, plan, units, coordinator):
    response = coord.post(
        reverse("rosters:period_create"),
        {
            "name": "Tháng 2/2030",
            "unit": units["hoian"].pk,
            "start": "04/02/2030",
            "days": "14",
            "max_shifts_per_day": "1",
            "min_rest_hours": "10",
        },
    )
    period = RosterPeriod.objects.get(name="Tháng 2/2030")
    assert response.status_code == 302 and response.url == reverse("rosters:period_detail", args=[period.pk])
    assert period.start == dt.date(2030, 2, 4) and period.days == 14
    assert period.shifts.count() == 12 + 10  # mornings Mon–Sat, afternoons Mon–Fri, two weeks
    assert AuditEntry.objects.filter(action="period.create", actor=coordinator).exists()


def test_period_create_rejects_a_unit_outside_and_bad_dates(coord, units):
    response = coord.post(
        reverse("rosters:period_create"),
        {"name": "X", "unit": units["other"].pk, "start": "31/02/2030", "days": "100"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"unit", "start", "days"}
    assert not RosterPeriod.objects.filter(name="X").exists()


def test_period_detail_grid(coord, plan, units):
    shifts = plan.shifts()
    Assignment.objects.create(shift=shifts[0], volunteer=plan.people["p0"], source="manual")
    close(plan.point, MONDAY + dt.timedelta(days=2), "Họp")
    response = coord.get(reverse("rosters:period_detail", args=[plan.period.pk]))
    assert response.status_code == 200
    grid = response.context["calendar"]
    assert len(grid.rows) == 7 and len(grid.columns) == 2
    body = response.content.decode()
    assert "07/01" in body and "07/01/2030" in body  # dd/mm in the grid, dd/mm/yyyy above
    assert "Tình nguyện viên 0" in body
    assert f"unit-c{planning.unit_colour(units['hoian'].pk)}" in body
    assert reverse("rosters:assignment_add", args=[shifts[0].pk]) in body
    assert reverse("rosters:period_solve", args=[plan.period.pk]) in body
    first = grid.rows[0].cells[0]
    assert first.empty == 1 and [p.volunteer for p in first.people] == [plan.people["p0"]]


def test_period_detail_read_only_has_no_buttons(client_for, viewer, plan):
    body = client_for(viewer).get(reverse("rosters:period_detail", args=[plan.period.pk])).content.decode()
    assert reverse("rosters:period_solve", args=[plan.period.pk]) not in body
    assert "assignment_add" not in body and "/add/" not in body


def test_period_detail_grid_partial_for_htmx(coord, plan):
    response = coord.get(
        reverse("rosters:period_detail", args=[plan.period.pk]) + "?partial=grid", HTTP_HX_REQUEST="true"
    )
    assert next(t.name for t in response.templates) == "rosters/plan/_grid.html"


def test_calendar_query_count_does_not_grow(coord, plan, units, django_assert_num_queries):
    url = reverse("rosters:period_detail", args=[plan.period.pk])
    shifts = plan.shifts()
    for index, shift in enumerate(shifts[:3]):
        Assignment.objects.create(shift=shift, volunteer=plan.people[f"p{index}"], source="manual")
    coord.get(url)  # warm the session
    # session, user, period, shifts, assignments (with volunteers and units), skills, closed days
    with django_assert_num_queries(7):
        assert coord.get(url).status_code == 200
    for shift in shifts[3:]:
        for _ in range(shift.demand):
            Assignment.objects.create(shift=shift, volunteer=make_volunteer(units["branch"]), source="manual")
    with django_assert_num_queries(7):
        response = coord.get(url)
    assert response.context["calendar"].filled > 10


# --- solving ---


def test_solve_through_the_view(coord, plan, coordinator):
    response = coord.post(reverse("rosters:period_solve", args=[plan.period.pk]), {"time_limit": "10"})
    assert response.status_code == 302
    plan.period.refresh_from_db()
    assert plan.period.status == "draft", plan.period.solver_progress
    progress = plan.period.solver_progress
    assert progress["stage"] == "done" and progress["percent"] == 100
    created = Assignment.objects.filter(shift__period=plan.period).select_related("shift")
    assert created.count() == progress["summary"]["created"] > 0
    pairs = [(a.shift.code, f"V{a.volunteer_id}") for a in created]
    instance = load_instance(planning.build_instance(plan.period))  # all solver-made: full demand
    assert checker.check(instance, pairs) == []
    assert AuditEntry.objects.get(action="period.solve").actor == coordinator
    page = coord.get(response.url)
    assert page.context["summary"]["created"] == created.count()
    assert 'id="solver-progress"' in page.content.decode()


def test_progress_polls_while_solving_and_refreshes_when_done(coord, plan):
    period = solving.claim_for_solving(period=plan.period, by=None, time_limit=30)
    url = reverse("rosters:period_progress", args=[period.pk])
    response = coord.get(url, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and 'hx-trigger="every 1s"' in body and "<progress" in body
    assert "HX-Refresh" not in response
    assert response["Cache-Control"].startswith("max-age=0")
    detail = coord.get(reverse("rosters:period_detail", args=[period.pk])).content.decode()
    assert reverse("rosters:period_solve", args=[period.pk]) + '"' not in detail  # no second run
    services.cancel_solving(period=period, by=None)
    response = coord.get(url, HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true" and "every 1s" not in response.content.decode()


def test_solve_refused_while_solving(coord, plan):
    solving.claim_for_solving(period=plan.period, by=None, time_limit=30)
    response = coord.post(reverse("rosters:period_solve", args=[plan.period.pk]), follow=True)
    assert response.status_code == 200
    assert not Assignment.objects.filter(shift__period=plan.period).exists()
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_cancel_a_run(coord, plan):
    solving.claim_for_solving(period=plan.period, by=None, time_limit=30)
    response = coord.post(reverse("rosters:period_solve_cancel", args=[plan.period.pk]))
    assert response.status_code == 302
    plan.period.refresh_from_db()
    assert plan.period.status == "draft" and plan.period.solver_progress["stage"] == "cancelled"


def test_publish(coord, plan, coordinator):
    url = reverse("rosters:period_publish", args=[plan.period.pk])
    page = coord.get(url)
    assert page.status_code == 200 and 'id="confirm-publish"' in page.content.decode()
    response = coord.post(url)
    assert response.status_code == 302
    plan.period.refresh_from_db()
    assert plan.period.status == "published" and plan.period.published_at is not None
    assert AuditEntry.objects.filter(action="period.publish", actor=coordinator).exists()


def test_refresh_shifts(coord, plan):
    close(plan.point, MONDAY)
    response = coord.post(reverse("rosters:period_refresh", args=[plan.period.pk]))
    assert response.status_code == 302
    assert plan.period.shifts.count() == 6 + 5 - 2


def test_export(coord, plan):
    response = coord.get(reverse("rosters:period_export", args=[plan.period.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert len(load_instance(json.loads(response.content)).shifts) == 11


# --- hand edits ---


def test_add_page_lists_who_can_take_the_place(coord, plan):
    shift = plan.shifts()[0]
    Assignment.objects.create(shift=shift, volunteer=plan.people["p0"], source="manual")
    response = coord.get(reverse("rosters:assignment_add", args=[shift.pk]))
    assert response.status_code == 200
    eligible = [c.volunteer for c in response.context["eligible"]]
    assert plan.people["p0"] not in eligible and plan.people["p1"] in eligible
    assert response.context["others"][0].volunteer == plan.people["p0"]
    searched = coord.get(reverse("rosters:assignment_add", args=[shift.pk]), {"q": "vien 1"})
    assert [c.volunteer for c in searched.context["eligible"]] == [plan.people["p1"]]


def test_add_a_volunteer(coord, plan, coordinator):
    shift = plan.shifts()[0]
    response = coord.post(
        reverse("rosters:assignment_add", args=[shift.pk]), {"volunteer": plan.people["p1"].pk}
    )
    assert response.status_code == 302 and response.url.endswith(f"#day-{MONDAY.isoformat()}")
    added = Assignment.objects.get(shift=shift)
    assert added.volunteer == plan.people["p1"] and added.source == "manual" and added.status == "planned"
    assert AuditEntry.objects.filter(action="assignment.add", actor=coordinator).exists()


def test_add_refused_by_a_rule(coord, plan, units):
    shift = plan.shifts()[0]
    trainee = make_volunteer(units["branch"], "Học Việc", skills=["trainee"])
    response = coord.post(reverse("rosters:assignment_add", args=[shift.pk]), {"volunteer": trainee.pk})
    assert response.status_code == 409
    assert not Assignment.objects.filter(shift=shift).exists()
    assert response.context["form"].non_field_errors()  # the rule, in the reader's language
    Assignment.objects.create(shift=plan.shifts()[1], volunteer=plan.people["p1"], source="manual")
    response = coord.post(  # the afternoon, 2 hours after the morning: rest and one shift a day
        reverse("rosters:assignment_add", args=[plan.shifts()[1].pk]), {"volunteer": plan.people["p1"].pk}
    )
    assert response.status_code == 409


def test_add_refuses_someone_outside_the_unit(coord, plan, units):
    stranger = make_volunteer(units["other"])
    shift = plan.shifts()[0]
    response = coord.post(reverse("rosters:assignment_add", args=[shift.pk]), {"volunteer": stranger.pk})
    assert response.status_code == 400
    assert not Assignment.objects.filter(shift=shift).exists()


def test_remove_a_volunteer(coord, plan, planned, coordinator):
    response = coord.post(reverse("rosters:assignment_remove", args=[planned.pk]))
    assert response.status_code == 302 and "#day-" in response.url
    assert not Assignment.objects.filter(pk=planned.pk).exists()
    assert AuditEntry.objects.filter(action="assignment.remove", actor=coordinator).exists()


def test_remove_refused_when_a_trainee_would_be_alone(coord, plan, units):
    shift = plan.shifts()[0]
    senior = Assignment.objects.create(shift=shift, volunteer=plan.people["p0"], source="manual")
    trainee = make_volunteer(units["branch"], skills=["trainee"])
    services.add_assignment(by=None, shift=shift, volunteer=trainee)
    response = coord.post(reverse("rosters:assignment_remove", args=[senior.pk]), follow=True)
    assert Assignment.objects.filter(pk=senior.pk).exists()
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_remove_refused_after_check_in(coord, plan, planned):
    Assignment.objects.filter(pk=planned.pk).update(check_in_at=timezone.now())
    coord.post(reverse("rosters:assignment_remove", args=[planned.pk]))
    assert Assignment.objects.filter(pk=planned.pk).exists()


def test_no_hand_edits_while_solving(coord, plan):
    solving.claim_for_solving(period=plan.period, by=None, time_limit=30)
    shift = plan.shifts()[0]
    response = coord.post(
        reverse("rosters:assignment_add", args=[shift.pk]), {"volunteer": plan.people["p1"].pk}
    )
    assert response.status_code == 409 and not Assignment.objects.filter(shift=shift).exists()


# --- service points and patterns ---


def test_point_list_and_detail(coord, plan):
    response = coord.get(reverse("rosters:point_list"))
    assert list(response.context["points"]) == [plan.point]
    assert response.context["points"][0].pattern_count == 2
    detail = coord.get(reverse("rosters:point_detail", args=[plan.point.pk]))
    assert detail.status_code == 200 and len(detail.context["patterns"]) == 2
    assert "Thứ Hai – Thứ Sáu 7:30–11:30, 13:30–17:00" in detail.content.decode()


def test_point_create(coord, units, coordinator):
    response = coord.post(
        reverse("rosters:point_create"),
        {
            "name": "Điểm hỗ trợ Cẩm Phô",
            "unit": units["branch"].pk,
            "kind": "ward_point",
            "address": "1 Nguyễn Duy Hiệu",
            "opening_hours": "Thứ Bảy 7:30–11:30",
        },
    )
    point = ServicePoint.objects.get(name="Điểm hỗ trợ Cẩm Phô")
    assert response.status_code == 302 and response.url == reverse("rosters:point_detail", args=[point.pk])
    assert point.unit == units["branch"] and point.opening_hours == "Thứ Bảy 7:30–11:30"


def test_point_create_duplicate_name(coord, plan, units):
    response = coord.post(
        reverse("rosters:point_create"),
        {"name": plan.point.name, "unit": units["hoian"].pk, "kind": "centre"},
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()


def test_point_edit(coord, plan):
    response = coord.post(
        reverse("rosters:point_edit", args=[plan.point.pk]),
        {
            "name": "Trung tâm mới",
            "kind": "centre",
            "address": "",
            "opening_hours": "Cả tuần",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    plan.point.refresh_from_db()
    assert plan.point.name == "Trung tâm mới" and plan.point.opening_hours == "Cả tuần"


def test_pattern_create_with_weekday_checkboxes(coord, plan):
    page = coord.get(reverse("rosters:pattern_create", args=[plan.point.pk]))
    assert page.content.decode().count('type="checkbox" name="weekdays"') == 7
    response = coord.post(
        reverse("rosters:pattern_create", args=[plan.point.pk]),
        {
            "name": "Sáng thứ Bảy",
            "weekdays": ["6", "7"],
            "start_time": "07:30",
            "end_time": "11:30",
            "demand": "3",
            "seniors": "2",
        },
    )
    assert response.status_code == 302
    pattern = ShiftPattern.objects.get(name="Sáng thứ Bảy")
    assert pattern.weekdays == [6, 7] and pattern.skill_needs == {"senior": 2} and pattern.demand == 3


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"weekdays": []}, "weekdays"),
        ({"end_time": "07:00"}, "end_time"),
        ({"seniors": "5"}, "seniors"),
        ({"demand": "0"}, "demand"),
    ],
)
def test_pattern_form_errors(coord, plan, data, field):
    base = {
        "name": "X",
        "weekdays": ["1"],
        "start_time": "07:30",
        "end_time": "11:30",
        "demand": "2",
        "seniors": "1",
    }
    response = coord.post(reverse("rosters:pattern_create", args=[plan.point.pk]), {**base, **data})
    assert response.status_code == 200 and field in response.context["form"].errors


def test_pattern_edit_keeps_other_skill_needs(coord, plan):
    ShiftPattern.objects.filter(pk=plan.morning.pk).update(skill_needs={"senior": 1, "tieng-anh": 1})
    response = coord.post(
        reverse("rosters:pattern_edit", args=[plan.morning.pk]),
        {
            "name": "Sáng",
            "weekdays": ["1", "3"],
            "start_time": "08:00",
            "end_time": "11:00",
            "demand": "4",
            "seniors": "0",
        },
    )
    assert response.status_code == 302
    plan.morning.refresh_from_db()
    assert plan.morning.weekdays == [1, 3] and plan.morning.start_time == dt.time(8)
    assert plan.morning.skill_needs == {"tieng-anh": 1}


def test_pattern_deactivate_and_activate(coord, plan):
    url = reverse("rosters:pattern_set_active", args=[plan.morning.pk])
    assert coord.post(url, {"active": "0"}).status_code == 302
    plan.morning.refresh_from_db()
    assert not plan.morning.is_active
    coord.post(url, {"active": "1"})
    plan.morning.refresh_from_db()
    assert plan.morning.is_active


# --- closed days ---


def test_close_a_day_for_a_unit(coord, plan, units):
    day = MONDAY + dt.timedelta(days=1)
    response = coord.post(
        reverse("rosters:closed_days"),
        {"date": day.strftime("%d/%m/%Y"), "where": f"u{units['hoian'].pk}", "reason": "Lễ"},
    )
    assert response.status_code == 302
    assert ClosedDay.objects.get(date=day).point == plan.point
    assert not plan.period.shifts.filter(start__date=day).exists()  # a draft loses that day's shifts
    page = coord.get(reverse("rosters:closed_days"))
    assert "Lễ" in page.content.decode() and page.context["rows"][0][1] is True


def test_close_a_day_refuses_other_units(coord, plan, units):
    response = coord.post(
        reverse("rosters:closed_days"), {"date": "08/01/2030", "where": f"u{units['other'].pk}"}
    )
    assert response.status_code == 400 and not ClosedDay.objects.exists()


def test_only_a_superuser_closes_every_point(coord, plan, client_for, units):
    response = coord.post(reverse("rosters:closed_days"), {"date": "08/01/2030", "where": "all"})
    assert response.status_code == 400
    from xungkich.people.models import User

    admin = User.objects.create_superuser("root", password="x", unit=units["city"], role="coordinator")
    response = client_for(admin).post(reverse("rosters:closed_days"), {"date": "08/01/2030", "where": "all"})
    assert response.status_code == 302 and ClosedDay.objects.get().point is None


def test_reopen_a_day(coord, closure):
    assert coord.post(reverse("rosters:closed_day_remove", args=[closure.pk])).status_code == 302
    assert not ClosedDay.objects.filter(pk=closure.pk).exists()
