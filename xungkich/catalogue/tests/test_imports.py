"""Importing procedure lists: reading messy exports, upsert by code, all or nothing, the command."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from xungkich.catalogue import imports as catalogue_import
from xungkich.catalogue import services as catalogue
from xungkich.catalogue.import_parsing import parse_fee, parse_level, parse_online_mode, read_table
from xungkich.catalogue.models import Procedure
from xungkich.catalogue.signals import procedure_saved
from xungkich.catalogue.tests.procedure_samples import ROWS, workbook
from xungkich.core.errors import DomainError
from xungkich.core.models import AuditEntry
from xungkich.people.imports.reading import ImportFileError
from xungkich.search.services import search

pytestmark = pytest.mark.django_db


def test_reads_past_title_rows_numbering_and_sections():
    table = read_table(workbook(), "danh muc.xlsx")
    assert table.header_row == 4
    assert [row for row, _ in table.rows] == [7, 8, 9]
    assert table.rows[0][1]["code"] == "1.001193"


def test_csv_with_semicolons():
    text = "DANH MỤC\n\nMã thủ tục;Tên thủ tục;Mức độ\n1.000894;Đăng ký kết hôn;Một phần\n"
    table = read_table(text.encode("utf-8"), "x.csv")
    assert table.rows[0][1]["name"] == "Đăng ký kết hôn"


def test_no_header_is_a_clear_error():
    with translation.override("vi"), pytest.raises(ImportFileError) as caught:
        read_table(b"a,b\n1,2\n", "x.csv")
    assert caught.value.code == "import_no_header"
    assert "Mã thủ tục" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "mode"),
    [("Toàn trình", "full"), ("Mức độ 4", "full"), ("một phần", "partial"), ("Mức độ 3", "partial"),
     ("", "none"), ("Mức độ 2", "none"), ("hình như có", None)],
)  # fmt: skip
def test_online_mode_with_legacy_labels(text, mode):
    assert parse_online_mode(text) == mode


def test_level_and_fee():
    assert parse_level("Cấp Xã") == "commune"
    assert parse_level("Cấp Tỉnh") == "province"
    assert parse_level("Cấp Bộ") == "ministry"
    fee = parse_fee("35.000 đồng/thẻ (từ ngày 01/07/2025)")
    assert (fee.amount, fee.effective_from) == (35000, dt.date(2025, 7, 1))
    assert parse_fee("Miễn phí").amount == 0


def test_import_creates_then_updates_by_code():
    result = catalogue_import.apply_import(data=workbook(), filename="dm.xlsx", by=None)
    assert len(result.created) == 3
    birth = Procedure.objects.get(code="1.001193")
    assert birth.level == "commune" and birth.online_mode == "partial"
    assert birth.documents == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    assert sorted(birth.channels.values_list("kind", flat=True)) == ["in_person", "online", "post"]
    provincial = Procedure.objects.get(code="1.013978.H36")
    fee = provincial.channels.get().fees.get()
    assert (fee.amount, fee.effective_from) == (50000, dt.date(2025, 7, 1))
    assert search("thu tuc thu nghiem")[0].code == "1.013978.H36"

    # Again, unchanged; then one name changed: one update, nothing created.
    preview = catalogue_import.preview_import(data=workbook(), filename="dm.xlsx")
    assert preview.counts == {"create": 0, "update": 0, "unchanged": 3, "error": 0}
    rows = [list(row) for row in ROWS]
    rows[0][2] = "Đăng ký khai sinh (mới)"
    result = catalogue_import.apply_import(data=workbook(rows), filename="dm.xlsx", by=None)
    assert (len(result.created), len(result.updated), result.unchanged) == (0, 1, 2)
    assert Procedure.objects.get(code="1.001193").name == "Đăng ký khai sinh (mới)"
    assert AuditEntry.objects.filter(action="procedure.import.update").count() == 1
    assert Procedure.objects.count() == 3


def test_update_keeps_what_the_file_does_not_carry():
    catalogue.load_seed()
    seeded = Procedure.objects.get(code="1.001193")
    catalogue_import.apply_import(data=workbook(), filename="dm.xlsx", by=None)
    seeded.refresh_from_db()
    assert seeded.summary and seeded.aliases  # no such columns in the file
    assert seeded.documents == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]


def test_errors_by_row_number_in_vietnamese_and_nothing_written():
    rows = [list(row) for row in ROWS]
    rows[1][1] = "mã sai!"
    rows[2][6] = "hình như có"
    rows.append([4, "1.001193", "Trùng mã", "Hộ tịch", "Cấp Xã", "", "", "", "", "", ""])
    data = workbook(rows)
    with translation.override("vi"):
        preview = catalogue_import.preview_import(data=data, filename="dm.xlsx")
        messages = [problem.message for problem in preview.errors]
        with pytest.raises(DomainError) as caught:
            catalogue_import.apply_import(data=data, filename="dm.xlsx", by=None)
    assert preview.counts["error"] == 3
    assert messages[0] == "Dòng 8: “mã sai!” không phải là mã thủ tục hợp lệ."
    assert messages[1].startswith("Dòng 9:")
    assert messages[2].startswith("Dòng 10:") and "dòng 7" in messages[2]
    assert caught.value.code == "import_has_errors"
    assert not Procedure.objects.exists()


def test_all_or_nothing_when_a_write_fails():
    calls = []

    def failing(sender, procedure, **kwargs):
        calls.append(procedure.code)
        if len(calls) == 2:
            raise RuntimeError("disk full")

    # A listener (the search index) failing on the second procedure undoes the first one too.
    procedure_saved.connect(failing, dispatch_uid="test.failing")
    try:
        with pytest.raises(RuntimeError):
            catalogue_import.apply_import(data=workbook(), filename="dm.xlsx", by=None)
    finally:
        procedure_saved.disconnect(dispatch_uid="test.failing")
    assert not Procedure.objects.exists()


def test_command_dry_run_then_import(tmp_path, capsys):
    path = tmp_path / "dm.xlsx"
    path.write_bytes(workbook())
    call_command("import_procedures", str(path), "--dry-run")
    assert "dry run: 3 new" in capsys.readouterr().out
    assert not Procedure.objects.exists()
    call_command("import_procedures", str(path))
    assert Procedure.objects.count() == 3


def test_command_reports_errors(tmp_path, capsys):
    rows = [list(row) for row in ROWS]
    rows[0][2] = ""
    path = tmp_path / "dm.xlsx"
    path.write_bytes(workbook(rows))
    with pytest.raises(CommandError):
        call_command("import_procedures", str(path))
    assert "7" in capsys.readouterr().err
    assert not Procedure.objects.exists()


def test_a_catalogue_workbook_bomb_is_refused_before_parsing(monkeypatch):
    from xungkich.people.imports import reading
    from xungkich.people.imports.tests.samples import padded_workbook

    monkeypatch.setattr(reading.openpyxl, "load_workbook", lambda *a, **k: pytest.fail("parsed"))
    with pytest.raises(ImportFileError) as caught:
        read_table(padded_workbook(30 * 1024 * 1024), "danh muc.xlsx")
    assert caught.value.code == "import_file_too_large"


def test_a_catalogue_csv_over_the_row_limit_is_refused_while_streaming():
    data = ("Mã thủ tục;Tên thủ tục\n" + "1.000001;Đăng ký khai sinh\n" * 400_000).encode()[: 9 * 1024 * 1024]
    with translation.override("vi"), pytest.raises(ImportFileError) as caught:
        read_table(data, "danh muc.csv")
    assert caught.value.code == "import_too_many_rows"
    assert str(caught.value) == "Danh sách có hơn 20.000 dòng; hãy chia thành các tệp nhỏ hơn."
