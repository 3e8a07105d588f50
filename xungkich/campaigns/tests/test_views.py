"""Every campaign page: works / outsider 404 / read-only 403 / wrong method 405, and what it does."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xungkich.campaigns import photos
from xungkich.campaigns.models import Activity, ActivityPhoto, Campaign, Event, Registration
from xungkich.campaigns.tests.conftest import YEAR, jpeg_with_gps, register
from xungkich.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(activity, coordinator):
    from xungkich.campaigns import services

    return services.add_activity_photo(activity=activity, by=coordinator, content=jpeg_with_gps())


@pytest.fixture
def ticket(event):
    return register(event, "Nguyễn Văn An", "+84905000001")


# (url name, fixture giving the pk, allowed methods, is a write)
PAGES = [
    ("campaign_detail", "campaign", "GET", False),
    ("campaign_edit", "campaign", "GET", True),
    ("activity_create", "campaign", "GET", True),
    ("event_create", "campaign", "GET", True),
    ("activity_detail", "activity", "GET", False),
    ("activity_edit", "activity", "GET", True),
    ("activity_photo", "photo", "GET", False),
    ("event_detail", "event", "GET", False),
    ("event_edit", "event", "GET", True),
    ("event_checkin", "event", "GET", True),
    ("event_export", "event", "GET", True),
]
POSTS = [
    ("activity_photo_add", "activity"),
    ("registration_checkin", "ticket"),
    ("registration_cancel", "ticket"),
]


def url(name, obj):
    return reverse(f"campaigns:{name}", args=[obj.pk])


@pytest.mark.parametrize(("name", "fixture", "_method", "_write"), PAGES)
def test_pages_work_for_the_coordinator(request, client_for, coordinator, name, fixture, _method, _write):
    obj = request.getfixturevalue(fixture)
    response = client_for(coordinator).get(url(name, obj))
    assert response.status_code == 200


@pytest.mark.parametrize(("name", "fixture", "_method", "_write"), PAGES)
def test_outsiders_get_404(request, client_for, outsider, name, fixture, _method, _write):
    obj = request.getfixturevalue(fixture)
    assert client_for(outsider).get(url(name, obj)).status_code == 404


# An activity's notes and photos show who did what: records, not figures.
RECORDS = ("activity_detail", "activity_photo")


@pytest.mark.parametrize(("name", "fixture", "_method", "write"), PAGES)
def test_viewers_read_figures_but_do_not_write(request, client_for, viewer, name, fixture, _method, write):
    obj = request.getfixturevalue(fixture)
    expected = 403 if write or name in RECORDS else 200
    assert client_for(viewer).get(url(name, obj)).status_code == expected


def test_viewers_see_activities_without_a_link_to_their_records(client_for, viewer, coordinator, activity):
    link = url("activity_detail", activity)
    page = client_for(viewer).get(url("campaign_detail", activity.campaign)).content.decode()
    assert "Treo băng rôn" in page and link not in page
    assert link in client_for(coordinator).get(url("campaign_detail", activity.campaign)).content.decode()


@pytest.mark.parametrize(("name", "fixture", "_method", "write"), PAGES)
def test_volunteers_of_a_unit_taking_part_read_only(
    request, client_for, volunteer_user, name, fixture, _method, write
):
    obj = request.getfixturevalue(fixture)
    assert client_for(volunteer_user).get(url(name, obj)).status_code == (403 if write else 200)


@pytest.mark.parametrize(("name", "fixture", "_method", "_write"), PAGES)
def test_kiosks_get_403(request, client_for, kiosk, name, fixture, _method, _write):
    obj = request.getfixturevalue(fixture)
    assert client_for(kiosk).get(url(name, obj)).status_code == 403


@pytest.mark.parametrize(("name", "fixture", "_method", "_write"), PAGES)
def test_pages_refuse_other_methods(request, client_for, coordinator, name, fixture, _method, _write):
    obj = request.getfixturevalue(fixture)
    method = (
        "delete"
        if name
        in (
            "campaign_edit",
            "activity_create",
            "event_create",
            "activity_edit",
            "event_edit",
            "event_checkin",
        )
        else "post"
    )
    assert getattr(client_for(coordinator), method)(url(name, obj)).status_code == 405


@pytest.mark.parametrize(("name", "fixture"), POSTS)
def test_post_only_views(request, client_for, coordinator, viewer, outsider, name, fixture):
    obj = request.getfixturevalue(fixture)
    assert client_for(coordinator).get(url(name, obj)).status_code == 405
    assert client_for(outsider).post(url(name, obj)).status_code == 404
    assert client_for(viewer).post(url(name, obj)).status_code == 403


@pytest.mark.parametrize("name", ["campaign_list", "campaign_create"])
def test_top_level_pages(client_for, coordinator, viewer, kiosk, name):
    target = reverse(f"campaigns:{name}")
    assert client_for(coordinator).get(target).status_code == 200
    assert client_for(kiosk).get(target).status_code == 403
    assert client_for(viewer).get(target).status_code == (200 if name == "campaign_list" else 403)
    assert client_for(coordinator).delete(target).status_code == 405


def test_anonymous_users_are_sent_to_sign_in(client, campaign):
    response = client.get(url("campaign_detail", campaign))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_campaign_list_shows_own_scope_only(client_for, campaign, outsider, coordinator, unit_leader):
    assert campaign.name in client_for(coordinator).get(reverse("campaigns:campaign_list")).content.decode()
    assert campaign.name in client_for(unit_leader).get(reverse("campaigns:campaign_list")).content.decode()
    assert campaign.name not in client_for(outsider).get(reverse("campaigns:campaign_list")).content.decode()


def test_coordinator_creates_a_campaign(client_for, coordinator, units):
    response = client_for(coordinator).post(
        reverse("campaigns:campaign_create"),
        {
            "name": "  Tháng  thanh niên ",
            "unit": units["hoian"].pk,
            "units": [units["branch"].pk],
            "start_date": f"{YEAR}-03-01",
            "end_date": f"{YEAR}-03-31",
            "target_citizens_helped": 10,
            "target_accounts_created": 5,
            "target_materials": 3,
            "target_participants": 8,
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert campaign.name == "Tháng thanh niên"
    assert list(campaign.units.all()) == [units["branch"]]
    assert AuditEntry.objects.filter(action="campaign.create").exists()


def test_coordinator_cannot_organise_for_a_unit_outside_the_subtree(client_for, coordinator, units):
    response = client_for(coordinator).post(
        reverse("campaigns:campaign_create"),
        {
            "name": "x",
            "unit": units["other"].pk,
            "start_date": f"{YEAR}-03-01",
            "end_date": f"{YEAR}-03-31",
            "target_citizens_helped": 0,
            "target_accounts_created": 0,
            "target_materials": 0,
            "target_participants": 0,
        },
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not Campaign.objects.exists()


def test_campaign_end_before_start_is_a_form_error(client_for, coordinator, units):
    response = client_for(coordinator).post(
        reverse("campaigns:campaign_create"),
        {
            "name": "x",
            "unit": units["hoian"].pk,
            "start_date": "31/03/" + str(YEAR),
            "end_date": "01/03/" + str(YEAR),
            "target_citizens_helped": 0,
            "target_accounts_created": 0,
            "target_materials": 0,
            "target_participants": 0,
        },
    )
    assert "end_date" in response.context["form"].errors


def test_unit_leader_records_activities_but_does_not_edit_the_campaign(client_for, unit_leader, campaign):
    client = client_for(unit_leader)
    assert client.get(url("campaign_edit", campaign)).status_code == 403
    response = client.post(
        url("activity_create", campaign),
        {
            "kind": Activity.Kind.DOOR_TO_DOOR,
            "title": "Đến từng nhà",
            "date": f"{YEAR}-10-05",
            "materials_count": 0,
            "participants_count": 5,
            "people_reached": 40,
            "citizens_helped": 12,
            "accounts_created": 4,
            "photos": SimpleUploadedFile("a.jpg", jpeg_with_gps(), content_type="image/jpeg"),
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.created_by == unit_leader
    assert activity.photos.count() == 1


def test_unit_leader_of_a_unit_not_taking_part_gets_404(client_for, unit_leader, campaign):
    campaign.units.clear()
    assert client_for(unit_leader).get(url("campaign_detail", campaign)).status_code == 404


def test_non_image_upload_is_a_clear_error(client_for, coordinator, campaign):
    response = client_for(coordinator).post(
        url("activity_create", campaign),
        {
            "kind": Activity.Kind.BANNERS,
            "title": "Băng rôn",
            "date": f"{YEAR}-10-05",
            "materials_count": 3,
            "participants_count": 0,
            "people_reached": 0,
            "citizens_helped": 0,
            "accounts_created": 0,
            "photos": SimpleUploadedFile("a.jpg", b"hello", content_type="image/jpeg"),
        },
    )
    assert response.status_code == 200
    assert "JPEG, PNG" in response.context["form"].errors["photos"][0]
    assert not Activity.objects.exists()


def test_oversized_photo_is_refused(client_for, coordinator, activity, monkeypatch):
    monkeypatch.setattr(photos, "MAX_UPLOAD_BYTES", 2000)
    monkeypatch.setattr("xungkich.campaigns.forms.MAX_UPLOAD_BYTES", 2000)
    response = client_for(coordinator).post(
        url("activity_photo_add", activity),
        {"photo": SimpleUploadedFile("a.jpg", jpeg_with_gps((800, 600)), content_type="image/jpeg")},
    )
    assert response.status_code == 400
    assert "MB" in response.context["photo_form"].errors["photo"][0]
    assert not ActivityPhoto.objects.exists()


def test_photo_is_served_without_exif(client_for, volunteer_user, photo):
    from PIL import Image

    response = client_for(volunteer_user).get(url("activity_photo", photo))
    assert response["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert len(image.getexif()) == 0


def test_campaign_page_shows_progress_chart_and_table(client_for, coordinator, campaign, activity):
    response = client_for(coordinator).get(url("campaign_detail", campaign))
    html = response.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" id="progress-chart"' in html
    assert 'data-percent="60"' in html  # 12 banners of 20
    figures = {f.key: f.value for f in response.context["progress"].figures}
    assert figures["materials"] == 12


def test_campaign_page_query_count_is_pinned(
    client_for, coordinator, campaign, activity, event, django_assert_num_queries
):
    client = client_for(coordinator)
    client.get(url("campaign_detail", campaign))
    with django_assert_num_queries(11):
        client.get(url("campaign_detail", campaign))
    from xungkich.campaigns import services

    for day in (4, 5, 6):
        more = services.record_activity(
            campaign=campaign,
            by=coordinator,
            data={"kind": Activity.Kind.PANELS, "title": f"Pa nô {day}", "date": dt.date(YEAR, 10, day)},
            units=[],
        )
        services.add_activity_photo(activity=more, by=coordinator, content=jpeg_with_gps())
        services.create_event(
            campaign=campaign,
            by=coordinator,
            data={"title": f"Buổi {day}", "starts_at": event.starts_at, "place": "x", "capacity": 5},
        )
    with django_assert_num_queries(11):
        client.get(url("campaign_detail", campaign))


def test_event_detail_lists_registrations_only_for_organisers(client_for, coordinator, viewer, ticket):
    assert "Nguyễn Văn An" in client_for(coordinator).get(url("event_detail", ticket.event)).content.decode()
    assert "Nguyễn Văn An" not in client_for(viewer).get(url("event_detail", ticket.event)).content.decode()


def test_checkin_by_code_then_again(client_for, unit_leader, ticket):
    client = client_for(unit_leader)
    first = client.post(url("event_checkin", ticket.event), {"code": ticket.code})
    assert first.status_code == 200
    assert first.context["result"]["ok"] is True
    again = client.post(
        url("event_checkin", ticket.event),
        {"code": f"http://testserver/e/t/{ticket.token}/"},
        HTTP_HX_REQUEST="true",
    )
    assert 'data-code="checkin_already"' in again.content.decode()
    ticket.refresh_from_db()
    assert ticket.checked_in_at is not None and ticket.checked_in_by == unit_leader


def test_checkin_with_an_unknown_code(client_for, coordinator, event):
    response = client_for(coordinator).post(url("event_checkin", event), {"code": "ZZZZZZ"})
    assert response.status_code == 400
    assert response.context["result"]["code"] == "checkin_unknown"


def test_checkin_search_by_name_without_diacritics(client_for, coordinator, ticket):
    response = client_for(coordinator).get(url("event_checkin", ticket.event), {"q": "nguyen van"})
    assert [r.pk for r in response.context["matches"]] == [ticket.pk]
    client_for(coordinator).post(url("registration_checkin", ticket))
    ticket.refresh_from_db()
    assert ticket.checked_in_at is not None


def test_organiser_cancels_a_registration(client_for, coordinator, ticket):
    client_for(coordinator).post(url("registration_cancel", ticket))
    ticket.refresh_from_db()
    assert ticket.status == Registration.Status.CANCELLED


def test_export_is_an_excel_attendance_list(client_for, coordinator, ticket):
    response = client_for(coordinator).get(url("event_export", ticket.event))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["B5"].value == "Nguyễn Văn An"
    assert sheet["D5"].value == "0905 000 001"


def test_export_keeps_formula_looking_names_as_text(client_for, coordinator, event):
    """A sign-up name such as =HYPERLINK(…) must not become a live formula in the list."""
    Event.objects.filter(pk=event.pk).update(title="=1+1 Ngày hội")
    register(event, '=HYPERLINK("http://x","click")', "+84905000002")
    register(event, "＠Trần Thị Bình", "+84905000003")  # the full-width at sign, too
    response = client_for(coordinator).get(url("event_export", event))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = {sheet.cell(row=row, column=2).value: sheet.cell(row=row, column=2) for row in (5, 6)}
    assert set(cells) == {'=HYPERLINK("http://x","click")', "＠Trần Thị Bình"}
    for cell in (*cells.values(), sheet["A1"]):
        assert cell.data_type == "s" and cell.quotePrefix
    assert sheet["A1"].value == "=1+1 Ngày hội"
    assert [sheet.cell(row=row, column=1).data_type for row in (5, 6)] == ["n", "n"]  # numbers stay numbers


def test_event_create_and_capacity_edit(client_for, coordinator, campaign):
    client = client_for(coordinator)
    response = client.post(
        url("event_create", campaign),
        {
            "title": "Diễu hành",
            "starts_at": f"{YEAR}-10-10T06:30",
            "place": "Sông Hoài",
            "capacity": 1,
            "registration_open": "on",
            "audience": "members",
        },
    )
    event = Event.objects.get()
    assert response.status_code == 302
    assert event.starts_at == dt.datetime(YEAR, 10, 9, 23, 30, tzinfo=dt.UTC)
    register(event, "A", "+84905000001")
    register(event, "B", "+84905000002")
    response = client.post(
        url("event_edit", event),
        {
            "title": "Diễu hành",
            "starts_at": f"{YEAR}-10-10T06:30",
            "place": "Sông Hoài",
            "capacity": 2,
            "registration_open": "on",
            "audience": "members",
        },
    )
    assert response.status_code == 302
    assert event.registrations.filter(status="confirmed").count() == 2


def test_event_checkin_buttons_speak_of_attendance_not_shifts(client_for, coordinator, ticket):
    from django.utils.translation import gettext, override, pgettext

    response = client_for(coordinator).get(url("event_checkin", ticket.event), {"q": "nguyen"})
    html = response.content.decode()
    button = html.split('id="checkin-submit"')[1].split("</button>")[0]
    assert "Xác nhận có mặt" in button
    match = html.split('class="matches"')[1].split("</ul>")[0]
    assert "Xác nhận có mặt" in match
    assert "vào ca" not in html  # a shift's wording has no place on an event's check-in page
    with override("vi"):  # the duty roster keeps its own words
        assert gettext("Check in") == "Điểm danh vào ca"
        assert pgettext("event ticket", "Check in") == "Xác nhận có mặt"


def test_coordinator_opens_an_event_to_citizens(client_for, coordinator, campaign):
    client = client_for(coordinator)
    page = client.get(url("event_create", campaign)).content.decode()
    assert 'name="audience"' in page and 'value="citizens"' in page
    response = client.post(
        url("event_create", campaign),
        {
            "title": "Ngày hội VNeID cho người cao tuổi",
            "starts_at": f"{YEAR}-10-12T08:00",
            "place": "Nhà văn hoá khối An Hội",
            "capacity": 30,
            "registration_open": "on",
            "audience": "citizens",
        },
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.audience == Event.Audience.CITIZENS
    assert AuditEntry.objects.get(action="event.create").after["audience"] == "citizens"
