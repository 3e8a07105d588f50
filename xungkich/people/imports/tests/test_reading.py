"""Reading and parsing volunteer lists: pure, no database."""

import codecs
import datetime as dt
import unicodedata

import pytest
from django.utils.translation import override

from xungkich.people.imports import reading
from xungkich.people.imports.reading import ImportFileError, SourceRow
from xungkich.people.imports.tests.samples import (
    HEADER,
    error_workbook,
    issue_workbook,
    long_sheet_workbook,
    padded_workbook,
    workbook_bytes,
)

TODAY = dt.date(2026, 3, 1)


def _problems(parsed):
    return [(p.row, p.code, p.severity) for row in parsed for p in row.problems]


def _parse(data, filename="list.xlsx"):
    return reading.parse_rows(reading.read_table(data, filename), today=TODAY)


# --- The list of the issue ----------------------------------------------------------------------


def test_issue_list_rows_are_found_by_their_spreadsheet_numbers():
    table = reading.read_table(issue_workbook(), "danh sach.xlsx")
    assert table.sheet == "Danh sách"
    assert table.header_row == 4
    # Title rows, the blank rows 3 and 7, the footer "Tổng cộng" and "BÍ THƯ" below are skipped.
    assert [row.row for row in table] == [5, 6, 8, 9, 10, 11]
    assert table.fields == [
        "full_name", "birth_date", "gender", "unit", "position", "phone", "email", "skills", "notes"
    ]  # fmt: skip
    assert table.has_unit_column
    assert table.ignored_headers == []  # STT is known and ignored
    # The merged unit cell E5:E9 gives its value to every row it covers.
    assert [row.cells["unit"] for row in table] == ["Chi đoàn Minh An"] * 4 + [
        "Đoàn phường Hội An",
        "Chi đoàn Minh An",
    ]


def test_issue_list_values_are_normalised():
    parsed = _parse(issue_workbook())
    expected = [
        (5, "Nguyễn Văn Bình", dt.date(2001, 3, 14), "male", "Chi đoàn Minh An", "Bí thư", "+84905123457",
         "binh.nguyen@example.com", ["Tin học", "VNeID"], ""),
        (6, "Trần Thị Hoa", dt.date(2001, 9, 5), "female", "Chi đoàn Minh An", "Đoàn viên", "+84905123458",
         "", ["VNeID", "Hướng dẫn dịch vụ công"], "Có xe máy"),
        (8, "Lê Minh Châu", dt.date(2000, 12, 1), "male", "Chi đoàn Minh An", "", "+84905123459", "", [], ""),
        (9, "Phạm Thu Dung", None, "female", "Chi đoàn Minh An", "", "+84905123460", "", ["Tin học"], ""),
        (10, "Võ Văn Em", dt.date(1999, 1, 20), "male", "Đoàn phường Hội An", "Phó Bí thư", "+84905123461",
         "", [], ""),
        (11, "Hoàng Thị Phương", dt.date(2002, 7, 15), "female", "Chi đoàn Minh An", "", "", "", [],
         "Chưa có số điện thoại"),
    ]  # fmt: skip
    assert [
        (
            p.row,
            p.full_name,
            p.birth_date,
            p.gender,
            p.unit_name,
            p.position,
            p.phone,
            p.email,
            p.skills,
            p.notes,
        )
        for p in parsed
    ] == expected
    assert unicodedata.is_normalized("NFC", parsed[1].full_name)
    # The only remark: row 11 has no phone, so it cannot be matched on a later import.
    assert _problems(parsed) == [(11, "phone_missing", "warning")]


def test_blank_cells_are_not_given():
    parsed = _parse(issue_workbook())
    assert parsed[3].given == {"full_name", "gender", "phone", "skills"}


# --- Problems by row ----------------------------------------------------------------------------


def test_every_problem_is_reported_by_row_number_and_code():
    parsed = _parse(error_workbook())
    assert [p.row for p in parsed] == [4, 5, 6, 7, 8, 9]
    # The unknown unit on row 9 is a database check (imports.service), not a parsing one.
    assert _problems(parsed) == [
        (5, "phone_invalid", "error"),
        (6, "name_missing", "error"),
        (7, "birth_date_invalid", "error"),
        (8, "duplicate_phone_in_file", "error"),
    ]


def test_problem_messages_in_english():
    with override("en"):
        parsed = _parse(error_workbook())
        messages = [p.message for row in parsed for p in row.problems]
    assert messages == [
        "Row 5: “0905 12” is not a valid phone number.",
        "Row 6: The full name is missing.",
        "Row 7: “31/02/2001” is not a valid date of birth (write it as dd/mm/yyyy).",
        "Row 8: The phone number 0905 111 222 is also on row 4.",
    ]


def test_same_person_twice_in_the_file_is_an_error():
    rows = [
        SourceRow(3, {"full_name": "Nguyễn Văn An", "birth_date": "01/02/2001", "phone": "0905111222"}),
        SourceRow(4, {"full_name": "NGUYỄN VĂN AN", "birth_date": "1/2/2001", "phone": ""}),
    ]
    assert _problems(reading.parse_rows(rows, today=TODAY)) == [
        (4, "phone_missing", "warning"),
        (4, "duplicate_person_in_file", "error"),
    ]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("0905 123 456", "+84905123456"),
        ("0905.123.456", "+84905123456"),
        ("0905-123-456", "+84905123456"),
        ("+84905123456", "+84905123456"),
        ("+84 905 123 456", "+84905123456"),
        ("84905123456", "+84905123456"),
        (905123456, "+84905123456"),
        (905123456.0, "+84905123456"),
        ("'0905123456", "+84905123456"),
        ("(0236) 3861 234", "+842363861234"),
    ],
)
def test_phones_in_every_spelling(cell, expected):
    parsed = reading.parse_rows([SourceRow(2, {"full_name": "A", "phone": cell})], today=TODAY)
    assert parsed[0].phone == expected
    assert parsed[0].problems == []


@pytest.mark.parametrize(
    ("cell", "expected", "codes"),
    [
        (dt.datetime(2001, 9, 5), dt.date(2001, 9, 5), []),
        ("05/09/2001", dt.date(2001, 9, 5), []),
        ("5/9/2001", dt.date(2001, 9, 5), []),
        ("05-09-2001", dt.date(2001, 9, 5), []),
        ("2001-09-05", dt.date(2001, 9, 5), []),
        (37139, dt.date(2001, 9, 5), []),  # a date cell that lost its format
        ("31/02/2001", None, ["birth_date_invalid"]),
        ("sinh năm 2001", None, ["birth_date_invalid"]),
        ("01/01/2030", None, ["birth_date_out_of_range"]),
        ("01/01/1850", None, ["birth_date_out_of_range"]),
        ("2001", None, ["birth_year_only"]),
        (2001, None, ["birth_year_only"]),
    ],
)
def test_birth_dates(cell, expected, codes):
    parsed = reading.parse_rows(
        [SourceRow(2, {"full_name": "A", "birth_date": cell, "phone": "0905123456"})], today=TODAY
    )
    assert parsed[0].birth_date == expected
    assert [p.code for p in parsed[0].problems] == codes


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("Nam", "male"), ("NỮ", "female"), ("Nu", "female"), ("nữ", "female"), ("Khác", "other"), ("", "")],
)
def test_genders(cell, expected):
    parsed = reading.parse_rows(
        [SourceRow(2, {"full_name": "A", "gender": cell, "phone": "0905123456"})], today=TODAY
    )
    assert (parsed[0].gender, parsed[0].problems) == (expected, [])


def test_unknown_gender_and_bad_email():
    parsed = reading.parse_rows(
        [SourceRow(2, {"full_name": "A", "gender": "x", "phone": "0905123456", "email": "an@"})], today=TODAY
    )
    assert _problems(parsed) == [(2, "gender_unknown", "warning"), (2, "email_invalid", "error")]


def test_skills_are_split_and_deduplicated():
    parsed = reading.parse_rows(
        [
            SourceRow(
                2, {"full_name": "A", "phone": "0905123456", "skills": "Tin học; VNeID / tin hoc,\nSơ cứu"}
            )
        ],
        today=TODAY,
    )
    assert parsed[0].skills == ["Tin học", "VNeID", "Sơ cứu"]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Họ và tên", "full_name"),
        ("HỌ TÊN", "full_name"),
        ("Ho\u0323 te\u0302n", "full_name"),
        ("Ngày sinh", "birth_date"),
        ("Ngày, tháng, năm sinh", "birth_date"),
        ("Ngày sinh (dd/mm/yyyy)", "birth_date"),
        ("Giới tính", "gender"),
        ("Chi đoàn", "unit"),
        ("Đơn vị", "unit"),
        ("Chức vụ", "position"),
        ("Chức vụ Đoàn", "position"),
        ("Số điện thoại", "phone"),
        ("SĐT", "phone"),
        ("Số ĐT", "phone"),
        ("Điện thoại", "phone"),
        ("Số điện thoại (Zalo)", "phone"),
        ("E-mail", "email"),
        ("Kỹ năng", "skills"),
        ("Ghi chú", "notes"),
        ("STT", "row_number"),
        ("Đơn vị công tác", None),
        ("Địa chỉ", None),
        ("Số CCCD", None),
    ],
)
def test_header_synonyms(header, field):
    assert reading.header_field(header) == field


# --- Layouts ------------------------------------------------------------------------------------


def test_two_row_header_and_column_numbers_and_split_names():
    rows = {
        3: ["STT", "Họ và tên", None, "Liên hệ", None, "Chi đoàn"],
        4: [None, "Họ đệm", "Tên", "SĐT", "Email", None],
        5: ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
        6: [1, "Nguyễn Văn", "An", "0905111222", "an@example.com", "Chi đoàn Minh An"],
    }
    data = workbook_bytes(rows, header=[], titles=False, merges=["B3:C3", "D3:E3", "A3:A4", "F3:F4"])
    table = reading.read_table(data, "list.xlsx")
    assert table.header_row == 3
    assert [(row.row, row.cells) for row in table] == [
        (
            6,
            {
                "full_name": "Nguyễn Văn An",
                "phone": "0905111222",
                "email": "an@example.com",
                "unit": "Chi đoàn Minh An",
            },
        )
    ]


def test_name_typed_in_merged_cells_is_read_once():
    rows = {1: ["STT", "Họ và tên", None, "SĐT"], 2: [1, "Nguyễn Văn An", None, "0905111222"]}
    data = workbook_bytes(rows, header=[], titles=False, merges=["B1:C1", "B2:C2"])
    assert [row.cells["full_name"] for row in reading.read_table(data, "list.xlsx")] == ["Nguyễn Văn An"]


def test_section_headings_give_the_unit_and_are_not_rows():
    rows = {
        2: ["I. Chi đoàn Minh An"],
        3: [1, "Nguyễn Văn An", "0905111222"],
        4: ["II", "Chi đoàn Cẩm Phô", None],
        5: [1, "Trần Thị Bé", "0905111333"],
    }
    data = workbook_bytes(
        rows, header=["STT", "Họ và tên", "SĐT"], header_row=1, titles=False, merges=["A2:C2"]
    )
    table = reading.read_table(data, "list.xlsx")
    assert [(row.row, row.section) for row in table] == [(3, "Chi đoàn Minh An"), (5, "Chi đoàn Cẩm Phô")]
    assert not table.has_unit_column


def test_position_bi_thu_is_data_but_a_bi_thu_signature_ends_the_list():
    rows = {
        2: [1, "Nguyễn Văn An", "Bí thư", "0905111222"],
        3: [None, None, None, None],
        4: [None, "Hội An, ngày 10 tháng 3 năm 2026", None, None],
        5: [None, "BÍ THƯ", None, None],
        6: [None, "Nguyễn Văn An", None, None],
    }
    data = workbook_bytes(rows, header=["STT", "Họ tên", "Chức vụ", "SĐT"], header_row=1, titles=False)
    assert [row.row for row in reading.read_table(data, "list.xlsx")] == [2]


def test_header_repeated_on_the_next_page_is_skipped():
    rows = {
        2: [1, "Nguyễn Văn An", "0905111222"],
        3: ["STT", "Họ tên", "SĐT"],
        4: [2, "Trần Bé", "0905111333"],
    }
    data = workbook_bytes(rows, header=["STT", "Họ tên", "SĐT"], header_row=1, titles=False)
    assert [row.row for row in reading.read_table(data, "list.xlsx")] == [2, 4]


def test_pre_numbered_empty_rows_are_blank():
    rows = {2: [1, "Nguyễn Văn An", "0905111222"], 3: [2, None, None], 4: [3, None, None]}
    data = workbook_bytes(rows, header=["STT", "Họ tên", "SĐT"], header_row=1, titles=False)
    assert [row.row for row in reading.read_table(data, "list.xlsx")] == [2]


def test_the_sheet_with_the_list_is_used():
    import io

    import openpyxl

    book = openpyxl.Workbook()
    cover = book.active
    assert cover is not None
    cover["A1"] = "Hướng dẫn điền"
    sheet = book.create_sheet("DS")
    sheet.append(["Họ tên", "SĐT"])
    sheet.append(["Nguyễn Văn An", "0905111222"])
    buffer = io.BytesIO()
    book.save(buffer)
    table = reading.read_table(buffer.getvalue(), "list.xlsx")
    assert (table.sheet, [row.row for row in table]) == ("DS", [2])


# --- CSV ----------------------------------------------------------------------------------------

CSV_TEXT = (
    "DANH SÁCH ĐOÀN VIÊN;;;\r\n"
    "STT;Họ và tên;Ngày sinh;Số điện thoại;Đơn vị\r\n"
    "1;Nguyễn Văn An;05/09/2001;0905 111 222;Chi đoàn Minh An\r\n"
    ";;;;\r\n"
    '2;"Trần Thị Bé";14/03/2002;905111333;Chi đoàn Minh An\r\n'
    "Tổng cộng: 2;;;;\r\n"
)


def test_csv_with_bom_and_semicolons():
    table = reading.read_table(codecs.BOM_UTF8 + CSV_TEXT.encode("utf-8"), "ds.csv")
    parsed = reading.parse_rows(table, today=TODAY)
    assert table.header_row == 2
    assert [(p.row, p.full_name, p.birth_date, p.phone, p.unit_name) for p in parsed] == [
        (3, "Nguyễn Văn An", dt.date(2001, 9, 5), "+84905111222", "Chi đoàn Minh An"),
        (5, "Trần Thị Bé", dt.date(2002, 3, 14), "+84905111333", "Chi đoàn Minh An"),
    ]
    assert _problems(parsed) == []


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def _windows_1258(text):
    """Windows' Vietnamese code page: letters with a vowel mark, tones as combining marks."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in parts if c in TONE_MARKS)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS)) + tones)
    return "".join(out).encode("cp1258")


@pytest.mark.parametrize(
    "encoded",
    [
        CSV_TEXT.encode("utf-8"),
        CSV_TEXT.replace(";", ",").encode("utf-8"),
        CSV_TEXT.replace(";", "\t").encode("utf-16"),
        _windows_1258(CSV_TEXT),
    ],
    ids=["utf8", "comma", "utf16-tab", "cp1258"],
)
def test_csv_encodings_and_delimiters(encoded):
    parsed = reading.parse_rows(reading.read_table(encoded, "ds.csv"), today=TODAY)
    assert [(p.row, p.full_name, p.phone) for p in parsed] == [
        (3, "Nguyễn Văn An", "+84905111222"),
        (5, "Trần Thị Bé", "+84905111333"),
    ]


# --- Files that are no list ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "filename", "code"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "danh sach.pdf", "import_file_type"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "anh.csv", "import_file_type"),
        (b"PK\x03\x04garbage", "ds.xlsx", "import_file_type"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "ds.xls", "import_file_xls"),
        (b"", "ds.csv", "import_file_empty"),
        ("Xin chào\nđây không phải danh sách\n".encode(), "ds.csv", "import_no_header"),
        ("Họ tên;SĐT\n".encode(), "ds.csv", "import_no_rows"),
        ("Họ tên;SĐT\n;\n".encode(), "ds.csv", "import_no_rows"),
    ],
)
def test_unreadable_files_raise_a_coded_error(data, filename, code):
    with pytest.raises(ImportFileError) as exc:
        reading.read_table(data, filename)
    assert exc.value.code == code


def test_not_a_spreadsheet_message_in_english():
    with override("en"), pytest.raises(ImportFileError) as exc:
        reading.read_table(b"%PDF-1.7\n", "danh sach.pdf")
    assert str(exc.value) == (
        "“danh sach.pdf” is not a spreadsheet that can be read. "
        "Upload an Excel workbook (.xlsx) or a CSV file."
    )


def test_too_large_files_are_refused(settings):
    settings.XK_IMPORT_MAX_BYTES = 1024 * 1024
    with override("en"), pytest.raises(ImportFileError) as exc:
        reading.read_table(b"x" * (3 * 1024 * 512), "ds.csv")
    assert exc.value.code == "import_file_too_large"
    assert str(exc.value) == "“ds.csv” is too large (1.5 MB); the limit is 1 MB."


def test_header_row_alone_is_not_enough():
    # "Họ tên" + "SĐT" is a header; one recognised column is not.
    assert reading.header_field("Họ tên") == "full_name"
    with pytest.raises(ImportFileError):
        reading.read_table("Họ tên;Quê quán\nAn;Hội An\n".encode(), "ds.csv")


def test_header_constant_is_the_issue_header():
    expected = ["row_number", "full_name", "birth_date", "gender", "unit", "position", "phone", "email",
                "skills", "notes"]  # fmt: skip
    assert [reading.header_field(name) for name in HEADER] == expected


# --- Spreadsheet bombs: refused from the zip directory and a streamed row count, before parsing --


@pytest.fixture
def no_parsing(monkeypatch):
    """Fail the test if the workbook is handed to openpyxl's (memory-hungry) full reader."""

    def refuse(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(reading.openpyxl, "load_workbook", refuse)


def test_a_small_workbook_unpacking_huge_is_refused_before_parsing(no_parsing):
    data = padded_workbook(30 * 1024 * 1024)  # 30 MB of zeros: the upload itself is a few KB
    assert len(data) < 100 * 1024
    with override("en"), pytest.raises(ImportFileError) as exc:
        reading.read_table(data, "ds.xlsx")
    assert exc.value.code == "import_file_too_large"
    assert str(exc.value) == (
        "“ds.xlsx” unpacks to more than 20 MB and cannot be read safely. Keep only the list in the "
        "workbook (no pictures or other sheets), or split it into smaller files."
    )


def test_a_member_compressed_far_beyond_a_spreadsheet_is_refused(no_parsing):
    # 5 MB unpacked is under the total limit, but no real sheet compresses a thousand times.
    with pytest.raises(ImportFileError) as exc:
        reading.read_table(padded_workbook(5 * 1024 * 1024), "ds.xlsx")
    assert exc.value.code == "import_file_too_large"


def test_more_rows_than_the_limit_are_refused_before_parsing(no_parsing):
    with override("en"), pytest.raises(ImportFileError) as exc:
        reading.read_table(long_sheet_workbook(5_100), "ds.xlsx")
    assert exc.value.code == "import_too_many_rows"
    assert str(exc.value) == "The list has more than 5,000 rows; split it into smaller files."
    with pytest.raises(ImportFileError) as exc:
        reading.read_table(long_sheet_workbook(5_100), "ds.xlsx")
    assert str(exc.value) == "Danh sách có hơn 5.000 dòng; hãy chia thành các tệp nhỏ hơn."


def test_the_row_limit_is_a_setting_and_counts_volunteers_not_blank_rows(settings):
    settings.XK_IMPORT_MAX_ROWS = 40
    assert len(reading.read_table(long_sheet_workbook(40), "ds.xlsx")) == 40
    with pytest.raises(ImportFileError) as exc:
        reading.read_table(long_sheet_workbook(80), "ds.xlsx")
    assert exc.value.code == "import_too_many_rows"


def test_a_csv_with_more_rows_than_the_limit_is_refused(settings):
    settings.XK_IMPORT_MAX_ROWS = 40
    lines = ["Họ tên;SĐT"] + [f"Nguyễn Văn {i};09{i:08d}" for i in range(41)]
    with override("en"), pytest.raises(ImportFileError) as exc:
        reading.read_table("\n".join(lines).encode(), "ds.csv")
    assert exc.value.code == "import_too_many_rows"
    assert str(exc.value) == "The list has more than 40 rows; split it into smaller files."
    assert len(reading.read_table("\n".join(lines[:41]).encode(), "ds.csv")) == 40


def test_a_large_csv_is_refused_while_streaming(monkeypatch):
    # 9 MB, 450,000 rows under a header: the limit is found while streaming, not after reading all.
    data = ("Họ tên;SĐT\n" + "Nguyễn Văn An;0905123457\n" * 450_000).encode()[: 9 * 1024 * 1024]
    seen = []
    reader = reading.csv.reader

    def counting_reader(*args, **kwargs):
        for record in reader(*args, **kwargs):
            seen.append(1)
            yield record

    monkeypatch.setattr(reading.csv, "reader", counting_reader)
    with pytest.raises(ImportFileError) as exc:
        reading.read_table(data, "ds.csv")
    assert exc.value.code == "import_too_many_rows"
    assert len(seen) <= reading.max_import_rows() + reading.ROW_SLACK + 1


def test_a_table_read_in_the_background_comes_back_from_json_unchanged():
    table = reading.read_table(issue_workbook(), "danh sach.xlsx")
    again = reading.table_from_json(reading.table_to_json(table))
    assert (again.sheet, again.header_row, again.fields, again.ignored_headers) == (
        table.sheet, table.header_row, table.fields, table.ignored_headers
    )  # fmt: skip
    assert [(r.row, r.cells, r.section) for r in again] == [(r.row, r.cells, r.section) for r in table]
    assert isinstance(again[0].cells["birth_date"], dt.datetime)
    assert _problems(reading.parse_rows(again, today=TODAY)) == _problems(
        reading.parse_rows(table, today=TODAY)
    )


def test_check_file_counts_rows_without_reading_the_list(no_parsing):
    assert reading.check_file(long_sheet_workbook(40), "ds.xlsx") == 41  # the header too
    assert reading.check_file("Họ tên;SĐT\nAn;0905123457\n\nBình;0905123458\n".encode(), "ds.csv") == 3


def test_notes_and_position_are_screened_like_the_forms():
    rows = [
        SourceRow(
            2, {"full_name": "Lê Văn Bình", "phone": "0905111222", "notes": "Mật\u200bkhẩu: Binh@2001"}
        ),
        SourceRow(3, {"full_name": "Trần Thị Cúc", "phone": "0905111333", "notes": "Zalo 0905 123 456"}),
        SourceRow(4, {"full_name": "Phạm Văn Dũng", "phone": "0905111444", "notes": "x" * 2001}),
    ]
    rows[1].cells["position"] = "Bí thư"
    parsed = reading.parse_rows(rows, today=TODAY)
    assert [(p.code, p.field) for p in parsed[0].problems] == [("secret_in_notes", "notes")]
    assert parsed[0].notes == ""
    assert "Binh@2001" not in parsed[0].problems[0].text
    assert (parsed[1].notes, parsed[1].position, parsed[1].problems) == ("Zalo [SĐT]", "Bí thư", [])
    assert [(p.code, p.field) for p in parsed[2].problems] == [("value_too_long", "notes")]
