"""Web import: upload → preview → confirm."""

import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xungkich.core.models import AuditEntry
from xungkich.people.imports.tests.samples import (
    error_workbook,
    issue_workbook,
    long_sheet_workbook,
    padded_workbook,
    workbook_bytes,
)
from xungkich.people.imports.views import SESSION_KEY
from xungkich.people.models import Volunteer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD = reverse("people:import_upload")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    return tmp_path


def _file(data=None, name="danh sách.xlsx"):
    return SimpleUploadedFile(name, issue_workbook() if data is None else data, content_type=XLSX)


def _upload(client, data=None, name="danh sách.xlsx", **extra):
    return client.post(UPLOAD, {"file": _file(data, name), **extra})


def _token(response):
    assert response.status_code == 302, response.content[:500]
    return response.url.rstrip("/").split("/")[-1]


def _stored(media):
    folder = media / "imports"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# --- works --------------------------------------------------------------------------------------


def test_upload_form(client_for, coordinator):
    response = client_for(coordinator).get(UPLOAD)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'hx-encoding="multipart/form-data"' in content
    assert 'enctype="multipart/form-data"' in content
    assert "<progress" in content
    assert "js/import.js" in content


def test_upload_preview_confirm_creates_the_people(client_for, coordinator, media):
    client = client_for(coordinator)
    token = _token(_upload(client))
    assert token in client.session[SESSION_KEY]
    assert len(_stored(media)) == 1

    preview = client.get(reverse("people:import_preview", args=[token]))
    assert preview.status_code == 200
    result = preview.context["preview"]
    assert [(row.row, row.status) for row in result.rows] == [
        (5, "create"), (6, "create"), (8, "create"), (9, "create"), (10, "create"), (11, "create")
    ]  # fmt: skip
    content = preview.content.decode()
    assert reverse("people:import_confirm", args=[token]) in content
    assert 'id="row-11"' in content
    assert Volunteer.objects.count() == 0

    confirm = client.post(reverse("people:import_confirm", args=[token]))
    assert confirm.status_code == 302
    assert confirm.url == reverse("people:volunteer_list")
    assert sorted(Volunteer.objects.values_list("phone", flat=True)) == [
        "", "+84905123457", "+84905123458", "+84905123459", "+84905123460", "+84905123461"
    ]  # fmt: skip
    assert AuditEntry.objects.filter(action="volunteer.create", actor=coordinator).count() == 6
    # The file (personal data) is gone, and so is the token.
    assert _stored(media) == []
    assert token not in client.session.get(SESSION_KEY, {})
    assert client.get(reverse("people:import_preview", args=[token])).status_code == 404


def test_htmx_upload_answers_with_a_redirect_header(client_for, coordinator):
    client = client_for(coordinator)
    response = client.post(UPLOAD, {"file": _file()}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    token = response["HX-Redirect"].rstrip("/").split("/")[-1]
    assert response["HX-Redirect"] == reverse("people:import_preview", args=[token])


def test_htmx_upload_errors_come_back_in_the_form(client_for, coordinator):
    client = client_for(coordinator)
    client.cookies["django_language"] = "en"
    response = client.post(UPLOAD, {"file": _file(b"%PDF-1.4", "ds.pdf")}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.templates[0].name == "people/_import_form.html"
    assert "is not a spreadsheet that can be read" in response.content.decode()


def test_a_unit_leader_imports_into_their_unit(client_for, unit_leader, units):
    client = client_for(unit_leader)
    data = workbook_bytes(
        {2: [1, "Nguyễn Văn An", "0905111222"]}, header=["STT", "Họ tên", "SĐT"], header_row=1, titles=False
    )
    token = _token(_upload(client, data))
    assert client.post(reverse("people:import_confirm", args=[token])).status_code == 302
    assert Volunteer.objects.get().unit == units["branch"]


def test_a_chosen_unit_is_used_for_rows_without_one(client_for, coordinator, units):
    client = client_for(coordinator)
    data = workbook_bytes(
        {2: [1, "Nguyễn Văn An", "0905111222"]}, header=["STT", "Họ tên", "SĐT"], header_row=1, titles=False
    )
    missing = _upload(client, data)
    assert missing.status_code == 200
    assert "unit" in missing.context["form"].errors
    token = _token(_upload(client, data, unit=units["branch"].pk))
    client.post(reverse("people:import_confirm", args=[token]))
    assert Volunteer.objects.get().unit == units["branch"]


# --- bad input ----------------------------------------------------------------------------------


def test_a_non_spreadsheet_gets_a_clear_error(client_for, coordinator, media):
    response = _upload(client_for(coordinator), b"%PDF-1.4 not a list", "danh sach.pdf")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert _stored(media) == []


def test_a_non_spreadsheet_error_in_english(client_for, coordinator):
    client = client_for(coordinator)
    client.cookies["django_language"] = "en"
    response = client.post(UPLOAD, {"file": _file(b"%PDF-1.4", "ds.pdf")})
    assert response.context["form"].errors["file"] == [
        "“ds.pdf” is not a spreadsheet that can be read. Upload an Excel workbook (.xlsx) or a CSV file."
    ]


def test_a_too_large_file_is_refused(client_for, coordinator, settings, media):
    settings.XK_IMPORT_MAX_BYTES = 1000
    response = _upload(client_for(coordinator))
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert _stored(media) == []


def test_a_file_with_errors_shows_them_and_cannot_be_confirmed(client_for, coordinator):
    client = client_for(coordinator)
    token = _token(_upload(client, error_workbook()))
    client.cookies["django_language"] = "en"
    response = client.get(reverse("people:import_preview", args=[token]))
    preview = response.context["preview"]
    assert [(p.row, p.code) for p in preview.errors] == [
        (5, "phone_invalid"),
        (6, "name_missing"),
        (7, "birth_date_invalid"),
        (8, "duplicate_phone_in_file"),
        (9, "unit_not_found"),
    ]
    content = response.content.decode()
    assert "Row 5: “0905 12” is not a valid phone number." in content
    assert "Row 9: Unit “Chi đoàn Không Có” does not exist." in content
    assert reverse("people:import_confirm", args=[token]) not in content
    # A forced confirm writes nothing and goes back to the preview.
    confirm = client.post(reverse("people:import_confirm", args=[token]))
    assert confirm.status_code == 302
    assert confirm.url == reverse("people:import_preview", args=[token])
    assert Volunteer.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="volunteer.").exists()


# --- access -------------------------------------------------------------------------------------


def test_another_users_token_is_not_found(client_for, coordinator, outsider, unit_leader):
    token = _token(_upload(client_for(coordinator)))
    for user in (outsider, unit_leader):
        client = client_for(user)
        assert client.get(reverse("people:import_preview", args=[token])).status_code == 404
        assert client.post(reverse("people:import_confirm", args=[token])).status_code == 404
    assert Volunteer.objects.count() == 0


def test_a_made_up_token_is_not_found(client_for, coordinator):
    client = client_for(coordinator)
    assert client.get(reverse("people:import_preview", args=["nope"])).status_code == 404
    assert client.get("/people/volunteers/import/..%2F..%2Fsettings.py/").status_code == 404


def test_a_deleted_file_is_not_found(client_for, coordinator, media):
    client = client_for(coordinator)
    token = _token(_upload(client))
    for path in (media / "imports").iterdir():
        path.unlink()
    assert client.get(reverse("people:import_preview", args=[token])).status_code == 404


@pytest.mark.parametrize("persona", ["volunteer_user", "viewer", "kiosk"])
def test_roles_without_personal_data_access_are_forbidden(request, client_for, coordinator, persona):
    token = _token(_upload(client_for(coordinator)))
    client = client_for(request.getfixturevalue(persona))
    assert client.get(UPLOAD).status_code == 403
    assert client.post(UPLOAD, {"file": _file()}).status_code == 403
    assert client.get(reverse("people:import_preview", args=[token])).status_code == 403
    assert client.post(reverse("people:import_confirm", args=[token])).status_code == 403


def test_login_is_required(client):
    response = client.get(UPLOAD)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_wrong_methods(client_for, coordinator):
    client = client_for(coordinator)
    token = _token(_upload(client))
    assert client.get(reverse("people:import_confirm", args=[token])).status_code == 405
    assert client.post(reverse("people:import_preview", args=[token])).status_code == 405
    assert client.put(UPLOAD).status_code == 405


# --- files --------------------------------------------------------------------------------------


def test_files_older_than_a_day_are_deleted_at_each_upload(client_for, coordinator, media):
    folder = media / "imports"
    folder.mkdir()
    old, recent = folder / "old.xlsx", folder / "recent.xlsx"
    old.write_bytes(b"x")
    recent.write_bytes(b"x")
    day_ago = time.time() - 25 * 3600
    os.utime(old, (day_ago, day_ago))
    _token(_upload(client_for(coordinator)))
    names = _stored(media)
    assert "old.xlsx" not in names
    assert "recent.xlsx" in names
    assert len(names) == 2


def test_the_stored_name_is_not_the_token(client_for, coordinator, media):
    token = _token(_upload(client_for(coordinator)))
    (name,) = _stored(media)
    assert token not in name
    assert name.endswith(".xlsx")


# --- queries ------------------------------------------------------------------------------------


def test_preview_query_count(client_for, coordinator, units, django_assert_num_queries):
    client = client_for(coordinator)
    token = _token(_upload(client, unit=units["branch"].pk))
    client.post(reverse("people:import_confirm", args=[token]))
    token = _token(_upload(client, unit=units["branch"].pk))
    # session, user (with unit and profile), the chosen unit, units in scope, volunteers of the
    # file, their skills: the same for 6 rows or 6,000.
    with django_assert_num_queries(6):
        response = client.get(reverse("people:import_preview", args=[token]))
    assert [row.status for row in response.context["preview"].rows] == ["unchanged"] * 6


# --- spreadsheet bombs --------------------------------------------------------------------------


def test_a_workbook_bomb_is_refused_with_the_reason_and_nothing_is_kept(client_for, coordinator, media):
    volunteers = Volunteer.objects.count()
    response = _upload(client_for(coordinator), padded_workbook(40 * 1024 * 1024))
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "“danh sách.xlsx” khi giải nén vượt quá 20 MB nên không thể đọc an toàn. Chỉ để lại danh sách "
        "trong tệp (không có hình ảnh hay trang tính khác), hoặc chia thành nhiều tệp nhỏ hơn."
    ]
    assert _stored(media) == []
    assert Volunteer.objects.count() == volunteers


def test_a_list_over_the_row_limit_is_refused_and_nothing_is_kept(client_for, coordinator, media):
    volunteers = Volunteer.objects.count()
    response = _upload(client_for(coordinator), long_sheet_workbook(5_100))
    assert response.context["form"].errors["file"] == [
        "Danh sách có hơn 5.000 dòng; hãy chia thành các tệp nhỏ hơn."
    ]
    assert _stored(media) == []
    assert Volunteer.objects.count() == volunteers


def test_the_upload_form_states_the_limits(client_for, coordinator):
    content = client_for(coordinator).get(UPLOAD).content.decode()
    assert "tối đa 5.000 dòng và 10 MB" in content


# --- large lists are read in the background queue -------------------------------------------------

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def queued(settings, monkeypatch):
    """Lists over 3 rows go to a queue that runs nothing until the test says; reading a file in a
    request fails the test."""
    from xungkich.people.imports import reading

    settings.XK_IMPORT_BACKGROUND_ROWS = 3
    settings.TASKS = DUMMY_TASKS
    real = reading.read_table

    def not_in_a_request(*args, **kwargs):
        raise AssertionError("the list was read in the request")

    monkeypatch.setattr(reading, "read_table", not_in_a_request)

    def run_worker(client):
        from xungkich.people import tasks

        monkeypatch.setattr(reading, "read_table", real)
        for pending in client.session[SESSION_KEY].values():
            tasks.read_upload.call(pending["file"], pending["filename"], "vi")
        monkeypatch.setattr(reading, "read_table", not_in_a_request)

    return run_worker


def test_a_large_list_is_read_by_the_worker_with_progress_then_previewed_and_imported(
    client_for, coordinator, queued, media
):
    client = client_for(coordinator)
    token = _token(_upload(client, long_sheet_workbook(40), unit=coordinator.unit.pk))
    preview_url = reverse("people:import_preview", args=[token])

    waiting = client.get(preview_url)
    assert waiting.status_code == 200
    content = waiting.content.decode()
    assert "Đang chờ đọc danh sách…" in content
    assert '<progress id="import-reading-bar" max="100" value="0">' in content
    assert f'hx-get="{preview_url}"' in content
    poll = client.get(preview_url, HTTP_HX_REQUEST="true")
    assert "<html" not in poll.content.decode() and "import-reading-bar" in poll.content.decode()

    queued(client)
    assert client.get(preview_url, HTTP_HX_REQUEST="true")["HX-Redirect"] == preview_url
    preview = client.get(preview_url).context["preview"]  # from the rows the worker kept
    assert len(preview.rows) == 40 and not preview.has_errors
    assert len(_stored(media)) == 2  # the upload and its rows

    response = client.post(reverse("people:import_confirm", args=[token]))
    assert response.status_code == 302
    assert Volunteer.objects.filter(full_name__startswith="Nguyễn Văn ").count() >= 40
    assert _stored(media) == []


def test_a_large_list_the_worker_cannot_read_sends_back_to_the_upload_with_the_reason(
    client_for, coordinator, queued, media
):
    client = client_for(coordinator)
    rows = "\n".join(f"Người {i};Hội An" for i in range(10))  # no header row: only reading finds out
    token = _token(_upload(client, f"Danh sách\n{rows}\n".encode(), name="ds.csv"))
    queued(client)
    response = client.get(reverse("people:import_preview", args=[token]), follow=True)
    assert response.redirect_chain[-1][0] == UPLOAD
    assert "Không tìm thấy dòng tiêu đề trong “ds.csv”" in response.content.decode()
    assert _stored(media) == []
