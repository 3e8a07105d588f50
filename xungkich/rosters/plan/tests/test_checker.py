"""The independent roster checker: every hard rule caught on a hand-made roster (pure: no database)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from xungkich.rosters.plan import checker
from xungkich.rosters.plan.instance import load_instance
from xungkich.rosters.plan.tests.test_solver import at, doc, shift, vol


def rules(data, assignments):
    return sorted({v.rule for v in checker.check(load_instance(data), assignments)})


def test_a_valid_roster_has_no_violation():
    data = doc(
        [shift("A", 0, demand=2, skills={"senior": 1}), shift("B", 1)],
        [vol("S", skills=("senior",)), vol("T", skills=("trainee",)), vol("R")],
        rest=10,
    )
    assert checker.check(load_instance(data), [("A", "S"), ("A", "T"), ("B", "R")]) == []


@pytest.mark.parametrize(
    ("data", "assignments", "rule"),
    [
        (doc([shift("A")], [vol("V")]), [("X", "V")], "unknown_shift"),
        (doc([shift("A")], [vol("V")]), [("A", "W")], "unknown_volunteer"),
        (doc([shift("A", demand=2)], [vol("V")]), [("A", "V"), ("A", "V")], "duplicate"),
        (doc([shift("A", point="P02")], [vol("V")]), [("A", "V")], "unreachable_point"),
        (
            doc([shift("A")], [vol("V", unavailable=((at(0, "10:00"), at(0, "10:30")),))]),
            [("A", "V")],
            "unavailable",
        ),
        (
            doc(
                [shift("A", 0, "07:30", "11:30"), shift("B", 0, "11:00", "12:00", point="P02")],
                [vol("V", points=("P01", "P02"))],
                max_per_day=2,
            ),
            [("A", "V"), ("B", "V")],
            "overlap",
        ),
        (
            doc(
                [shift("A", 0, "13:00", "21:00"), shift("B", 1, "05:00", "09:00")],
                [vol("V")],
                rest=10,
            ),
            [("A", "V"), ("B", "V")],
            "min_rest",
        ),
        (
            doc([shift("A", 0, "07:30", "11:30"), shift("B", 0, "13:30", "17:00")], [vol("V")]),
            [("A", "V"), ("B", "V")],
            "max_per_day",
        ),
        (
            doc([shift("A", 0), shift("B", 1), shift("C", 2)], [vol("V", cap=2)]),
            [("A", "V"), ("B", "V"), ("C", "V")],
            "max_per_week",
        ),
        (doc([shift("A", demand=1)], [vol("V"), vol("W")]), [("A", "V"), ("A", "W")], "headcount"),
        (
            doc([shift("A", demand=2)], [vol("T", skills=("trainee",)), vol("R")]),
            [("A", "T"), ("A", "R")],
            "trainee_without_senior",
        ),
    ],
)
def test_each_rule_is_caught(data, assignments, rule):
    assert rules(data, assignments) == [rule]


def test_rest_boundary_is_allowed_and_weeks_are_local():
    data = doc([shift("A", 0, "13:00", "21:00"), shift("B", 1, "07:00", "11:00")], [vol("V")], rest=10)
    assert rules(data, [("A", "V"), ("B", "V")]) == []  # exactly 10 h
    # Sunday 23:00 local and Monday 06:00 local are in different weeks, whatever UTC says.
    late = {
        "id": "L",
        "point": "P01",
        "start": "2026-12-13T23:00:00+00:00",
        "end": "2026-12-14T01:00:00+00:00",
    }
    late["demand"] = 1
    data = doc([shift("A", 6), late], [vol("V", cap=1)])
    assert rules(data, [("A", "V"), ("L", "V")]) == []


def test_the_checker_does_not_use_the_solver_or_the_greedy():
    source = Path(checker.__file__).read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    assert not any("solver" in name or "greedy" in name for name in imported)
