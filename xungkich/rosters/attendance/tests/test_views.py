"""Views of check-in, the poster, the desk, hours and certificates.

Each: works / outsider gets 404 / read-only gets 403 / wrong method gets 405.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from freezegun import freeze_time

from xungkich.core.models import AuditEntry
from xungkich.people.models import OrgUnit, Volunteer
from xungkich.places.models import ServicePoint
from xungkich.rosters.models import Assignment
from xungkich.rosters.tests.test_attendance_data import DAY, assign, local, make_point, make_shift

DURING = local(DAY, 7, 40)


@pytest.fixture
def point(units):
    return make_point(units["hoian"])


@pytest.fixture
def assignment(point, volunteer):
    return assign(make_shift(point), volunteer)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- Check-in by scanning -------------------------------------------------------------------------


def test_checkin_page_shows_the_shift_and_get_changes_nothing(client_for, volunteer_user, point, assignment):
    with freeze_time(DURING):
        response = client_for(volunteer_user).get(reverse("rosters:checkin", args=[point.checkin_token]))
    assert response.status_code == 200
    assert response.context["assignment"] == assignment
    assert 'value="check_in"' in response.content.decode()
    assert "07:30" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.check_in_at is None
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_checkin_post_checks_in_then_out(client_for, volunteer_user, point, assignment):
    client = client_for(volunteer_user)
    url = reverse("rosters:checkin", args=[point.checkin_token])
    with freeze_time(DURING):
        response = client.post(url, {"action": "check_in"}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assignment.refresh_from_db()
    assert assignment.check_in_at == DURING
    assert assignment.late_minutes == 10
    assert any("10" in m for m in messages_of(response))
    assert 'value="check_out"' in response.content.decode()
    with freeze_time(local(DAY, 11, 30)):
        client.post(url, {"action": "check_out"})
    assignment.refresh_from_db()
    assert assignment.check_out_at == local(DAY, 11, 30)


def test_checkin_errors_are_messages(client_for, volunteer_user, point, assignment):
    client = client_for(volunteer_user)
    url = reverse("rosters:checkin", args=[point.checkin_token])
    with freeze_time(local(DAY, 5, 0)):
        page = client.get(url)
        response = client.post(url, {"action": "check_in"}, follow=True)
    assert page.context["assignment"] is None
    assert page.context["opens_minutes"] == 60
    assert response.status_code == 200
    assert any(point.name in m for m in messages_of(response))
    assert Assignment.objects.get(pk=assignment.pk).check_in_at is None


def test_checkin_unknown_token_is_404_and_anonymous_must_sign_in(client, client_for, volunteer_user, point):
    assert client_for(volunteer_user).get(reverse("rosters:checkin", args=["nope"])).status_code == 404
    ServicePoint.objects.filter(pk=point.pk).update(is_active=False)
    assert (
        client_for(volunteer_user).get(reverse("rosters:checkin", args=[point.checkin_token])).status_code
        == 404
    )
    response = client.get(reverse("rosters:checkin", args=["anything"]))
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_checkin_without_a_volunteer_profile_reads_but_cannot_post(client_for, coordinator, point):
    url = reverse("rosters:checkin", args=[point.checkin_token])
    response = client_for(coordinator).get(url)
    assert response.status_code == 200
    assert response.context["volunteer"] is None
    assert client_for(coordinator).post(url, {"action": "check_in"}).status_code == 403


def test_checkin_wrong_method(client_for, volunteer_user, point):
    url = reverse("rosters:checkin", args=[point.checkin_token])
    assert client_for(volunteer_user).put(url).status_code == 405


# --- Poster ---------------------------------------------------------------------------------------


def test_poster_has_an_inline_qr_with_the_absolute_url(client_for, coordinator, point):
    response = client_for(coordinator).get(reverse("rosters:point_poster", args=[point.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "poster-qr" in html
    assert f"http://testserver/rosters/checkin/{point.checkin_token}/" in html
    assert point.name in html


def test_poster_pdf(client_for, coordinator, point):
    response = client_for(coordinator).get(reverse("rosters:point_poster_pdf", args=[point.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"/Subtype /Image" in response.content


@pytest.mark.parametrize("name", ["rosters:point_poster", "rosters:point_poster_pdf"])
def test_poster_outsider_readonly_and_method(client_for, outsider, viewer, coordinator, point, name):
    url = reverse(name, args=[point.pk])
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(viewer).get(url).status_code == 403
    assert client_for(coordinator).post(url).status_code == 405


def test_new_code_rotates_and_old_posters_stop_working(client_for, coordinator, volunteer_user, point):
    old = point.checkin_token
    response = client_for(coordinator).post(reverse("rosters:point_poster_rotate", args=[point.pk]))
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.checkin_token != old
    assert client_for(volunteer_user).get(reverse("rosters:checkin", args=[old])).status_code == 404
    assert (
        client_for(volunteer_user).get(reverse("rosters:checkin", args=[point.checkin_token])).status_code
        == 200
    )
    assert AuditEntry.objects.filter(action="point.rotate_checkin_token", actor=coordinator).exists()


def test_new_code_outsider_readonly_and_method(client_for, outsider, viewer, coordinator, point):
    url = reverse("rosters:point_poster_rotate", args=[point.pk])
    old = point.checkin_token
    assert client_for(outsider).post(url).status_code == 404
    assert client_for(viewer).post(url).status_code == 403
    assert client_for(coordinator).get(url).status_code == 405
    point.refresh_from_db()
    assert point.checkin_token == old


# --- Desk -----------------------------------------------------------------------------------------


def test_desk_index_lists_points_in_scope(client_for, coordinator, outsider, viewer, point):
    response = client_for(coordinator).get(reverse("rosters:desk_index"))
    assert response.status_code == 200
    assert list(response.context["points"]) == [point]
    assert list(client_for(outsider).get(reverse("rosters:desk_index")).context["points"]) == []
    assert client_for(viewer).get(reverse("rosters:desk_index")).status_code == 403
    assert client_for(coordinator).post(reverse("rosters:desk_index")).status_code == 405


def test_desk_lists_the_day(client_for, coordinator, point, assignment, django_assert_max_num_queries):
    client = client_for(coordinator)
    url = reverse("rosters:desk", args=[point.pk])
    with freeze_time(DURING), django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["assignments"] == [assignment]
    assert "Nguyễn Văn An" in response.content.decode()
    other_day = client.get(url, {"date": "03/03/2026"})
    assert other_day.context["assignments"] == []
    iso = client.get(url, {"date": "2026-03-02"})
    assert iso.context["assignments"] == [assignment]


def test_desk_outsider_readonly_and_method(client_for, outsider, viewer, coordinator, point):
    url = reverse("rosters:desk", args=[point.pk])
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(viewer).get(url).status_code == 403
    assert client_for(coordinator).post(url).status_code == 405


def test_unit_leader_of_another_unit_does_not_see_the_point(client_for, unit_leader, point):
    # The leader manages their branch only; the point belongs to the ward.
    assert client_for(unit_leader).get(reverse("rosters:desk", args=[point.pk])).status_code == 404


def test_unit_leader_runs_the_desk_of_their_unit(client_for, unit_leader, units, volunteer):
    point = make_point(units["branch"], "Điểm hỗ trợ Minh An")
    item = assign(make_shift(point), volunteer)
    with freeze_time(DURING):
        response = client_for(unit_leader).post(
            reverse("rosters:desk_action", args=[item.pk]), {"action": "check_in"}
        )
    assert response.status_code == 302
    assert Assignment.objects.get(pk=item.pk).check_in_at == DURING


def test_desk_actions(client_for, coordinator, point, assignment):
    client = client_for(coordinator)
    url = reverse("rosters:desk_action", args=[assignment.pk])
    with freeze_time(local(DAY, 12, 0)):
        response = client.post(url, {"action": "check_in", "time": "07:33"})
        assert response.status_code == 302
        assert response["Location"] == reverse("rosters:desk", args=[point.pk]) + "?date=02%2F03%2F2026"
        assignment.refresh_from_db()
        assert assignment.check_in_at == local(DAY, 7, 33)
        assert assignment.late_minutes == 0
        response = client.post(url, {"action": "check_out", "time": "07:20"}, follow=True)
        assert any("check-in" in m.lower() or "07:33" in m for m in messages_of(response))
        client.post(url, {"action": "check_out", "time": "11:25"})
    assignment.refresh_from_db()
    assert assignment.check_out_at == local(DAY, 11, 25)
    entries = AuditEntry.objects.filter(object_id=str(assignment.pk), actor=coordinator)
    assert set(entries.values_list("action", flat=True)) == {"assignment.check_in", "assignment.check_out"}


def test_desk_no_show_and_bad_input(client_for, coordinator, assignment):
    client = client_for(coordinator)
    url = reverse("rosters:desk_action", args=[assignment.pk])
    with freeze_time(local(DAY, 9, 0)):
        response = client.post(url, {"action": "dance"}, follow=True)
        assert response.status_code == 200
        assert messages_of(response)
        client.post(url, {"action": "no_show"})
    assert Assignment.objects.get(pk=assignment.pk).no_show is True


def test_desk_action_outsider_readonly_and_method(client_for, outsider, viewer, coordinator, assignment):
    url = reverse("rosters:desk_action", args=[assignment.pk])
    with freeze_time(DURING):
        assert client_for(outsider).post(url, {"action": "check_in"}).status_code == 404
        assert client_for(viewer).post(url, {"action": "check_in"}).status_code == 403
        assert client_for(coordinator).get(url).status_code == 405
    assert Assignment.objects.get(pk=assignment.pk).check_in_at is None
    assert client_for(coordinator).post(reverse("rosters:desk_action", args=[999999])).status_code == 404


# --- Hours and certificates -----------------------------------------------------------------------


@pytest.fixture
def served(assignment):
    Assignment.objects.filter(pk=assignment.pk).update(
        check_in_at=local(DAY, 7, 30), check_out_at=local(DAY, 11, 30)
    )
    return assignment


def test_my_hours_for_a_month(client_for, volunteer_user, served, django_assert_max_num_queries):
    client = client_for(volunteer_user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("rosters:my_hours"), {"month": "2026-03"})
    assert response.status_code == 200
    assert response.context["summary"].hours == 4
    assert response.context["summary"].served == 1
    assert "from=01%2F03%2F2026&amp;to=31%2F03%2F2026" in response.content.decode()
    april = client.get(reverse("rosters:my_hours"), {"month": "2026-04"})
    assert april.context["rows"] == []
    bad = client.get(reverse("rosters:my_hours"), {"month": "March"})
    assert bad.status_code == 200 and bad.context["form"].errors


def test_my_hours_needs_a_volunteer_profile_and_get(client_for, coordinator, volunteer_user):
    assert client_for(coordinator).get(reverse("rosters:my_hours")).status_code == 404
    assert client_for(volunteer_user).post(reverse("rosters:my_hours")).status_code == 405


def test_my_certificate(client_for, volunteer_user, served):
    response = client_for(volunteer_user).get(
        reverse("rosters:my_certificate"), {"from": "01/03/2026", "to": "31/03/2026"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="giay-xac-nhan-nguyen-van-an-20260301-20260331.pdf"'
    )
    assert response.content.startswith(b"%PDF")


def test_my_certificate_refuses_bad_or_empty_ranges(client_for, volunteer_user, served):
    client = client_for(volunteer_user)
    url = reverse("rosters:my_certificate")
    for query in (
        {"from": "31/03/2026", "to": "01/03/2026"},
        {"from": "x"},
        {"from": "01/04/2026", "to": "30/04/2026"},
    ):
        response = client.get(url, query)
        assert response.status_code == 302
        assert response["Location"] == reverse("rosters:my_hours")


def test_my_certificate_outsider_and_method(client_for, coordinator, volunteer_user, served):
    query = {"from": "01/03/2026", "to": "31/03/2026"}
    assert client_for(coordinator).get(reverse("rosters:my_certificate"), query).status_code == 404
    assert client_for(volunteer_user).post(reverse("rosters:my_certificate")).status_code == 405


def test_volunteer_certificate_for_a_coordinator(
    client_for, coordinator, outsider, viewer, volunteer, served
):
    url = reverse("rosters:volunteer_certificate", args=[volunteer.pk])
    query = {"from": "01/03/2026", "to": "31/03/2026"}
    response = client_for(coordinator).get(url, query)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert client_for(outsider).get(url, query).status_code == 404
    assert client_for(viewer).get(url, query).status_code == 403  # read-only role: no personal data
    assert client_for(coordinator).post(url, query).status_code == 405


def test_unit_hours(client_for, coordinator, units, served, django_assert_max_num_queries):
    client = client_for(coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("rosters:unit_hours", args=[units["hoian"].pk]), {"month": "2026-03"})
    assert response.status_code == 200
    (line,) = response.context["table"]
    assert line["volunteer"].full_name == "Nguyễn Văn An"
    assert line["summary"].hours == 4
    assert response.context["overall"].served == 1
    assert reverse("rosters:volunteer_certificate", args=[line["volunteer"].pk]) in response.content.decode()


def test_unit_hours_csv(client_for, coordinator, units, served):
    response = client_for(coordinator).get(
        reverse("rosters:unit_hours_csv", args=[units["hoian"].pk]), {"month": "2026-03"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 2
    assert lines[1].startswith("Nguyễn Văn An,Chi đoàn Minh An,1,1,4,0,0")


def test_unit_hours_csv_keeps_formula_looking_names_as_text(client_for, coordinator, units, served):
    volunteer = served.volunteer
    Volunteer.objects.filter(pk=volunteer.pk).update(full_name="\uff1dHYPERLINK(1)")  # full-width =
    OrgUnit.objects.filter(pk=volunteer.unit_id).update(name="@Chi đoàn")
    response = client_for(coordinator).get(
        reverse("rosters:unit_hours_csv", args=[units["hoian"].pk]), {"month": "2026-03"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][:3] == ["'\uff1dHYPERLINK(1)", "'@Chi đoàn", "1"]


@pytest.mark.parametrize("name", ["rosters:unit_hours", "rosters:unit_hours_csv"])
def test_unit_hours_outsider_readonly_and_method(client_for, outsider, viewer, coordinator, units, name):
    url = reverse(name, args=[units["hoian"].pk])
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(viewer).get(url).status_code == 403
    assert client_for(coordinator).post(url).status_code == 405


def test_unit_leader_sees_their_own_unit_only(client_for, unit_leader, units):
    assert (
        client_for(unit_leader).get(reverse("rosters:unit_hours", args=[units["branch"].pk])).status_code
        == 200
    )
    assert (
        client_for(unit_leader).get(reverse("rosters:unit_hours", args=[units["hoian"].pk])).status_code
        == 404
    )


def test_pages_render_in_english_too(client_for, volunteer_user, point, served):
    client = client_for(volunteer_user)
    client.cookies["django_language"] = "en"
    with freeze_time(DURING + dt.timedelta(hours=1)):
        response = client.get(
            reverse("rosters:checkin", args=[point.checkin_token]), HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 200
    assert "Check out" in response.content.decode() or "This shift is done" in response.content.decode()
