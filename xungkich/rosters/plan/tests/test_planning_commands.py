"""manage.py export_roster / solve_roster / import_roster_solution, end to end."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xungkich.core.models import AuditEntry
from xungkich.rosters import solving
from xungkich.rosters.models import Assignment
from xungkich.rosters.plan import checker, planning
from xungkich.rosters.plan.instance import load_instance
from xungkich.rosters.plan.tests.test_views import make_plan


@pytest.fixture
def plan(units):
    return make_plan(units)


def test_export_solve_import_round_trip(plan, tmp_path, coordinator):
    manual = Assignment.objects.create(shift=plan.shifts()[0], volunteer=plan.people["p0"], source="manual")
    instance_path, solution_path = tmp_path / "instance.json", tmp_path / "solution.json"
    out = StringIO()
    call_command("export_roster", str(plan.period.pk), "--out", str(instance_path), stdout=out)
    assert "11 shifts" in out.getvalue()
    document = json.loads(instance_path.read_text(encoding="utf-8"))
    instance = load_instance(document)
    assert instance.shifts[0].demand == 1  # one place is kept by hand
    call_command(
        "solve_roster", str(instance_path), "--out", str(solution_path), "--time-limit", "5",
        stdout=StringIO(), stderr=StringIO(),
    )  # fmt: skip
    out = StringIO()
    call_command(
        "import_roster_solution",
        str(plan.period.pk),
        str(solution_path),
        "--user",
        coordinator.username,
        stdout=out,
    )
    solution = json.loads(solution_path.read_text(encoding="utf-8"))
    assert Assignment.objects.filter(shift__period=plan.period, source="solver").count() == len(
        solution["assignments"]
    )
    assert Assignment.objects.filter(pk=manual.pk).exists()
    assert "places filled" in out.getvalue()
    assert AuditEntry.objects.get(action="period.solve").actor == coordinator
    # The whole roster keeps every rule.
    pairs = [
        (a.shift.code, f"V{a.volunteer_id}")
        for a in Assignment.objects.filter(shift__period=plan.period).select_related("shift")
    ]
    Assignment.objects.filter(pk=manual.pk).update(source="solver")  # so the instance has every place
    assert checker.check(load_instance(planning.build_instance(plan.period)), pairs) == []


def test_export_to_stdout(plan, capsys):
    call_command("export_roster", str(plan.period.pk), "--out", "-")
    assert json.loads(capsys.readouterr().out)["format"] == "xungkich-roster/1"


def test_export_unknown_period(db):
    with pytest.raises(CommandError, match="No roster period"):
        call_command("export_roster", "999999", "--out", "-")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "expected a JSON object"),
        ('{"assignments": [{"shift": "X", "volunteer": "V1"}]}', "solution_unknown_shift"),
        ('{"assignments": "all"}', "solution_format"),
    ],
)
def test_import_refuses_bad_files(plan, tmp_path, content, message):
    keep = Assignment.objects.create(shift=plan.shifts()[0], volunteer=plan.people["p1"], source="solver")
    path = tmp_path / "solution.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("import_roster_solution", str(plan.period.pk), str(path))
    assert Assignment.objects.filter(pk=keep.pk).exists()  # all or nothing


def test_import_refuses_unknown_volunteer(plan, tmp_path):
    path = tmp_path / "solution.json"
    code = plan.shifts()[0].code
    path.write_text(json.dumps({"assignments": [{"shift": code, "volunteer": "V999999"}]}), encoding="utf-8")
    with pytest.raises(CommandError, match="solution_unknown_volunteer"):
        call_command("import_roster_solution", str(plan.period.pk), str(path))


def test_import_refuses_missing_file_user_and_period(plan, tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_roster_solution", str(plan.period.pk), str(tmp_path / "nope.json"))
    path = tmp_path / "s.json"
    path.write_text('{"assignments": []}', encoding="utf-8")
    with pytest.raises(CommandError, match="No user"):
        call_command("import_roster_solution", str(plan.period.pk), str(path), "--user", "nobody")
    with pytest.raises(CommandError, match="No roster period"):
        call_command("import_roster_solution", "999999", str(path))


def test_import_refused_while_solving(plan, tmp_path):
    solving.claim_for_solving(period=plan.period, by=None, time_limit=30)
    path = tmp_path / "s.json"
    path.write_text('{"assignments": []}', encoding="utf-8")
    with pytest.raises(CommandError, match="solver is working"):
        call_command("import_roster_solution", str(plan.period.pk), str(path))
