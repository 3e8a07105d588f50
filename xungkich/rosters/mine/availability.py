"""A volunteer's availability: when they cannot serve, which points they can reach, a weekly cap.

Services in the house style: keyword-only, each owns its transaction, writes an audit entry and
raises ``DomainError`` with a stable code. The roster rules (``rules.is_unavailable``,
``rules.can_reach``) and the solver read what is written here.

- one-off: whole days by default (exam week), or a time range on one or more days;
- weekly: an ISO weekday and a local time range (every Tuesday morning);
- a school timetable: several weekly entries at once (weekdays × parts of the day).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xungkich.core.audit import log_action, snapshot
from xungkich.core.errors import DomainError
from xungkich.lib.vietnamese import clean_text
from xungkich.people.models import User, Volunteer
from xungkich.places.models import ServicePoint
from xungkich.rosters.models import RosterProfile, Unavailability

UNAVAILABILITY_FIELDS = ["kind", "start", "end", "weekday", "start_time", "end_time", "note"]
PROFILE_FIELDS = ["points", "max_shifts_per_week"]
MIN_CAP, MAX_CAP = 1, 14
# A one-off absence longer than this is most likely a typo in the year.
MAX_ONE_OFF_DAYS = 366
MAX_NOTE = 150

# Parts of the day a school timetable is made of (local times). Shifts are mornings 7:30–11:30
# and afternoons 13:30–17:00, so a morning class blocks the morning shifts and nothing else.
DAY_PARTS: dict[str, tuple[dt.time, dt.time]] = {
    "morning": (dt.time(6, 0), dt.time(12, 0)),
    "afternoon": (dt.time(12, 0), dt.time(18, 0)),
    "evening": (dt.time(18, 0), dt.time(22, 0)),
}
DAY_PART_LABELS = {
    "morning": gettext_lazy("Morning"),
    "afternoon": gettext_lazy("Afternoon"),
    "evening": gettext_lazy("Evening"),
}


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _ancestor_paths(path: str) -> list[str]:
    parts = [part for part in path.split("/") if part]
    return ["/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1)]


def reachable_points(volunteer: Volunteer) -> QuerySet[ServicePoint]:
    """Active service points a volunteer may choose: of their unit and the units above it."""
    return (
        ServicePoint.objects.filter(unit__path__in=_ancestor_paths(volunteer.unit.path), is_active=True)
        .select_related("unit")
        .order_by("name", "pk")
    )


def _profile_for_update(volunteer: Volunteer) -> RosterProfile:
    RosterProfile.objects.get_or_create(volunteer=volunteer)
    return RosterProfile.objects.select_for_update().get(volunteer=volunteer)


def _clean_note(note: str) -> str:
    note = clean_text(note or "")
    if len(note) > MAX_NOTE:
        raise DomainError(
            _("The note can be at most %(n)s characters long.") % {"n": MAX_NOTE}, "note_too_long"
        )
    return note


def _log_added(by: User | None, volunteer: Volunteer, item: Unavailability) -> None:
    log_action(
        actor=by,
        action="unavailability.add",
        obj=item,
        unit=volunteer.unit,
        after=snapshot(item, UNAVAILABILITY_FIELDS),
    )


# --- One-off ----------------------------------------------------------------------------------


def add_one_off(
    *,
    by: User | None,
    volunteer: Volunteer,
    first_day: dt.date,
    last_day: dt.date | None = None,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
    note: str = "",
) -> Unavailability:
    """Not available from ``first_day`` to ``last_day`` (inclusive), whole days unless times are given.

    With times: from ``start_time`` on the first day until ``end_time`` on the last day (one
    continuous interval; for "every morning of exam week" add weekly entries instead).
    """
    last_day = last_day or first_day
    if last_day < first_day:
        raise DomainError(_("The last day must not be before the first day."), "unavailable_dates")
    if (last_day - first_day).days >= MAX_ONE_OFF_DAYS:
        raise DomainError(_("An absence can last at most a year."), "unavailable_too_long")
    if (start_time is None) != (end_time is None):
        raise DomainError(_("Give both a start and an end time, or neither."), "unavailable_times")
    tz = _tz()
    if start_time is None or end_time is None:
        start = dt.datetime.combine(first_day, dt.time(), tzinfo=tz)
        end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    else:
        start = dt.datetime.combine(first_day, start_time, tzinfo=tz)
        end = dt.datetime.combine(last_day, end_time, tzinfo=tz)
        if end <= start:
            raise DomainError(_("The end must be after the start."), "unavailable_times")
    if end <= timezone.now():
        raise DomainError(_("This time is already over."), "unavailable_past")
    note = _clean_note(note)
    with transaction.atomic():
        item = Unavailability.objects.create(
            volunteer=volunteer, kind=Unavailability.Kind.ONE_OFF, start=start, end=end, note=note
        )
        _log_added(by, volunteer, item)
    return item


# --- Weekly -----------------------------------------------------------------------------------


def _check_weekly(weekday: int, start_time: dt.time, end_time: dt.time) -> None:
    if not 1 <= int(weekday) <= 7:
        raise DomainError(_("Pick a day of the week."), "unavailable_weekday")
    if end_time <= start_time:
        raise DomainError(_("The end must be after the start."), "unavailable_times")


def add_weekly(
    *,
    by: User | None,
    volunteer: Volunteer,
    weekday: int,
    start_time: dt.time,
    end_time: dt.time,
    note: str = "",
) -> Unavailability:
    """Not available every week on ``weekday`` (ISO, Monday = 1) between the two local times."""
    _check_weekly(weekday, start_time, end_time)
    note = _clean_note(note)
    with transaction.atomic():
        Volunteer.objects.select_for_update().filter(pk=volunteer.pk).first()
        if Unavailability.objects.filter(
            volunteer=volunteer,
            kind=Unavailability.Kind.WEEKLY,
            weekday=weekday,
            start_time__lte=start_time,
            end_time__gte=end_time,
        ).exists():
            raise DomainError(_("You already marked this time as unavailable."), "unavailable_duplicate")
        item = Unavailability.objects.create(
            volunteer=volunteer,
            kind=Unavailability.Kind.WEEKLY,
            weekday=weekday,
            start_time=start_time,
            end_time=end_time,
            note=note,
        )
        _log_added(by, volunteer, item)
    return item


def add_timetable(
    *,
    by: User | None,
    volunteer: Volunteer,
    slots: Iterable[tuple[int, str]],
    note: str = "",
) -> list[Unavailability]:
    """A school timetable: one weekly entry for each (weekday, part of the day) ticked, in one go.

    ``slots`` pairs an ISO weekday with "morning", "afternoon" or "evening". Entries already
    covered by an existing weekly entry are skipped; returns the ones made.
    """
    wanted = sorted({(int(day), str(part)) for day, part in slots})
    if not wanted:
        raise DomainError(_("Tick at least one part of a day."), "unavailable_parts")
    if any(not 1 <= day <= 7 for day, _part in wanted):
        raise DomainError(_("Pick a day of the week."), "unavailable_weekday")
    if any(part not in DAY_PARTS for _day, part in wanted):
        raise DomainError(_("Tick at least one part of a day."), "unavailable_parts")
    note = _clean_note(note)
    order = list(DAY_PARTS)
    wanted.sort(key=lambda slot: (slot[0], order.index(slot[1])))
    made: list[Unavailability] = []
    with transaction.atomic():
        Volunteer.objects.select_for_update().filter(pk=volunteer.pk).first()
        existing = list(
            Unavailability.objects.filter(volunteer=volunteer, kind=Unavailability.Kind.WEEKLY).values_list(
                "weekday", "start_time", "end_time"
            )
        )
        for day, part in wanted:
            start_time, end_time = DAY_PARTS[part]
            if any(w == day and s and e and s <= start_time and e >= end_time for w, s, e in existing):
                continue
            item = Unavailability.objects.create(
                volunteer=volunteer,
                kind=Unavailability.Kind.WEEKLY,
                weekday=day,
                start_time=start_time,
                end_time=end_time,
                note=note,
            )
            made.append(item)
            _log_added(by, volunteer, item)
        if not made:
            raise DomainError(_("You already marked these times as unavailable."), "unavailable_duplicate")
    return made


def remove_unavailability(*, by: User | None, volunteer: Volunteer, item: Unavailability) -> None:
    with transaction.atomic():
        locked = Unavailability.objects.select_for_update().filter(pk=item.pk, volunteer=volunteer).first()
        if locked is None:
            raise DomainError(_("This entry no longer exists."), "unavailable_not_found")
        before = snapshot(locked, UNAVAILABILITY_FIELDS)
        log_action(actor=by, action="unavailability.remove", obj=locked, unit=volunteer.unit, before=before)
        locked.delete()


def upcoming_unavailability(volunteer: Volunteer) -> QuerySet[Unavailability]:
    """Weekly entries, then one-off entries that are not over yet."""
    return (
        Unavailability.objects.filter(volunteer=volunteer)
        .exclude(kind=Unavailability.Kind.ONE_OFF, end__lte=timezone.now())
        .order_by("-kind", "weekday", "start_time", "start")
    )


# --- Points and weekly cap -------------------------------------------------------------------


def update_preferences(
    *,
    by: User | None,
    volunteer: Volunteer,
    points: Iterable[ServicePoint],
    max_shifts_per_week: int,
) -> RosterProfile:
    """Which points the volunteer can reach (none chosen: any point of their unit and above) and
    at most how many shifts a week they take."""
    if not MIN_CAP <= int(max_shifts_per_week) <= MAX_CAP:
        raise DomainError(
            _("The weekly limit must be between %(min)s and %(max)s shifts.")
            % {"min": MIN_CAP, "max": MAX_CAP},
            "cap_range",
        )
    wanted = {point.pk for point in points}
    allowed = set(reachable_points(volunteer).values_list("pk", flat=True))
    if wanted - allowed:
        raise DomainError(_("You can only choose active service points of your unit."), "point_not_allowed")
    with transaction.atomic():
        profile = _profile_for_update(volunteer)
        before = snapshot(profile, PROFILE_FIELDS)
        profile.max_shifts_per_week = int(max_shifts_per_week)
        profile.save(update_fields=["max_shifts_per_week"])
        profile.points.set(sorted(wanted))
        log_action(
            actor=by,
            action="roster_profile.update",
            obj=profile,
            unit=volunteer.unit,
            before=before,
            after=snapshot(profile, PROFILE_FIELDS),
        )
    return profile


# --- Display ------------------------------------------------------------------------------------


def describe(item: Unavailability) -> str:
    """A line for the list: every Tuesday 06:00–12:00; 12/01/2026 – 16/01/2026 (whole days); …"""
    if item.kind == Unavailability.Kind.WEEKLY and item.weekday and item.start_time and item.end_time:
        day = dateformat.format(dt.date(2024, 1, item.weekday), "l")  # 1/1/2024 was a Monday
        return _("Every %(day)s %(start)s–%(end)s") % {
            "day": day,
            "start": f"{item.start_time:%H:%M}",
            "end": f"{item.end_time:%H:%M}",
        }
    if item.start is None or item.end is None:
        return ""
    tz = _tz()
    start, end = item.start.astimezone(tz), item.end.astimezone(tz)
    if start.time() == dt.time() and end.time() == dt.time():
        last = end.date() - dt.timedelta(days=1)
        if last == start.date():
            return _("%(day)s (whole day)") % {"day": f"{start:%d/%m/%Y}"}
        return _("%(first)s – %(last)s (whole days)") % {
            "first": f"{start:%d/%m/%Y}",
            "last": f"{last:%d/%m/%Y}",
        }
    if start.date() == end.date():
        return f"{start:%d/%m/%Y} {start:%H:%M}–{end:%H:%M}"
    return f"{start:%d/%m/%Y %H:%M} – {end:%d/%m/%Y %H:%M}"
