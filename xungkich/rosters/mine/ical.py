"""A volunteer's personal calendar feed (iCalendar, RFC 5545), written by hand.

The feed URL carries ``RosterProfile.calendar_token``: whoever has the URL sees the shifts, so it
is long, random and rotatable (a new link makes the old one a 404).

RFC 5545 points that matter here: lines end in CRLF; content lines longer than 75 octets are
folded (CRLF + one space) without splitting a UTF-8 character; TEXT values escape backslash,
semicolon, comma and newline; DTSTAMP/DTSTART/DTEND are UTC ("Z"), so no VTIMEZONE is needed;
each event's UID is stable across downloads so that calendar apps update instead of duplicating.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xungkich.core.audit import log_action
from xungkich.people.models import User, Volunteer
from xungkich.rosters.models import Assignment, RosterPeriod, RosterProfile
from xungkich.rosters.rules import HOLDING

PRODID = "-//Xung Kich So//Rosters 1.0//VI"
UID_DOMAIN = "xungkich"
# Past shifts stay in the feed this long (a calendar keeps what it already has).
KEEP_PAST = dt.timedelta(days=60)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape_text(value: object) -> str:
    """An RFC 5545 TEXT value: backslash, semicolon, comma and newlines escaped, controls dropped."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets (continuations start with a space), never inside a character."""
    if len(line.encode("utf-8")) <= 75:
        return line
    chunks: list[str] = []
    current: list[str] = []
    size, limit = 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            chunks.append("".join(current))
            current, size, limit = [], 0, 74  # the leading space counts
        current.append(char)
        size += width
    chunks.append("".join(current))
    return "\r\n ".join(chunks)


def utc_stamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_assignments(volunteer: Volunteer, *, now: dt.datetime | None = None) -> QuerySet[Assignment]:
    """Holding assignments of published rosters, from two months back on."""
    now = now or timezone.now()
    return (
        Assignment.objects.filter(
            volunteer=volunteer,
            status__in=HOLDING,
            shift__period__status=RosterPeriod.Status.PUBLISHED,
            shift__end__gt=now - KEEP_PAST,
        )
        .select_related("shift__point", "shift__pattern", "shift__period")
        .order_by("shift__start", "pk")
    )


def summary_for(assignment: Assignment) -> str:
    shift = assignment.shift
    pattern = shift.pattern.name if shift.pattern else shift.name
    if pattern:
        return _("On duty: %(point)s (%(pattern)s)") % {"point": shift.point.name, "pattern": pattern}
    return _("On duty: %(point)s") % {"point": shift.point.name}


def _event(assignment: Assignment, *, stamp: str, page_url: str) -> list[str]:
    shift = assignment.shift
    point = shift.point
    description = [
        _("Status: %(status)s") % {"status": assignment.get_status_display()},
        _("Roster: %(name)s") % {"name": shift.period.name},
    ]
    if point.opening_hours:
        description.append(_("Opening hours: %(hours)s") % {"hours": point.opening_hours})
    description.append(_("Confirm or change: %(url)s") % {"url": page_url})
    lines = [
        "BEGIN:VEVENT",
        f"UID:xk-assignment-{assignment.pk}@{UID_DOMAIN}",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{utc_stamp(shift.start)}",
        f"DTEND:{utc_stamp(shift.end)}",
        f"SUMMARY:{escape_text(summary_for(assignment))}",
        f"LOCATION:{escape_text(point.address or point.name)}",
        f"DESCRIPTION:{escape_text(chr(10).join(description))}",
        f"STATUS:{'CONFIRMED' if assignment.status == Assignment.Status.CONFIRMED else 'TENTATIVE'}",
        "TRANSP:OPAQUE",
        f"URL:{page_url}",
        "END:VEVENT",
    ]
    return lines


def render_calendar(
    *, volunteer: Volunteer, assignments: Iterable[Assignment], base_url: str, now: dt.datetime | None = None
) -> str:
    """The whole VCALENDAR as text with CRLF line ends (encode as UTF-8)."""
    stamp = utc_stamp(now or timezone.now())
    page_url = base_url.rstrip("/") + reverse("rosters:my_shifts")
    with translation.override(settings.LANGUAGE_CODE):
        # Outside the f-string: makemessages does not see a gettext call inside one.
        name = _("Xung Kích Số shifts: %(name)s") % {"name": volunteer.full_name}
        lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            f"PRODID:{PRODID}",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            f"X-WR-CALNAME:{escape_text(name)}",
            f"X-WR-TIMEZONE:{settings.TIME_ZONE}",
            "REFRESH-INTERVAL;VALUE=DURATION:PT3H",
            "X-PUBLISHED-TTL:PT3H",
        ]
        for assignment in assignments:
            lines += _event(assignment, stamp=stamp, page_url=page_url)
        lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


# --- The secret URL -----------------------------------------------------------------------------


def volunteer_for_token(token: str) -> Volunteer | None:
    profile = (
        RosterProfile.objects.select_related("volunteer").filter(calendar_token=token).first()
        if token
        else None
    )
    return profile.volunteer if profile is not None else None


def calendar_profile(volunteer: Volunteer) -> RosterProfile:
    profile, _created = RosterProfile.objects.get_or_create(volunteer=volunteer)
    return profile


def rotate_calendar_token(*, by: User | None, volunteer: Volunteer) -> RosterProfile:
    """A new secret link: the old URL stops working at once (404)."""
    with transaction.atomic():
        RosterProfile.objects.get_or_create(volunteer=volunteer)
        profile = RosterProfile.objects.select_for_update().get(volunteer=volunteer)
        profile.calendar_token = secrets.token_urlsafe()
        profile.save(update_fields=["calendar_token"])
        # The token itself is a secret: the audit entry records that it changed, not its value.
        log_action(
            actor=by, action="calendar.rotate", obj=profile, unit=volunteer.unit, after={"rotated": True}
        )
    return profile
