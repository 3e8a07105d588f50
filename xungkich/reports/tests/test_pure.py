"""The pure parts: figures arithmetic, trends, charts, exporters (no database)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from xungkich.reports import figures as f
from xungkich.reports.charts import bar_chart, column_chart
from xungkich.reports.exporters import Column, PersonalDataColumn, Sheet, sheet_title, write_csv, write_xlsx
from xungkich.reports.figures import FigureRow, from_rows, merge_rows, trend

D1, D2, D8 = dt.date(2026, 12, 1), dt.date(2026, 12, 2), dt.date(2026, 12, 8)


def test_from_rows_sums_totals_by_day_and_point_and_breakdowns_by_key():
    rows = [
        FigureRow(D1, 1, 10, f.SESSIONS, "", 3),
        FigureRow(D1, 2, None, f.SESSIONS, "", 2),
        FigureRow(D2, 1, 10, f.SESSIONS, "", 4),
        FigureRow(D2, 1, 10, f.BY_NEED, "account", 4),
        FigureRow(D2, 1, 10, f.NO_SHOWS, "", 0),
    ]
    figures = from_rows(rows)
    assert figures.totals == {f.SESSIONS: 9}
    assert figures.points == {10: {f.SESSIONS: 7}, None: {f.SESSIONS: 2}}
    assert figures.breakdowns == {f.BY_NEED: {"account": 4}}
    assert figures.days[D1] == {f.SESSIONS: 5}


def test_merge_rows_adds_duplicates_and_drops_zeros():
    rows = [
        FigureRow(D1, 1, 10, f.SHIFTS, "", 1),
        FigureRow(D1, 1, 10, f.SHIFTS, "", 2),
        FigureRow(D1, 1, 10, f.LATE, "", 0),
    ]
    assert merge_rows(rows) == [FigureRow(D1, 1, 10, f.SHIFTS, "", 3)]


def test_trend_by_week_and_month_includes_empty_buckets():
    figures = from_rows(
        [FigureRow(D1, 1, None, f.SESSIONS, "", 2), FigureRow(D8, 1, None, f.SESSIONS, "", 5)]
    )
    weeks = trend(figures, f.SESSIONS, by="week", start=D1, end=dt.date(2026, 12, 20))
    assert weeks == [(dt.date(2026, 11, 30), 2), (dt.date(2026, 12, 7), 5), (dt.date(2026, 12, 14), 0)]
    months = trend(figures, f.SESSIONS, by="month", start=dt.date(2026, 11, 15), end=dt.date(2027, 1, 3))
    assert months == [(dt.date(2026, 11, 1), 0), (dt.date(2026, 12, 1), 7), (dt.date(2027, 1, 1), 0)]


def test_shares_and_averages():
    figures = from_rows(
        [
            FigureRow(D1, 1, None, f.FOLLOWUPS_ANSWERED, "", 8),
            FigureRow(D1, 1, None, f.FOLLOWUPS_ALONE, "", 3),
            FigureRow(D1, 1, None, f.RATINGS, "", 4),
            FigureRow(D1, 1, None, f.RATING_POINTS, "", 17),
            FigureRow(D1, 1, None, f.VOLUNTEER_QUARTERS, "", 18),
        ]
    )
    assert figures.share(f.FOLLOWUPS_ALONE, f.FOLLOWUPS_ANSWERED) == Decimal("37.5")
    assert figures.average_rating == Decimal("4.25")
    assert figures.volunteer_hours == Decimal("4.50")
    assert figures.share(f.FAILED, f.SESSIONS) is None


def test_bar_chart_is_labelled_svg_with_its_rows_and_escapes_text():
    chart = bar_chart("c1", "Theo nhu cầu", [("Tài khoản <VNeID>", 12), ("Nộp hồ sơ", 6)])
    assert (
        chart.svg.startswith("<svg")
        and 'role="img"' in chart.svg
        and 'aria-labelledby="c1-title"' in chart.svg
    )
    assert "&lt;VNeID&gt;" in chart.svg and "<VNeID>" not in chart.svg
    assert chart.rows == [("Tài khoản <VNeID>", "12"), ("Nộp hồ sơ", "6")]
    # The longest bar is the full width, the other half of it.
    assert 'width="290.0"' in chart.svg and 'width="145.0"' in chart.svg


def test_column_chart_of_zeros_is_empty_and_decimals_show_plainly():
    assert column_chart("c2", "t", [("01/12", 0), ("08/12", 0)]).empty
    chart = column_chart("c3", "t", [("12/2026", Decimal("46.50")), ("01/2027", 1200)])
    assert not chart.empty
    assert chart.rows == [("12/2026", "46,5"), ("01/2027", "1\u202f200")]
    english = column_chart("c4", "t", [("12/2026", Decimal("1046.50"))], fmt="en")
    assert english.rows == [("12/2026", "1,046.5")]


def test_csv_writes_only_the_given_columns_and_refuses_personal_data():
    out = io.StringIO()
    records = [{"helped_on": D1, "need": "Tài khoản", "notes": "secret", "phone": "+84905123456"}]
    count = write_csv(out, columns=[Column("helped_on", "Ngày"), Column("need", "Nhu cầu")], records=records)
    assert count == 1
    text = out.getvalue()
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == [
        ["Ngày", "Nhu cầu"],
        ["01/12/2026", "Tài khoản"],
    ]
    with pytest.raises(PersonalDataColumn):
        write_csv(io.StringIO(), columns=[Column("phone", "SĐT")], records=records)
    with pytest.raises(PersonalDataColumn):
        write_csv(io.StringIO(), columns=[Column("dossier_code", "Mã hồ sơ")], records=records)


def test_sheet_titles_follow_excels_rules():
    assert sheet_title("Theo phường/xã cư trú", []) == "Theo phường-xã cư trú"
    assert sheet_title("x" * 40, []) == "x" * 31
    assert sheet_title("Tổng hợp", ["Tổng hợp"]) == "Tổng hợp (2)"


def test_xlsx_streams_rows_into_formatted_sheets():
    out = io.BytesIO()
    progress: list[int] = []
    rows = ([D1 + dt.timedelta(days=n % 30), n, Decimal("1.25")] for n in range(25_000))
    written = write_xlsx(
        out,
        title="Kết quả",
        subtitle="01/12/2026 – 31/12/2026",
        sheets=[
            Sheet("Tổng hợp", ["Chỉ tiêu", "Số liệu"], [["Người dân", 12]]),
            Sheet("Chi tiết", ["Ngày", "Số", "Giờ"], rows),
        ],
        on_row=progress.append,
    )
    assert written == 25_001
    assert progress == [10_000, 20_000]
    workbook = load_workbook(io.BytesIO(out.getvalue()))
    detail = workbook["Chi tiết"]
    assert detail["A1"].value == "Kết quả" and detail["A3"].value == "Ngày" and detail["A3"].font.bold
    assert detail["A4"].number_format == "DD/MM/YYYY" and detail.freeze_panes == "A4"
    assert detail.max_row == 25_003


FORMULAS = ['=HYPERLINK("http://x","click")', "+1", "-2", "@SUM(A1)", "\tx", "\rx", "＝1+1", "－3"]


def test_text_that_looks_like_a_formula_stays_text_and_numbers_stay_numbers():
    rows = [[text, -5, Decimal("-1.50"), D1] for text in FORMULAS]
    out = io.BytesIO()
    write_xlsx(out, title="=T", subtitle="s", sheets=[Sheet("S", ["=H", "Số", "Giờ", "Ngày"], rows)])
    sheet = load_workbook(io.BytesIO(out.getvalue()))["S"]
    assert sheet["A1"].data_type == "s" and sheet["A1"].value == "=T"
    assert sheet["A3"].data_type == "s" and sheet["A3"].value == "=H"
    for number, text in enumerate(FORMULAS, start=4):
        cell = sheet.cell(row=number, column=1)
        assert (cell.data_type, cell.value, cell.quotePrefix) == ("s", text, True)
        assert sheet.cell(row=number, column=2).value == -5
        assert sheet.cell(row=number, column=3).value == -1.5
        assert sheet.cell(row=number, column=4).value == dt.datetime(2026, 12, 1)
    assert not sheet["A1"].quotePrefix or sheet["A1"].value.startswith("=")
    csv_out = io.StringIO()
    records = [{"need": text, "duration_minutes": -5} for text in FORMULAS]
    write_csv(csv_out, columns=[Column("need", "N"), Column("duration_minutes", "M")], records=records)
    lines = list(csv.reader(io.StringIO(csv_out.getvalue().lstrip("\ufeff"))))[1:]
    assert lines == [["'" + text, "-5"] for text in FORMULAS]


def test_xlsx_keeps_every_kind_of_value():
    out = io.BytesIO()
    when = dt.datetime(2026, 12, 1, 7, 30)
    rows = [["  lề  ", "a < b & c", 0, 1.25, True, when, None, "", "x\x01y", "Đoàn"]]
    write_xlsx(out, title="T", subtitle="s", sheets=[Sheet("A/B", ["h"], rows, widths=(20,))])
    workbook = load_workbook(io.BytesIO(out.getvalue()))
    sheet = workbook["A-B"]
    values = [cell.value for cell in sheet[4]]
    assert values == ["  lề  ", "a < b & c", 0, 1.25, True, when, None, None, "x\ufffdy", "Đoàn"]
    assert sheet["A4"].font.name == "Times New Roman" and sheet["C4"].number_format == "#,##0"
    assert sheet["D4"].number_format == "#,##0.00" and sheet.column_dimensions["A"].width == 20
    assert sheet["A1"].font.size == 14 and sheet["A3"].fill.fgColor.rgb == "FFE8EEF7"


def test_a_period_is_read_as_whole_months_then_whole_weeks_then_left_over_days():
    from xungkich.reports.rollups import read_plan

    d = dt.date
    # 15/07 (Wednesday) – 21/10/2026: August and September whole; weeks of July and October.
    plan = read_plan(d(2026, 7, 15), d(2026, 10, 21))
    assert plan.months == [d(2026, 8, 1), d(2026, 9, 1)]
    assert plan.weeks == [d(2026, 7, 20), d(2026, 10, 5), d(2026, 10, 12)]
    assert plan.days == [
        (d(2026, 7, 15), d(2026, 7, 19)),
        (d(2026, 7, 27), d(2026, 7, 31)),
        (d(2026, 10, 1), d(2026, 10, 4)),
        (d(2026, 10, 19), d(2026, 10, 21)),
    ]
    # No whole month: weeks may cross a month end (30/11 – 06/12).
    plan = read_plan(d(2026, 11, 25), d(2026, 12, 16))
    assert (plan.months, plan.weeks) == ([], [d(2026, 11, 30), d(2026, 12, 7)])
    assert plan.days == [(d(2026, 11, 25), d(2026, 11, 29)), (d(2026, 12, 14), d(2026, 12, 16))]
    # One whole month, nothing else; one day, nothing but that day.
    assert read_plan(d(2026, 12, 1), d(2026, 12, 31)) == type(plan)([d(2026, 12, 1)], [], [])
    assert read_plan(d(2026, 12, 9), d(2026, 12, 9)).days == [(d(2026, 12, 9), d(2026, 12, 9))]
    # Every day of a year is read exactly once.
    plan = read_plan(d(2025, 11, 30), d(2026, 10, 31))
    covered = []
    for month in plan.months:
        covered += [
            month + dt.timedelta(days=i)
            for i in range(31)
            if (month + dt.timedelta(days=i)).month == month.month
        ]
    for monday in plan.weeks:
        covered += [monday + dt.timedelta(days=i) for i in range(7)]
    for first, last in plan.days:
        covered += [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    assert sorted(covered) == [d(2025, 11, 30) + dt.timedelta(days=i) for i in range(336)]


def test_libreoffice_calc_reads_the_workbook_as_the_recipient_would(tmp_path):
    """The workbook is written by hand (not by a spreadsheet library): a real spreadsheet program
    must read every sheet, text, number and formula-looking name back as written."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: cannot open the .xlsx as a recipient would")
    rows = [["Nguyễn Thị Ánh", 12, Decimal("3.5"), '=HYPERLINK("http://x","y")', "  lề", -5, "a & <b>"]] * 3
    source = tmp_path / "bao-cao.xlsx"
    with source.open("wb") as out:
        write_xlsx(
            out,
            title="Báo cáo",
            subtitle="Tháng 12/2026",
            sheets=[
                Sheet("Lượt hỗ trợ", ["Tên", "Số", "Giờ", "Công thức", "Lề", "Âm", "Ký tự"], rows),
                Sheet("Theo tháng", ["Tháng", "Lượt"], [["12/2026", 1250]]),
            ],
        )
    # CSV filter: comma, double quote, UTF-8, from row 1; -1 writes every sheet to its own file.
    csv_filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    run = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            csv_filter,
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=180,
    )
    sheets = sorted(tmp_path.glob("bao-cao-*.csv"))
    if not sheets and b"no export filter" in run.stderr + run.stdout:
        pytest.skip("LibreOffice Calc is not installed (apt-get install libreoffice-calc-nogui)")
    assert [path.name for path in sheets] == ["bao-cao-Lượt hỗ trợ.csv", "bao-cao-Theo tháng.csv"]
    records = list(csv.reader(sheets[0].open(encoding="utf-8")))
    assert records[0][0] == "Báo cáo" and records[1][0] == "Tháng 12/2026"
    assert records[2] == ["Tên", "Số", "Giờ", "Công thức", "Lề", "Âm", "Ký tự"]
    assert (
        records[3:]
        == [["Nguyễn Thị Ánh", "12", "3.5", '=HYPERLINK("http://x","y")', "  lề", "-5", "a & <b>"]] * 3
    )
    by_month = list(csv.reader(sheets[1].open(encoding="utf-8")))
    assert by_month[3] == ["12/2026", "1250"]  # values as stored, not as formatted
