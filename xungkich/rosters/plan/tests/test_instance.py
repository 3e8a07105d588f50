"""The xungkich-roster/1 format: loading, validation messages naming the field, dumping (pure)."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from xungkich.rosters.plan.instance import (
    InstanceError,
    Solution,
    Unfilled,
    UnmetSkill,
    dump_solution,
    load_assignments,
    load_instance,
    reachable,
)
from xungkich.rosters.plan.tests.test_solver import at, doc, shift, vol

ISSUE_EXAMPLE = {
    "format": "xungkich-roster/1",
    "name": "hoian-2026-12",
    "start": "2026-12-07",
    "days": 28,
    "timezone": "Asia/Ho_Chi_Minh",
    "rules": {"max_shifts_per_day": 1, "min_rest_hours": 10},
    "service_points": [{"id": "P01", "name": "Trung tâm Hành chính công"}],
    "shifts": [
        {
            "id": "P01-2026-12-07-S",
            "point": "P01",
            "start": "2026-12-07T07:30:00+07:00",
            "end": "2026-12-07T11:30:00+07:00",
            "demand": 3,
            "skills": {"senior": 1},
        }
    ],
    "volunteers": [
        {
            "id": "V0001",
            "name": "Nguyễn Thị Hoa",
            "unit": "U01",
            "points": ["P01"],
            "skills": ["senior"],
            "max_shifts_per_week": 3,
            "unavailable": [{"start": "2026-12-08T00:00:00+07:00", "end": "2026-12-10T00:00:00+07:00"}],
        }
    ],
}


def test_the_issue_example_loads():
    instance = load_instance(ISSUE_EXAMPLE)
    assert instance.name == "hoian-2026-12"
    assert instance.start == dt.date(2026, 12, 7)
    assert instance.weeks == 4
    assert instance.rules.max_shifts_per_day == 1
    assert instance.rules.min_rest_hours == 10
    (s,) = instance.shifts
    assert s.demand == 3 and s.skills == {"senior": 1}
    assert s.start.utcoffset() == dt.timedelta(hours=7)
    assert (s.day, s.week) == (0, 0)
    (v,) = instance.volunteers
    assert v.is_senior and not v.is_trainee
    assert v.points == frozenset({"P01"})
    assert v.unavailable[0].end - v.unavailable[0].start == dt.timedelta(days=2)
    assert instance.current == ()


def test_days_and_weeks_are_local():
    data = doc(
        [
            shift("A", 6, "07:30", "11:30"),
            {
                "id": "B",
                "point": "P01",
                "start": "2026-12-13T23:00:00+00:00",
                "end": at(7, "10:00"),
                "demand": 1,
            },
        ],
        [vol("V")],
    )
    a, b = load_instance(data).shifts
    assert (a.day, a.week) == (6, 0)
    assert (b.day, b.week) == (7, 1)


def test_defaults_and_current():
    data = doc([shift("A")], [vol("V", cap=None)], current=[("A", "V"), ("A", "V")])
    del data["rules"]
    instance = load_instance(data)
    assert instance.rules.max_shifts_per_day == 1
    assert instance.rules.min_rest_hours == 0
    assert instance.volunteers[0].max_shifts_per_week is None
    assert instance.current == (("A", "V"),)


def broken(path, value):
    data = copy.deepcopy(ISSUE_EXAMPLE)
    *parents, last = path.split(".")
    target = data
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        ("format", "xungkich-roster/2", "format"),
        ("name", KeyError, "name"),
        ("start", "07/12/2026", "start"),
        ("days", 0, "days"),
        ("days", "28", "days"),
        ("timezone", "Mars/Olympus", "timezone"),
        ("rules.max_shifts_per_day", 0, "rules.max_shifts_per_day"),
        ("rules.min_rest_hours", -1, "rules.min_rest_hours"),
        ("service_points", {"P01": "x"}, "service_points"),
        ("shifts.0.point", "P99", "shifts[0].point"),
        ("shifts.0.start", "2026-12-07T07:30:00", "shifts[0].start"),
        ("shifts.0.end", "2026-12-07T07:00:00+07:00", "shifts[0].end"),
        ("shifts.0.start", "2026-11-30T07:30:00+07:00", "shifts[0].start"),
        ("shifts.0.demand", -1, "shifts[0].demand"),
        ("shifts.0.demand", True, "shifts[0].demand"),
        ("shifts.0.skills", {"senior": 4}, "shifts[0].skills.senior"),
        ("shifts.0.id", "", "shifts[0].id"),
        ("volunteers.0.points", ["P02"], "volunteers[0].points[0]"),
        ("volunteers.0.skills", ["senior", "trainee"], "volunteers[0].skills"),
        ("volunteers.0.max_shifts_per_week", -2, "volunteers[0].max_shifts_per_week"),
        ("volunteers.0.unavailable", [{"start": "x", "end": "y"}], "volunteers[0].unavailable[0].start"),
        ("volunteers.0.id", KeyError, "volunteers[0].id"),
    ],
)
def test_errors_name_the_field(path, value, field):
    with pytest.raises(InstanceError) as caught:
        load_instance(broken(path, value))
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")


def test_duplicates_and_unknown_references():
    data = copy.deepcopy(ISSUE_EXAMPLE)
    data["shifts"].append(dict(data["shifts"][0]))
    with pytest.raises(InstanceError, match=r"^shifts\[1\]\.id: "):
        load_instance(data)
    data = copy.deepcopy(ISSUE_EXAMPLE)
    data["current"] = [{"shift": "P01-2026-12-07-S", "volunteer": "V9999"}]
    with pytest.raises(InstanceError, match=r"^current\[0\]\.volunteer: "):
        load_instance(data)
    with pytest.raises(InstanceError, match=r"^instance: "):
        load_instance([1, 2, 3])


def test_reachable_ignores_unavailable_people():
    data = doc(
        [shift("A", 0), shift("B", 1), shift("C", 0, point="P02")],
        [vol("V", unavailable=((at(1, "00:00"), at(2, "00:00")),)), vol("W", points=("P01", "P02"))],
    )
    assert reachable(load_instance(data)) == [[0, 1], [1], [1]]


def test_dump_solution_is_json_and_round_trips_the_assignments():
    solution = Solution(
        assignments=[("B", "V2"), ("A", "V1")],
        unfilled=[Unfilled("C", 2, "no_one_reaches", "Không ai đến được")],
        unmet_skills=[UnmetSkill("A", "senior", 1, "no_senior_free", "…")],
        stats={"filled": 2},
    )
    data = json.loads(json.dumps(dump_solution(solution), ensure_ascii=False))
    assert data["assignments"] == [{"shift": "A", "volunteer": "V1"}, {"shift": "B", "volunteer": "V2"}]
    assert data["unfilled"] == [
        {"shift": "C", "missing": 2, "code": "no_one_reaches", "reason": "Không ai đến được"}
    ]
    assert data["unmet_skills"][0]["code"] == "no_senior_free"
    assert data["stats"] == {"filled": 2}
    assert load_assignments(data) == [("A", "V1"), ("B", "V2")]
