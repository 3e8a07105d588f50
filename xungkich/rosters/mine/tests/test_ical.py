import datetime as dt

import pytest
from django.urls import reverse

from xungkich.core.models import AuditEntry
from xungkich.rosters.mine import ical
from xungkich.rosters.models import RosterProfile
from xungkich.rosters.tests.mine_data import assign, make_point, make_roster, make_volunteer, today

# --- a small RFC 5545 reader, to parse the feed back ---


def unfold(text: str) -> list[str]:
    assert text.endswith("\r\n")
    physical = text.split("\r\n")[:-1]
    assert all("\n" not in line and "\r" not in line for line in physical), "bare LF or CR in the feed"
    assert all(len(line.encode("utf-8")) <= 75 for line in physical), "a line longer than 75 octets"
    lines: list[str] = []
    for line in physical:
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\":
            nxt = value[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def events(text: str) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in unfold(text):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            found.append(current)
            current = None
        elif current is not None:
            name, value = line.split(":", 1)
            current[name.split(";")[0]] = value
    return found


def parse_utc(value: str) -> dt.datetime:
    assert value.endswith("Z")
    return dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)


# --- pure helpers ---


def test_escape_text():
    assert ical.escape_text("a,b;c\\d\ne\r\nf\x07") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_fold_keeps_utf8_characters_whole():
    line = "SUMMARY:" + "Trực: Trung tâm Phục vụ hành chính công phường Hội An (Sáng) " * 3
    folded = ical.fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 2
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join([parts[0]] + [p[1:] for p in parts[1:]]) == line


def test_short_lines_are_not_folded():
    assert ical.fold("VERSION:2.0") == "VERSION:2.0"
    exact = "X:" + "a" * 73
    assert ical.fold(exact) == exact


# --- the feed ---


@pytest.fixture
def feed_setup(units, volunteer):
    point = make_point(
        units["hoian"], "Trung tâm HCC Hội An; cơ sở 2", address="12 Trần Hưng Đạo, phường Hội An"
    )
    roster = make_roster(units["hoian"], point=point, demand=2, days=3)
    first, second, third = roster.shifts()
    confirmed = assign(first, volunteer, "confirmed")
    planned = assign(second, volunteer)
    assign(third, volunteer, "cant_come")
    after = today() + dt.timedelta(days=5)  # periods over the same days and points are refused
    draft = make_roster(
        units["hoian"], start=after, publish=False, point=make_point(units["hoian"], "Điểm nháp")
    )
    assign(draft.shifts()[0], volunteer)
    assign(first, make_volunteer(units["branch"]))
    profile = RosterProfile.objects.create(volunteer=volunteer)
    return {"profile": profile, "confirmed": confirmed, "planned": planned, "point": point}


def test_feed_lists_holding_assignments_of_published_rosters(client, feed_setup):
    url = reverse("rosters:calendar_feed", args=[feed_setup["profile"].calendar_token])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode("utf-8")
    lines = unfold(text)
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]
    assert lines[-1] == "END:VCALENDAR"
    found = events(text)
    confirmed, planned = feed_setup["confirmed"], feed_setup["planned"]
    assert [e["UID"] for e in found] == [
        f"xk-assignment-{confirmed.pk}@xungkich",
        f"xk-assignment-{planned.pk}@xungkich",
    ]
    first = found[0]
    assert parse_utc(first["DTSTART"]) == confirmed.shift.start
    assert parse_utc(first["DTEND"]) == confirmed.shift.end
    assert parse_utc(first["DTSTAMP"]) <= dt.datetime.now(dt.UTC)
    assert first["DTSTART"].endswith("Z") and first["DTEND"].endswith("Z")
    # 07:30 in Hồ Chí Minh City is 00:30 UTC.
    assert first["DTSTART"].endswith("T003000Z")
    summary = unescape(first["SUMMARY"])
    assert "Trung tâm HCC Hội An; cơ sở 2" in summary and "(Sáng)" in summary
    assert "\\;" in first["SUMMARY"]
    assert unescape(first["LOCATION"]) == "12 Trần Hưng Đạo, phường Hội An"
    assert "\\," in first["LOCATION"]
    assert "\n" in unescape(first["DESCRIPTION"])
    assert (first["STATUS"], found[1]["STATUS"]) == ("CONFIRMED", "TENTATIVE")


def test_feed_speaks_vietnamese(client, feed_setup, volunteer):
    """The calendar's name and its events read in Vietnamese, even for a browser that asks for English."""
    url = reverse("rosters:calendar_feed", args=[feed_setup["profile"].calendar_token])
    text = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode("utf-8")
    header = dict(line.split(":", 1) for line in unfold(text)[: unfold(text).index("BEGIN:VEVENT")])
    assert unescape(header["X-WR-CALNAME"]) == f"Ca trực Xung Kích Số: {volunteer.full_name}"
    found = events(text)
    assert found
    for event in found:
        assert unescape(event["SUMMARY"]).startswith("Trực: ")
        description = unescape(event["DESCRIPTION"]).split("\n")
        assert [line.split(": ", 1)[0] for line in description] == [
            "Trạng thái",
            "Lịch trực",
            "Xác nhận hoặc thay đổi",
        ]
    assert unescape(found[0]["DESCRIPTION"]).startswith("Trạng thái: Đã xác nhận\n")
    shown = [header["X-WR-CALNAME"]] + [event[key] for event in found for key in ("SUMMARY", "DESCRIPTION")]
    for english in ("shifts", "On duty", "Status", "Roster", "Confirm or change"):
        assert not any(english in value for value in shown), english


def test_feed_uids_are_stable(client, feed_setup):
    url = reverse("rosters:calendar_feed", args=[feed_setup["profile"].calendar_token])
    once = [e["UID"] for e in events(client.get(url).content.decode())]
    twice = [e["UID"] for e in events(client.get(url).content.decode())]
    assert once == twice


def test_feed_unknown_token_is_404(client, feed_setup):
    assert client.get(reverse("rosters:calendar_feed", args=["not-a-real-token"])).status_code == 404


def test_feed_rejects_post(client, feed_setup):
    url = reverse("rosters:calendar_feed", args=[feed_setup["profile"].calendar_token])
    assert client.post(url).status_code == 405


def test_feed_needs_no_login_and_shows_only_its_owner(client, feed_setup, units):
    other = make_volunteer(units["branch"])
    profile = RosterProfile.objects.create(volunteer=other)
    text = client.get(reverse("rosters:calendar_feed", args=[profile.calendar_token])).content.decode()
    assert events(text) == []


# --- rotating the secret link ---


def test_new_link_makes_the_old_url_404(client_for, client, volunteer_user, feed_setup):
    old = feed_setup["profile"].calendar_token
    response = client_for(volunteer_user).post(reverse("rosters:calendar_rotate"))
    assert response.status_code == 302
    new = RosterProfile.objects.get(pk=feed_setup["profile"].pk).calendar_token
    assert new != old
    assert client.get(reverse("rosters:calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("rosters:calendar_feed", args=[new])).status_code == 200
    entry = AuditEntry.objects.get(action="calendar.rotate")
    assert old not in str(entry.after) and new not in str(entry.after)


def test_new_link_rejects_get(client_for, volunteer_user):
    assert client_for(volunteer_user).get(reverse("rosters:calendar_rotate")).status_code == 405


@pytest.mark.parametrize("persona", ["coordinator", "kiosk", "viewer"])
def test_new_link_needs_a_volunteer_profile(request, client_for, persona):
    user = request.getfixturevalue(persona)
    assert client_for(user).post(reverse("rosters:calendar_rotate")).status_code == 403


def test_my_shifts_shows_the_feed_url(client_for, volunteer_user, feed_setup):
    response = client_for(volunteer_user).get(reverse("rosters:my_shifts"))
    token = feed_setup["profile"].calendar_token
    assert response.context["feed_url"] == f"http://testserver/rosters/calendar/{token}.ics"
    assert response.context["webcal_url"] == f"webcal://testserver/rosters/calendar/{token}.ics"
    assert token in response.content.decode()
