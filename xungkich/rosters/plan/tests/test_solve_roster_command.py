"""``manage.py solve_roster`` end to end, without a database (no ``db`` fixture: any query fails)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xungkich.rosters.plan import checker
from xungkich.rosters.plan.instance import load_assignments, load_instance
from xungkich.rosters.plan.tests.test_solver import doc, shift, vol

ROOT = Path(__file__).resolve().parents[4]  # the repository (manage.py)


def instance_file(tmp_path: Path) -> Path:
    data = doc(
        [shift("A", 0, demand=2, skills={"senior": 1}), shift("B", 1), shift("C", 2, point="P02")],
        [vol("S", skills=("senior",)), vol("R"), vol("T", skills=("trainee",))],
        rest=10,
    )
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_it_solves_a_file(tmp_path):
    path = instance_file(tmp_path)
    out = tmp_path / "solution.json"
    stdout, stderr = StringIO(), StringIO()
    call_command(
        "solve_roster", str(path), "--out", str(out), "--time-limit", "5", "--language", "en",
        stdout=stdout, stderr=stderr,
    )  # fmt: skip
    solution = json.loads(out.read_text(encoding="utf-8"))
    instance = load_instance(json.loads(path.read_text(encoding="utf-8")))
    pairs = load_assignments(solution)
    assert checker.check(instance, pairs) == []
    assert len(pairs) == 3
    assert solution["unfilled"] == [
        {
            "shift": "C",
            "missing": 1,
            "code": "no_one_reaches",
            "reason": "Nobody can reach this service point at that time.",
        }
    ]
    assert solution["stats"]["filled"] == 3
    assert "3/4 places filled" in stdout.getvalue()
    progress = stderr.getvalue().splitlines()
    assert progress[0].split()[-2:] == ["greedy", "3"]
    assert "done" in progress[-1]


def test_it_writes_to_stdout(tmp_path, capsys):
    call_command(
        "solve_roster", str(instance_file(tmp_path)), "--out", "-", "--time-limit", "2", stderr=StringIO()
    )
    assert json.loads(capsys.readouterr().out)["stats"]["slots"] == 4


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read the file"),
        ("{not json", "not valid JSON (line 1"),
        ('{"format": "xungkich-roster/1", "name": "x"}', "start: "),
    ],
)
def test_a_bad_file_is_a_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("solve_roster", str(path), "--out", str(tmp_path / "out.json"))
    assert message in str(caught.value)
    assert not (tmp_path / "out.json").exists()


def test_bad_options(tmp_path):
    with pytest.raises(CommandError, match="--time-limit"):
        call_command("solve_roster", str(instance_file(tmp_path)), "--out", "-", "--time-limit", "0")


def run_manage(*args: str) -> subprocess.CompletedProcess[str]:
    # A database URL that cannot be opened: the command must not need it.
    env = dict(os.environ, DATABASE_URL="sqlite:////nonexistent-dir/none.sqlite3")
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "solve_roster", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )


def test_the_process_runs_without_a_database_and_fails_on_a_bad_file(tmp_path):
    out = tmp_path / "solution.json"
    done = run_manage(str(instance_file(tmp_path)), "--out", str(out), "--time-limit", "3")
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["stats"]["filled"] == 3
    assert "greedy" in done.stderr

    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({"format": "xungkich-roster/1", "name": "x", "start": "2026-12-07"}), encoding="utf-8"
    )
    failed = run_manage(str(bad), "--out", str(tmp_path / "x.json"))
    assert failed.returncode != 0
    assert "days: " in failed.stderr
