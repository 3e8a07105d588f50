"""manage.py import_volunteers FILE [--dry-run] [--unit UNIT] [--user USERNAME]"""

import pytest
from django.core.management import CommandError, ManagementUtility, call_command
from django.utils.translation import override

from xungkich.core.models import AuditEntry
from xungkich.people.imports.tests.samples import error_workbook, issue_workbook, workbook_bytes
from xungkich.people.models import Volunteer


@pytest.fixture
def issue_file(tmp_path):
    path = tmp_path / "danh sach.xlsx"
    path.write_bytes(issue_workbook())
    return path


@pytest.fixture
def error_file(tmp_path):
    path = tmp_path / "loi.xlsx"
    path.write_bytes(error_workbook())
    return path


def test_import_prints_the_report_and_creates_the_people(units, issue_file, capsys):
    with override("en"):
        call_command("import_volunteers", str(issue_file))
    assert capsys.readouterr().out.splitlines() == [
        "Row 11 (warning): No phone number: this volunteer cannot be matched when the list is imported "
        "again.",
        "Summary: 6 rows read; 6 to create, 0 to update, 0 unchanged; 0 errors, 1 warnings.",
        "Imported: 6 created, 0 updated, 0 unchanged.",
    ]
    assert Volunteer.objects.count() == 6
    assert AuditEntry.objects.filter(action="volunteer.import", actor=None).count() == 1


def test_importing_again_updates_nothing(units, issue_file, capsys):
    call_command("import_volunteers", str(issue_file))
    with override("en"):
        call_command("import_volunteers", str(issue_file))
    assert capsys.readouterr().out.splitlines()[-1] == "Imported: 0 created, 0 updated, 6 unchanged."
    assert Volunteer.objects.count() == 6


def test_dry_run_writes_nothing(units, issue_file, capsys):
    with override("en"):
        call_command("import_volunteers", str(issue_file), "--dry-run")
    out = capsys.readouterr().out.splitlines()
    assert out[-2:] == [
        "Summary: 6 rows read; 6 to create, 0 to update, 0 unchanged; 0 errors, 1 warnings.",
        "Dry run: nothing was saved.",
    ]
    assert Volunteer.objects.count() == 0
    assert AuditEntry.objects.filter(action__startswith="volunteer.").count() == 0


@pytest.mark.parametrize("dry_run", [False, True])
def test_errors_are_printed_by_row_and_nothing_is_written(units, coordinator, error_file, capsys, dry_run):
    args = ["import_volunteers", str(error_file), "--user", coordinator.username]
    with override("en"), pytest.raises(CommandError) as exc:
        call_command(*args, *(["--dry-run"] if dry_run else []))
    assert capsys.readouterr().out.splitlines() == [
        "Row 5: “0905 12” is not a valid phone number.",
        "Row 6: The full name is missing.",
        "Row 7: “31/02/2001” is not a valid date of birth (write it as dd/mm/yyyy).",
        "Row 8: The phone number 0905 111 222 is also on row 4.",
        "Row 9: Unit “Chi đoàn Không Có” does not exist.",
        "Summary: 6 rows read; 1 to create, 0 to update, 0 unchanged; 5 errors, 0 warnings.",
    ]
    assert exc.value.returncode == 1
    assert Volunteer.objects.count() == 0
    assert AuditEntry.objects.filter(action__startswith="volunteer.").count() == 0


def test_report_in_vietnamese_by_default_keeps_row_numbers(units, error_file, capsys):
    with pytest.raises(CommandError):
        call_command("import_volunteers", str(error_file))
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 6
    assert [line.split(":")[0].split()[-1] for line in lines[:5]] == ["5", "6", "7", "8", "9"]


@pytest.mark.django_db(transaction=True)
def test_exit_status_is_1_on_errors_and_0_otherwise(units, error_file, issue_file, capsys):
    with pytest.raises(SystemExit) as exc:
        ManagementUtility(["manage.py", "import_volunteers", str(error_file)]).execute()
    assert exc.value.code == 1
    assert "0905 12" in capsys.readouterr().out
    assert Volunteer.objects.count() == 0
    ManagementUtility(["manage.py", "import_volunteers", str(issue_file), "--dry-run"]).execute()
    assert Volunteer.objects.count() == 0


def test_unit_option_and_user_scope(units, unit_leader, tmp_path, capsys):
    path = tmp_path / "ds.csv"
    path.write_text("Họ tên;SĐT\nNguyễn Văn An;0905111222\n", encoding="utf-8-sig")
    with pytest.raises(CommandError):
        call_command("import_volunteers", str(path), "--unit", "Đoàn phường Hải Châu", "--user", "leader")
    call_command("import_volunteers", str(path), "--unit", "chi doan minh an")
    assert Volunteer.objects.get().unit == units["branch"]
    assert Volunteer.objects.get().phone == "+84905111222"


def test_a_file_without_units_needs_the_unit_option(units, tmp_path):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(
        workbook_bytes(
            {2: [1, "Nguyễn Văn An", "0905111222"]},
            header=["STT", "Họ tên", "SĐT"],
            header_row=1,
            titles=False,
        )
    )
    with override("en"), pytest.raises(CommandError) as exc:
        call_command("import_volunteers", str(path))
    assert str(exc.value) == "The file has 1 problem to fix; nothing was imported."
    call_command("import_volunteers", str(path), "--unit", str(units["branch"].pk))
    assert Volunteer.objects.get().unit == units["branch"]


def test_unreadable_or_missing_files(units, tmp_path):
    path = tmp_path / "ds.pdf"
    path.write_bytes(b"%PDF-1.4")
    with override("en"), pytest.raises(CommandError) as exc:
        call_command("import_volunteers", str(path))
    assert str(exc.value).startswith("“ds.pdf” is not a spreadsheet")
    with pytest.raises(CommandError):
        call_command("import_volunteers", str(tmp_path / "missing.xlsx"))


def test_users_who_may_not_import(units, viewer, issue_file):
    with pytest.raises(CommandError):
        call_command("import_volunteers", str(issue_file), "--user", viewer.username)
    with pytest.raises(CommandError):
        call_command("import_volunteers", str(issue_file), "--user", "nobody")
