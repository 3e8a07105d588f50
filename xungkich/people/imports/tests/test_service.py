"""imports.service: the preview against the database and the one-transaction write."""

import codecs
import datetime as dt

import pytest
from django.utils.translation import override

from xungkich.core.errors import DomainError
from xungkich.core.models import AuditEntry
from xungkich.people import services
from xungkich.people.imports import service as import_service
from xungkich.people.imports.reading import ImportFileError
from xungkich.people.imports.service import CREATE, ERROR, UNCHANGED, UPDATE
from xungkich.people.imports.tests.samples import error_workbook, issue_rows, issue_workbook, workbook_bytes
from xungkich.people.models import Skill, Volunteer


def _problems(preview):
    return [(p.row, p.code) for p in preview.problems]


def _people():
    return [
        (
            v.full_name,
            v.phone,
            v.unit.name,
            v.birth_date,
            v.gender,
            v.position,
            v.email,
            v.notes,
            v.search_key,
        )
        for v in Volunteer.objects.select_related("unit").order_by("pk")
    ]


ISSUE_PEOPLE = [
    ("Nguyễn Văn Bình", "+84905123457", "Chi đoàn Minh An", dt.date(2001, 3, 14), "male", "Bí thư",
     "binh.nguyen@example.com", "", "nguyen van binh"),
    ("Trần Thị Hoa", "+84905123458", "Chi đoàn Minh An", dt.date(2001, 9, 5), "female", "Đoàn viên", "",
     "Có xe máy", "tran thi hoa"),
    ("Lê Minh Châu", "+84905123459", "Chi đoàn Minh An", dt.date(2000, 12, 1), "male", "", "", "",
     "le minh chau"),
    ("Phạm Thu Dung", "+84905123460", "Chi đoàn Minh An", None, "female", "", "", "", "pham thu dung"),
    ("Võ Văn Em", "+84905123461", "Đoàn phường Hội An", dt.date(1999, 1, 20), "male", "Phó Bí thư", "", "",
     "vo van em"),
    ("Hoàng Thị Phương", "", "Chi đoàn Minh An", dt.date(2002, 7, 15), "female", "", "",
     "Chưa có số điện thoại", "hoang thi phuong"),
]  # fmt: skip


# --- The list of the issue ----------------------------------------------------------------------


def test_preview_of_the_issue_list(coordinator):
    preview = import_service.preview_import(data=issue_workbook(), filename="ds.xlsx", by=coordinator)
    assert [(row.row, row.status) for row in preview.rows] == [
        (5, CREATE), (6, CREATE), (8, CREATE), (9, CREATE), (10, CREATE), (11, CREATE)
    ]  # fmt: skip
    assert _problems(preview) == [(11, "phone_missing")]
    assert not preview.has_errors
    assert preview.can_confirm
    assert Volunteer.objects.count() == 0


def test_import_creates_exactly_the_people_of_the_list(coordinator):
    result = import_service.apply_import(data=issue_workbook(), filename="ds.xlsx", by=coordinator)
    assert (len(result.created), len(result.updated), result.unchanged) == (6, 0, 0)
    assert _people() == ISSUE_PEOPLE
    skills = {v.full_name: sorted(s.name for s in v.skills.all()) for v in Volunteer.objects.all()}
    assert skills["Nguyễn Văn Bình"] == ["Tin học", "VNeID"]
    assert skills["Trần Thị Hoa"] == ["Hướng dẫn dịch vụ công", "VNeID"]
    assert skills["Phạm Thu Dung"] == ["Tin học"]
    assert sorted(Skill.objects.values_list("code", "name")) == [
        ("huong-dan-dich-vu-cong", "Hướng dẫn dịch vụ công"),
        ("tin-hoc", "Tin học"),
        ("vneid", "VNeID"),
    ]


def test_import_leaves_one_audit_entry_per_person_and_a_summary(coordinator):
    import_service.apply_import(data=issue_workbook(), filename="ds.xlsx", by=coordinator)
    creates = AuditEntry.objects.filter(action="volunteer.create").order_by("pk")
    assert creates.count() == 6
    first = creates[0]
    binh = Volunteer.objects.get(phone="+84905123457")
    assert (first.actor, first.object_id, str(first.unit)) == (coordinator, str(binh.pk), "Chi đoàn Minh An")
    assert first.after == {
        "full_name": "Nguyễn Văn Bình",
        "birth_date": "2001-03-14",
        "gender": "male",
        "unit": binh.unit_id,
        "position": "Bí thư",
        "phone": "+84905123457",
        "email": "binh.nguyen@example.com",
        "skills": sorted(binh.skills.values_list("pk", flat=True)),
        "notes": "",
        "is_active": True,
        "joined_on": None,
    }
    summary = AuditEntry.objects.get(action="volunteer.import")
    assert str(summary.unit) == "Đoàn phường Hội An"
    assert summary.after == {
        "file": "ds.xlsx", "rows": 6, "created": 6, "updated": 0, "unchanged": 0, "warnings": 1
    }  # fmt: skip


def test_reimporting_the_same_file_changes_nothing(coordinator):
    import_service.apply_import(data=issue_workbook(), filename="ds.xlsx", by=coordinator)
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True)[0]
    preview = import_service.preview_import(data=issue_workbook(), filename="ds.xlsx", by=coordinator)
    # Row 11 has no phone: it is matched by name and date of birth.
    assert [row.status for row in preview.rows] == [UNCHANGED] * 6
    assert not preview.can_confirm
    result = import_service.apply_import(data=issue_workbook(), filename="ds.xlsx", by=coordinator)
    assert (len(result.created), len(result.updated), result.unchanged) == (0, 0, 6)
    assert _people() == ISSUE_PEOPLE
    assert list(AuditEntry.objects.filter(pk__gt=last).values_list("action", flat=True)) == [
        "volunteer.import"
    ]


def test_a_changed_email_updates_that_person_only(coordinator):
    import_service.apply_import(data=issue_workbook(), filename="ds.xlsx", by=coordinator)
    rows = issue_rows()
    rows[8][7] = "chau.le@example.com"  # Lê Minh Châu gets an e-mail
    rows[5][8] = "Tin học"  # Nguyễn Văn Bình keeps one skill
    changed = workbook_bytes(rows, merges=["E5:E9"], footer_row=12)
    with override("en"):
        preview = import_service.preview_import(data=changed, filename="ds.xlsx", by=coordinator)
        assert [(row.row, row.status) for row in preview.rows] == [
            (5, UPDATE), (6, UNCHANGED), (8, UPDATE), (9, UNCHANGED), (10, UNCHANGED), (11, UNCHANGED)
        ]  # fmt: skip
        assert [(c.label, c.before, c.after) for c in preview.rows[0].changes] == [
            ("Skills", "Tin học, VNeID", "Tin học")
        ]
        assert [(c.label, c.before, c.after) for c in preview.rows[2].changes] == [
            ("Email", "", "chau.le@example.com")
        ]
    result = import_service.apply_import(data=changed, filename="ds.xlsx", by=coordinator)
    assert (len(result.created), len(result.updated), result.unchanged) == (0, 2, 4)
    chau = Volunteer.objects.get(phone="+84905123459")
    assert chau.email == "chau.le@example.com"
    binh = Volunteer.objects.get(phone="+84905123457")
    assert [s.name for s in binh.skills.all()] == ["Tin học"]
    update = AuditEntry.objects.get(action="volunteer.update", object_id=str(chau.pk))
    assert update.changes() == [("email", "", "chau.le@example.com")]
    update = AuditEntry.objects.get(action="volunteer.update", object_id=str(binh.pk))
    assert [name for name, _, _ in update.changes()] == ["skills"]
    assert Volunteer.objects.count() == 6


def test_blank_cells_keep_stored_values(coordinator, units):
    services.create_volunteer(
        by=None,
        data={"full_name": "Lê Minh Châu", "unit": units["branch"], "phone": "0905123459", "email": "c@x.vn"},
    )
    preview = import_service.preview_import(data=issue_workbook(), filename="ds.xlsx", by=coordinator)
    row = preview.rows[2]
    assert row.status == UPDATE
    assert [c.field for c in row.changes] == ["birth_date", "gender"]  # the e-mail cell is blank


# --- Errors: nothing is written -----------------------------------------------------------------


def test_a_file_with_errors_lists_them_all_and_writes_nothing(coordinator):
    audit_before = AuditEntry.objects.count()
    preview = import_service.preview_import(data=error_workbook(), filename="ds.xlsx", by=coordinator)
    assert _problems(preview) == [
        (5, "phone_invalid"),
        (6, "name_missing"),
        (7, "birth_date_invalid"),
        (8, "duplicate_phone_in_file"),
        (9, "unit_not_found"),
    ]
    assert [row.status for row in preview.rows] == [CREATE, ERROR, ERROR, ERROR, ERROR, ERROR]
    assert not preview.can_confirm
    with pytest.raises(DomainError) as exc:
        import_service.apply_import(data=error_workbook(), filename="ds.xlsx", by=coordinator)
    assert exc.value.code == "import_has_errors"
    assert _problems(exc.value.details) == _problems(preview)
    assert Volunteer.objects.count() == 0
    assert Skill.objects.count() == 0
    assert AuditEntry.objects.count() == audit_before


def test_error_messages_in_english(coordinator):
    with override("en"):
        preview = import_service.preview_import(data=error_workbook(), filename="ds.xlsx", by=coordinator)
        assert [p.message for p in preview.problems] == [
            "Row 5: “0905 12” is not a valid phone number.",
            "Row 6: The full name is missing.",
            "Row 7: “31/02/2001” is not a valid date of birth (write it as dd/mm/yyyy).",
            "Row 8: The phone number 0905 111 222 is also on row 4.",
            "Row 9: Unit “Chi đoàn Không Có” does not exist.",
        ]
        with pytest.raises(DomainError) as exc:
            import_service.apply_import(data=error_workbook(), filename="ds.xlsx", by=coordinator)
        assert str(exc.value) == "The file has 5 problems to fix; nothing was imported."


def test_same_name_and_birth_date_with_another_phone_is_an_error(coordinator, units):
    services.create_volunteer(
        by=None,
        data={
            "full_name": "Nguyễn Văn Bình",
            "birth_date": dt.date(2001, 3, 14),
            "unit": units["branch"],
            "phone": "0935000111",
        },
    )
    with override("en"):
        preview = import_service.preview_import(data=issue_workbook(), filename="ds.xlsx", by=coordinator)
        message = preview.problems[0].message
    assert _problems(preview) == [(5, "duplicate_existing"), (11, "phone_missing")]
    assert message == (
        "Row 5: Nguyễn Văn Bình, born 14/03/2001, is already registered in Chi đoàn Minh An with the phone "
        "number 0935 000 111. If it is the same person, correct the phone number in the file or on their "
        "profile."
    )


def test_a_phone_of_another_units_volunteer_is_an_error(coordinator, units):
    services.create_volunteer(
        by=None, data={"full_name": "Hồ Thị Khác", "unit": units["other"], "phone": "0905123458"}
    )
    preview = import_service.preview_import(data=issue_workbook(), filename="ds.xlsx", by=coordinator)
    assert _problems(preview) == [(6, "phone_outside_scope"), (11, "phone_missing")]


def test_a_volunteer_without_phone_gets_the_phone_of_the_list(coordinator, units):
    services.create_volunteer(
        by=None,
        data={"full_name": "Lê Minh Châu", "birth_date": dt.date(2000, 12, 1), "unit": units["branch"]},
    )
    preview = import_service.preview_import(data=issue_workbook(), filename="ds.xlsx", by=coordinator)
    assert preview.rows[2].status == UPDATE
    assert [c.field for c in preview.rows[2].changes] == ["gender", "phone"]


def test_the_same_volunteer_twice_in_the_file_is_an_error(coordinator, units):
    services.create_volunteer(
        by=None, data={"full_name": "Lê Minh Châu", "unit": units["branch"], "phone": "0905123459"}
    )
    rows = {
        3: [1, "Lê Minh Châu", None, None, "Chi đoàn Minh An", None, "0905123459"],
        4: [2, "Le Minh Chau", None, None, "Chi đoàn Minh An", None, None],  # matched by name in the unit
    }
    data = workbook_bytes(rows, header_row=2, titles=False)
    preview = import_service.preview_import(data=data, filename="ds.xlsx", by=coordinator)
    assert _problems(preview) == [(4, "phone_missing"), (4, "duplicate_person_in_file")]


# --- Units --------------------------------------------------------------------------------------


def test_unit_names_match_without_diacritics_or_prefix(coordinator):
    rows = {
        3: [1, "Nguyễn Văn An", None, None, "minh an", None, "0905111222"],
        4: [2, "Trần Văn Bảo", None, None, "CHI ĐOÀN  MINH AN", None, "0905111333"],
        5: [3, "Lê Văn Cường", None, None, "Doan phuong Hoi An", None, "0905111444"],
    }
    preview = import_service.preview_import(
        data=workbook_bytes(rows, header_row=2, titles=False), filename="ds.xlsx", by=coordinator
    )
    assert [str(row.unit) for row in preview.rows] == [
        "Chi đoàn Minh An",
        "Chi đoàn Minh An",
        "Đoàn phường Hội An",
    ]


def test_units_outside_the_users_scope_are_unknown(outsider):
    preview = import_service.preview_import(data=issue_workbook(), filename="ds.xlsx", by=outsider)
    assert [p.code for p in preview.errors] == ["unit_unknown"] * 6
    with override("vi"):
        assert str(preview.errors[0].message).endswith("“Chi đoàn Minh An” không thuộc các đơn vị của bạn.")


def _one_row(unit_name):
    return workbook_bytes(
        {3: [1, "Nguyễn Văn An", None, None, unit_name, None, "0905111222"]}, header_row=2, titles=False
    )


def _unit_problem(by, unit_name, language="vi"):
    with override(language):
        preview = import_service.preview_import(data=_one_row(unit_name), filename="ds.xlsx", by=by)
        [problem] = preview.errors
        return problem.code, problem.message


def test_a_unit_that_does_not_exist_is_named_so_with_the_nearest_names(coordinator):
    assert _unit_problem(coordinator, "Chi đoàn Minh Ann") == (
        "unit_not_found",
        "Dòng 3: Đơn vị «Chi đoàn Minh Ann» không tồn tại. Có phải bạn muốn ghi: “Chi đoàn Minh An”?",
    )
    assert _unit_problem(coordinator, "Chi đoàn Minh Ann", "en") == (
        "unit_not_found",
        "Row 3: Unit “Chi đoàn Minh Ann” does not exist. Did you mean “Chi đoàn Minh An”?",
    )
    assert Volunteer.objects.count() == 0


def test_suggestions_fold_diacritics_and_prefixes(coordinator):
    code, message = _unit_problem(coordinator, "Doan phuong Hoi Ann")
    assert code == "unit_not_found"
    assert "“Đoàn phường Hội An”" in message
    assert "Hải Châu" not in message


def test_suggestions_come_only_from_the_importers_own_units(outsider):
    # Chi đoàn Minh An exists, but is not the outsider's: it is not offered.
    assert _unit_problem(outsider, "Chi đoàn Minh Ann") == (
        "unit_not_found",
        "Dòng 3: Đơn vị «Chi đoàn Minh Ann» không tồn tại.",
    )


def test_a_unit_outside_ones_scope_is_not_called_missing(unit_leader, units):
    preview = import_service.preview_import(
        data=_one_row("Đoàn phường Hải Châu"), filename="ds.xlsx", by=unit_leader
    )
    [problem] = preview.errors
    assert problem.code == "unit_unknown"


NO_UNIT_HEADER = ["STT", "Họ và tên", "Số điện thoại"]
NO_UNIT_ROWS = {2: [1, "Nguyễn Văn An", "0905111222"], 3: [2, "Trần Văn Bảo", "0905111333"]}


def test_a_file_without_unit_column_needs_a_unit(coordinator, units):
    data = workbook_bytes(NO_UNIT_ROWS, header=NO_UNIT_HEADER, header_row=1, titles=False)
    preview = import_service.preview_import(data=data, filename="ds.xlsx", by=coordinator)
    assert _problems(preview) == [(None, "import_unit_required")]
    assert not preview.can_confirm
    with pytest.raises(DomainError) as exc:
        import_service.check_upload(data=data, filename="ds.xlsx", by=coordinator, default_unit=None)
    assert exc.value.code == "import_unit_required"
    result = import_service.apply_import(
        data=data, filename="ds.xlsx", by=coordinator, default_unit=units["branch"]
    )
    assert [v.unit for v in result.created] == [units["branch"], units["branch"]]


def test_section_headings_name_the_unit_when_there_is_no_unit_column(coordinator, units):
    rows = {
        2: ["I. Chi đoàn Minh An"],
        3: [1, "Nguyễn Văn An", "0905111222"],
        4: ["II", "Đoàn phường Hội An", None],
        5: [1, "Trần Văn Bảo", "0905111333"],
    }
    data = workbook_bytes(rows, header=NO_UNIT_HEADER, header_row=1, titles=False, merges=["A2:C2"])
    import_service.check_upload(data=data, filename="ds.xlsx", by=coordinator, default_unit=None)
    result = import_service.apply_import(data=data, filename="ds.xlsx", by=coordinator)
    assert [(v.full_name, v.unit) for v in result.created] == [
        ("Nguyễn Văn An", units["branch"]),
        ("Trần Văn Bảo", units["hoian"]),
    ]


def test_a_unit_leader_imports_into_their_unit_without_choosing(unit_leader, units):
    data = workbook_bytes(NO_UNIT_ROWS, header=NO_UNIT_HEADER, header_row=1, titles=False)
    import_service.check_upload(data=data, filename="ds.xlsx", by=unit_leader, default_unit=None)
    result = import_service.apply_import(data=data, filename="ds.xlsx", by=unit_leader)
    assert [v.unit for v in result.created] == [units["branch"], units["branch"]]


def test_the_default_unit_never_moves_existing_volunteers(coordinator, units):
    services.create_volunteer(
        by=None, data={"full_name": "Nguyễn Văn An", "unit": units["branch"], "phone": "0905111222"}
    )
    data = workbook_bytes(NO_UNIT_ROWS, header=NO_UNIT_HEADER, header_row=1, titles=False)
    preview = import_service.preview_import(
        data=data, filename="ds.xlsx", by=coordinator, default_unit=units["hoian"]
    )
    assert [(row.status, str(row.unit)) for row in preview.rows] == [
        (UNCHANGED, "Đoàn phường Hội An"),
        (CREATE, "Đoàn phường Hội An"),
    ]
    import_service.apply_import(data=data, filename="ds.xlsx", by=coordinator, default_unit=units["hoian"])
    assert Volunteer.objects.get(phone="+84905111222").unit == units["branch"]


def test_a_default_unit_outside_the_users_units_is_refused(coordinator, units):
    data = workbook_bytes(NO_UNIT_ROWS, header=NO_UNIT_HEADER, header_row=1, titles=False)
    with pytest.raises(DomainError) as exc:
        import_service.preview_import(
            data=data, filename="ds.xlsx", by=coordinator, default_unit=units["other"]
        )
    assert exc.value.code == "import_unit_not_allowed"


def test_the_system_may_import_into_any_unit(units):
    result = import_service.apply_import(data=issue_workbook(), filename="ds.xlsx", by=None)
    assert len(result.created) == 6
    assert AuditEntry.objects.filter(action="volunteer.import", actor_label="system").count() == 1


# --- Other formats, other problems --------------------------------------------------------------


def test_csv_with_bom_and_semicolons(coordinator):
    text = (
        "DANH SÁCH ĐOÀN VIÊN\r\n"
        "STT;Họ và tên;Ngày sinh;Số điện thoại;Đơn vị;Kỹ năng\r\n"
        "1;Nguyễn Văn An;05/09/2001;0905 111 222;Chi đoàn Minh An;Tin học/Sơ cứu\r\n"
        "2;Trần Thị Bé;14/03/2002;905111333;Chi đoàn Minh An;\r\n"
    )
    result = import_service.apply_import(
        data=codecs.BOM_UTF8 + text.encode(), filename="ds.csv", by=coordinator
    )
    assert [(v.full_name, v.phone, v.birth_date) for v in result.created] == [
        ("Nguyễn Văn An", "+84905111222", dt.date(2001, 9, 5)),
        ("Trần Thị Bé", "+84905111333", dt.date(2002, 3, 14)),
    ]


def test_existing_skills_are_reused(coordinator):
    skill = Skill.objects.create(code="tin-hoc", name="Tin hoc")
    import_service.apply_import(data=issue_workbook(), filename="ds.xlsx", by=coordinator)
    assert Skill.objects.filter(name__icontains="tin").count() == 1
    assert Volunteer.objects.get(phone="+84905123460").skills.get() == skill


def test_unreadable_file(coordinator):
    with pytest.raises(ImportFileError) as exc:
        import_service.preview_import(data=b"%PDF-1.4", filename="ds.pdf", by=coordinator)
    assert exc.value.code == "import_file_type"
    with pytest.raises(ImportFileError):
        import_service.apply_import(data=b"%PDF-1.4", filename="ds.pdf", by=coordinator)
    assert Volunteer.objects.count() == 0


def test_preview_query_count(coordinator, django_assert_num_queries):
    import_service.apply_import(data=issue_workbook(), filename="ds.xlsx", by=coordinator)
    data = issue_workbook()
    # units in scope, volunteers by phone or name (with their units), their skills
    with django_assert_num_queries(3):
        preview = import_service.preview_import(data=data, filename="ds.xlsx", by=coordinator)
        assert preview.counts[UNCHANGED] == 6


def test_apply_query_count(coordinator, django_assert_num_queries):
    data = issue_workbook()
    # savepoint + units, volunteers (none yet, so no skills prefetch), skills; one insert each for
    # new skills, volunteers and their skill links; 6 audit entries + the summary; release.
    with django_assert_num_queries(1 + 3 + 3 + 7 + 1):
        import_service.apply_import(data=data, filename="ds.xlsx", by=coordinator)
