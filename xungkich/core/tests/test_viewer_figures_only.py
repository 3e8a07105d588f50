"""The read-only report viewer reads figures only: no page it may open shows people.

Every route of the project is opened as the viewer, with the ids of real records in the viewer's
scope: volunteers on a published roster, queue tickets, known issues, a campaign with an event and
sign-ups, help sessions with notes and a follow-up phone. A page that answers 200 must carry none
of the names, phones or notes; the figures pages must answer 200.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from xungkich.accounts import services as account_services
from xungkich.accounts import signup
from xungkich.api.services import create_token
from xungkich.campaigns import services as campaign_services
from xungkich.campaigns.models import Activity
from xungkich.campaigns.tests.conftest import YEAR, jpeg_with_gps, register
from xungkich.helpdesk import services as helpdesk_services
from xungkich.helpdesk.models import FollowUp
from xungkich.helpdesk.tests.conftest import make_session, make_ticket
from xungkich.people.models import OrgUnit, User, Volunteer
from xungkich.reports import services as report_services
from xungkich.reports.models import ReportExport
from xungkich.rosters import services as roster_services
from xungkich.rosters.mine import availability, changes
from xungkich.rosters.models import Assignment
from xungkich.rosters.tests.mine_data import assign, make_roster, make_volunteer, today

_HREF = re.compile(r'href="(/[^"#?]*)')
_CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")


def _routes(
    patterns: list[URLPattern | URLResolver], prefix: str = "", ns: str = ""
) -> Iterator[tuple[str, str, list[str]]]:
    """(route with its converters, url name, argument names) for every route pattern of the project."""
    for pattern in patterns:
        if not isinstance(pattern.pattern, RoutePattern):
            continue  # the admin's regex app lists: the admin root stands for them
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{ns}{pattern.namespace}:" if pattern.namespace else ns
            yield from _routes(pattern.url_patterns, route, inner)
        else:
            yield "/" + route, f"{ns}{pattern.name or ''}", [m["name"] for m in _CONVERTER.finditer(route)]


@dataclass
class World:
    """The records the viewer's scope holds, and what of them must never reach the viewer."""

    args: dict[str, dict[str, object]]
    secrets: list[str]


@pytest.fixture
def world(
    units: dict[str, OrgUnit],
    coordinator: User,
    unit_leader: User,
    volunteer_user: User,
    volunteer: Volunteer,
    viewer: User,
):
    hoian, branch = units["hoian"], units["branch"]
    other = make_volunteer(branch, "Võ Thị Bích Ngọc")
    roster = make_roster(hoian, start=today(), days=3)
    shift = roster.shift_on(today())
    mine = assign(shift, volunteer, Assignment.Status.CONFIRMED)
    offered = assign(roster.shift_on(today() + dt.timedelta(days=1)), other)
    changes.offer_for_swap(by=None, assignment=offered, reason="Con ốm")
    Assignment.objects.filter(pk=mine.pk).update(check_in_at=shift.start, check_out_at=shift.end)
    profile = roster_services.roster_profile(volunteer)
    away = availability.add_one_off(
        by=None, volunteer=volunteer, first_day=today() + dt.timedelta(days=20), note="Thi học kỳ"
    )
    [closed] = roster_services.close_day(
        by=None, point=roster.point, date=today() + dt.timedelta(days=30), reason="Bảo trì"
    )

    ticket = make_ticket(roster.point, served_by=volunteer_user)
    session = make_session(
        volunteer_user,
        roster.point,
        ticket=ticket,
        notes="Cài VNeID cho bác Tư ở tổ 5",
        followup_phone="+84912777888",
        followup_consent=True,
    )
    followup = FollowUp.objects.get(session=session)
    join_link = signup.publish_link(by=None, unit=hoian)
    join_request = signup.submit_request(
        link=join_link,
        data={"full_name": "Đinh Thị Xin Vào", "phone": "+84913555666", "username": "xinvao"},
        password_hash="!",
    )
    issue = helpdesk_services.post_known_issue(
        by=unit_leader, title="Cổng DVC báo lỗi OTP", workaround="Chờ 5 phút rồi gửi lại"
    )

    campaign = campaign_services.create_campaign(
        by=coordinator,
        data={
            "name": "Ngày Chuyển đổi số 10/10",
            "unit": hoian,
            "start_date": dt.date(YEAR, 10, 1),
            "end_date": dt.date(YEAR, 10, 31),
            "target_citizens_helped": 100,
            "target_accounts_created": 50,
            "target_materials": 20,
            "target_participants": 40,
        },
        units=[branch],
    )
    activity = campaign_services.record_activity(
        campaign=campaign,
        by=volunteer_user,
        data={
            "kind": Activity.Kind.BANNERS,
            "title": "Treo băng rôn",
            "date": dt.date(YEAR, 10, 3),
            "materials_count": 12,
            "participants_count": 6,
            "notes": f"{volunteer.full_name} và {other.full_name} treo ở chợ Hội An",
        },
        units=[],
    )
    photo = campaign_services.add_activity_photo(
        activity=activity, by=volunteer_user, content=jpeg_with_gps()
    )
    event = campaign_services.create_event(
        campaign=campaign,
        by=coordinator,
        data={
            "title": "Diễu hành xe đạp",
            "starts_at": dt.datetime(YEAR, 10, 10, 6, 30, tzinfo=dt.UTC),
            "place": "Quảng trường sông Hoài",
            "capacity": 5,
            "registration_open": True,
        },
    )
    registration = register(event, "Đặng Thị Hồng Nhung", "+84987654321")
    export = report_services.start_export(
        kind=ReportExport.Kind.DOCX, unit=hoian, start=today(), end=today(), by=viewer
    )

    invitation, _token = account_services.invite_volunteer(by=coordinator, volunteer=other)
    point, unit = roster.point.pk, hoian.pk
    args: dict[str, dict[str, object]] = {
        "invite_volunteer": {"pk": other.pk},
        "invite_unit": {"pk": unit},
        "invitation_resend": {"pk": invitation.pk},
        "invitation_revoke": {"pk": invitation.pk},
        "account_detail": {"pk": volunteer_user.pk},
        "account_set_active": {"pk": volunteer_user.pk},
        "people:volunteer_detail": {"pk": volunteer.pk},
        "people:volunteer_edit": {"pk": volunteer.pk},
        "people:volunteer_set_active": {"pk": volunteer.pk},
        "people:unit_detail": {"pk": unit},
        "people:unit_edit": {"pk": unit},
        "rosters:period_detail": {"pk": roster.period.pk},
        "rosters:period_solve": {"pk": roster.period.pk},
        "rosters:period_solve_cancel": {"pk": roster.period.pk},
        "rosters:period_progress": {"pk": roster.period.pk},
        "rosters:period_publish": {"pk": roster.period.pk},
        "rosters:period_refresh": {"pk": roster.period.pk},
        "rosters:period_export": {"pk": roster.period.pk},
        "rosters:assignment_add": {"pk": shift.pk},
        "rosters:assignment_remove": {"pk": mine.pk},
        "rosters:point_detail": {"pk": point},
        "rosters:point_edit": {"pk": point},
        "rosters:pattern_create": {"pk": point},
        "rosters:pattern_edit": {"pk": roster.pattern.pk},
        "rosters:pattern_set_active": {"pk": roster.pattern.pk},
        "rosters:closed_day_remove": {"pk": closed.pk},
        "rosters:shift_take": {"pk": shift.pk},
        "rosters:assignment_confirm": {"pk": mine.pk},
        "rosters:assignment_cant_come": {"pk": mine.pk},
        "rosters:assignment_offer": {"pk": mine.pk},
        "rosters:availability_remove": {"pk": away.pk},
        "rosters:calendar_feed": {"token": profile.calendar_token},
        "rosters:checkin": {"token": roster.point.checkin_token},
        "rosters:point_poster": {"pk": point},
        "rosters:point_poster_pdf": {"pk": point},
        "rosters:point_poster_rotate": {"pk": point},
        "rosters:desk": {"pk": point},
        "rosters:desk_action": {"pk": mine.pk},
        "rosters:volunteer_certificate": {"pk": volunteer.pk},
        "rosters:unit_hours": {"pk": unit},
        "rosters:unit_hours_csv": {"pk": unit},
        "api:board": {"point_id": point},
        "api:campaign_progress": {"pk": campaign.pk},
        "tickets:take": {"point_id": point},
        "tickets:ticket": {"token": ticket.public_token},
        "tickets:ticket_cancel": {"token": ticket.public_token},
        "tickets:poster": {"point_id": point},
        "tickets:poster_pdf": {"point_id": point},
        "tickets:kiosk": {"point_id": point},
        "tickets:kiosk_issued": {"point_id": point, "token": ticket.public_token},
        "tickets:board": {"point_id": point},
        "tickets:desk": {"point_id": point},
        "tickets:desk_call_next": {"point_id": point},
        "tickets:desk_ticket_action": {"pk": ticket.pk},
        "helpdesk:session_detail": {"pk": session.pk},
        "helpdesk:session_edit": {"pk": session.pk},
        "helpdesk:session_tracking": {"pk": session.pk},
        "helpdesk:issue_close": {"pk": issue.pk},
        "helpdesk:followup_answer": {"pk": followup.pk},
        "helpdesk:rate": {"token": ticket.public_token},
        "campaigns:campaign_detail": {"pk": campaign.pk},
        "campaigns:campaign_edit": {"pk": campaign.pk},
        "campaigns:activity_create": {"pk": campaign.pk},
        "campaigns:event_create": {"pk": campaign.pk},
        "campaigns:activity_detail": {"pk": activity.pk},
        "campaigns:activity_edit": {"pk": activity.pk},
        "campaigns:activity_photo_add": {"pk": activity.pk},
        "campaigns:activity_photo": {"pk": photo.pk},
        "campaigns:event_detail": {"pk": event.pk},
        "campaigns:event_edit": {"pk": event.pk},
        "campaigns:event_checkin": {"pk": event.pk},
        "campaigns:event_export": {"pk": event.pk},
        "campaigns:registration_checkin": {"pk": registration.pk},
        "campaigns:registration_cancel": {"pk": registration.pk},
        "campaigns:signup": {"code": event.code},
        "campaigns:ticket_lost": {"code": event.code},
        "campaigns:ticket": {"token": registration.token},
        "campaigns:ticket_cancel": {"token": registration.token},
        "reports:export_detail": {"pk": export.pk},
        "reports:export_download": {"pk": export.pk},
        "signup_join": {"token": join_link.token},
        "signup_sent": {"token": join_link.token},
        "signup_link": {"unit_pk": unit},
        "signup_request": {"pk": join_request.pk},
    }
    names = [
        volunteer.full_name,
        other.full_name,
        unit_leader.full_name,
        registration.full_name,
        join_request.full_name,
    ]
    phones = [volunteer.phone, other.phone, registration.phone, followup.phone, join_request.phone]
    secrets = [
        *names,
        *(name.upper() for name in names),
        *phones,
        *(p.replace("+84", "0") for p in phones),
        *(display(p) for p in phones),
        session.notes,
        "Con ốm",  # a swap reason
        "Thi học kỳ",  # an availability note
    ]
    return World(args=args, secrets=secrets)


def display(phone: str) -> str:
    from xungkich.lib.phones import display_phone

    return display_phone(phone)


# Routes whose arguments name no record of the project (tokens of flows the viewer has not started,
# the admin's object pages, guides and procedures, which hold no personal data).
NO_RECORD = (
    "admin:",
    "password_reset_confirm",
    "invitation_accept",
    "people:import_",
    "catalogue:",
    "guides:",
    "search:",
    "api:guide_detail",
    "rosters:signed_action",
)

# Pages opened by a secret link that only its holder has (a citizen's ticket, a volunteer's
# calendar feed): what they show is the holder's own, whoever opens them.
SECRET_LINKS = ("tickets:ticket", "campaigns:ticket", "campaigns:ticket_cancel", "rosters:calendar_feed")

# Pages with people on them, in the viewer's scope: read-only role, so 403 (not 404).
RECORDS = (
    "rosters:period_list",
    "rosters:period_detail",
    "rosters:period_progress",
    "rosters:point_list",
    "rosters:point_detail",
    "rosters:closed_days",
    "rosters:desk_index",
    "rosters:desk",
    "rosters:unit_hours",
    "rosters:unit_hours_csv",
    "tickets:desk_index",
    "tickets:desk",
    "helpdesk:issue_list",
    "helpdesk:session_list",
    "helpdesk:session_detail",
    "helpdesk:followup_list",
    "campaigns:activity_detail",
    "campaigns:activity_photo",
    "campaigns:event_export",
    "people:volunteer_list",
    "people:volunteer_detail",
    "account_list",
    "account_detail",
    "people:volunteer_edit",
    "rosters:volunteer_certificate",
    "core:audit_list",
    "api:list_help_sessions",
)

# The figures pages: the viewer's own pages.
FIGURES = (
    "home",
    "reports:dashboard",
    "reports:export_detail",
    "reports:export_download",
    "campaigns:campaign_list",
    "campaigns:campaign_detail",
    "campaigns:event_detail",  # counts only: the list of sign-ups is for the organisers
    "api:campaign_progress",
    "api:reports_summary",
    "api:me",
)


QUERY = {"api:reports_summary": f"?from={dt.date(YEAR, 1, 1)}&to={dt.date(YEAR, 12, 31)}"}


def _path(route: str, values: dict[str, object]) -> str:
    return _CONVERTER.sub(lambda m: str(values.get(m["name"], "x")), route)


def _viewer_client(client_for, viewer: User) -> Client:
    client = client_for(viewer)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {create_token(user=viewer)}"
    return client


def test_no_page_the_viewer_opens_shows_people(client_for, viewer, world):
    client = _viewer_client(client_for, viewer)
    routes = sorted(
        {(route, name, tuple(params)) for route, name, params in _routes(get_resolver().url_patterns)}
    )
    assert len(routes) > 150  # the walk really saw the project
    opened, leaks, statuses = [], [], {}
    links: set[tuple[str, str]] = set()
    for route, name, params in routes:
        if params and name not in world.args:
            assert name.startswith(NO_RECORD), f"{name}: give the walk a record for {route}"
        path = _path(route, world.args.get(name, {})) + QUERY.get(name, "")
        response = client.get(path)
        statuses[name] = response.status_code
        if response.status_code != 200 or name in SECRET_LINKS:
            continue
        opened.append(name)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", errors="replace")
        leaks += [(name, secret) for secret in world.secrets if secret in text]
        if response.get("Content-Type", "").startswith("text/html"):
            links |= {(name, href) for href in _HREF.findall(text)}
    assert leaks == []
    # Pages the viewer can open offer no link it may not follow (menus, buttons, lists).
    refused = [(name, href) for name, href in sorted(links) if client.get(href).status_code == 403]
    assert refused == []
    for name in FIGURES:
        assert name in opened, name
    assert {name: statuses[name] for name in RECORDS} == dict.fromkeys(RECORDS, 403)


def test_the_viewer_menu_opens_only_figures_pages(client_for, viewer, world):
    client = client_for(viewer)
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    menu = [url for url, _label in response.context["nav_items"]]
    assert reverse("reports:dashboard") in menu
    for url in menu:
        assert client.get(url).status_code == 200, url
