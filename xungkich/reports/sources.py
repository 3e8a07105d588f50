"""Where figures come from: one small class per kind of raw record.

A source knows its metrics and turns raw records of some days (and some points or units) into
figure rows. ``rollups.refresh`` stores those rows; ``rollups.raw_figures`` sums them directly
(the raw path that tests and the benchmark compare the rollups with).

Adding a source (help sessions, campaign activities) is local: write a class with ``name``,
``metrics`` and ``collect``, add it to ``SOURCES``, and have the service that records such a
record announce it in its transaction (``core.changes.announce_one(source=…, day=…, point_id=…,
unit_id=…)``, the source's name a constant there: the domain does not import reports).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from xungkich.campaigns.models import BANNER_KINDS, Activity, Event, Registration
from xungkich.core import changes
from xungkich.helpdesk.models import FollowUp, HelpSession, Outcome, Rating
from xungkich.people.models import OrgUnit
from xungkich.reports import campaign_progress
from xungkich.reports import figures as f
from xungkich.reports.figures import FigureRow
from xungkich.rosters.attendance.hours import AttendanceRow, counting_assignments, local_tz, served_minutes
from xungkich.rosters.models import RosterPeriod, Shift
from xungkich.tickets.models import Need

Key = tuple[dt.date, int | None, int]  # (day, point_id or None, unit_id)


@dataclass(frozen=True)
class Scope:
    """Which raw records to read: local days [start, end] and, optionally, a part of the tree.

    ``point_ids``/``unit_ids`` (refreshing a few keys): records at those points, or without a point
    at those units. ``unit_path`` (the raw path of the dashboard): records of units in that subtree.
    """

    start: dt.date
    end: dt.date
    point_ids: Collection[int] | None = None
    unit_ids: Collection[int] | None = None
    unit_path: str | None = None


def local_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = local_tz()
    return (
        dt.datetime.combine(start, dt.time(), tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=tz),
    )


class Source:
    name: str = ""
    metrics: tuple[str, ...] = ()

    def collect(self, scope: Scope) -> Iterator[FigureRow]:  # pragma: no cover - interface
        raise NotImplementedError

    def changed_keys(self, since: dt.datetime) -> set[Key]:  # pragma: no cover - interface
        """(day, point_id, unit_id) keys whose records changed since ``since`` (catch-up refresh)."""
        raise NotImplementedError


def _quarters(minutes: int) -> int:
    """Quarter hours of one shift, rounded as ``hours.served_hours`` rounds (7.5 min and up → up)."""
    return (2 * minutes + 15) // 30


class RosterSource(Source):
    """Shifts of published periods (by the local day they start, the period's unit, the point).

    Only what has happened by the time of the refresh counts (``now``): shifts that have **ended**
    (shifts, places, fully staffed, check-ins, no-shows, late arrivals), and volunteer hours credited
    by then (at check-out, or the shift's end: ``rosters.attendance.hours``), attributed to the
    **volunteer's** unit at the shift's point. ``rollups.drain`` marks the keys of shifts that end
    after a refresh.
    """

    name = changes.ROSTER
    metrics = f.ROSTER_METRICS

    def shifts(self, scope: Scope) -> QuerySet[Shift]:
        since, until = local_bounds(scope.start, scope.end)
        queryset = Shift.objects.filter(
            period__status=RosterPeriod.Status.PUBLISHED, start__gte=since, start__lt=until
        )
        if scope.point_ids is not None or scope.unit_ids is not None:
            # Every shift has a point: a refresh by unit reaches no roster row.
            queryset = queryset.filter(point_id__in=list(scope.point_ids or ()))
        if scope.unit_path is not None:
            queryset = queryset.filter(period__unit__path__startswith=scope.unit_path)
        return queryset

    # Assignments carry no "changed at": the catch-up refreshes a window around today instead
    # (check-ins and no-shows of the last days, newly published periods of the coming weeks).
    WINDOW_BEFORE, WINDOW_AFTER = 7, 62

    def changed_keys(self, since: dt.datetime) -> set[Key]:
        today = timezone.localdate()
        scope = Scope(
            start=today - dt.timedelta(days=self.WINDOW_BEFORE),
            end=today + dt.timedelta(days=self.WINDOW_AFTER),
        )
        tz = local_tz()
        return {
            (timezone.localtime(start, tz).date(), point_id, unit_id)
            for start, point_id, unit_id in self.shifts(scope).values_list(
                "start", "point_id", "period__unit_id"
            )
        }

    def collect(self, scope: Scope) -> Iterator[FigureRow]:
        now = timezone.now()
        # Hours of the subtree's volunteers count at any unit's shifts: every shift of the scope.
        shifts = self.shifts(replace(scope, unit_path=None))
        tz = local_tz()
        served: dict[int, int] = defaultdict(int)
        per_shift: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        # Hours: (shift, volunteer's unit) → quarter hours credited by now.
        quarters: dict[tuple[int, int], int] = defaultdict(int)
        assignments = counting_assignments().filter(shift__in=shifts.values("pk"))
        if scope.unit_path is not None:
            subtree = Q(shift__period__unit__path__startswith=scope.unit_path) | Q(
                volunteer__unit__path__startswith=scope.unit_path
            )
            assignments = assignments.filter(subtree)
        for (
            shift_id,
            shift_start,
            shift_end,
            check_in,
            check_out,
            late,
            no_show,
            volunteer_unit_id,
            period_unit_path,
        ) in assignments.values_list(
            "shift_id",
            "shift__start",
            "shift__end",
            "check_in_at",
            "check_out_at",
            "late_minutes",
            "no_show",
            "volunteer__unit_id",
            "shift__period__unit__path",
        ).iterator(chunk_size=5000):
            row = AttendanceRow(0, 0, "", "", shift_start, shift_end, check_in, check_out, late, no_show)
            if row.served:
                quarters[(shift_id, volunteer_unit_id)] += _quarters(served_minutes(row, now))
            if shift_end > now or (
                scope.unit_path is not None and not period_unit_path.startswith(scope.unit_path)
            ):
                continue  # staffing counts ended shifts only, of the period's unit
            counts = per_shift[shift_id]
            if row.served:
                served[shift_id] += 1
                counts[f.CHECK_INS] += 1
                if late > 0:
                    counts[f.LATE] += 1
            elif no_show:
                counts[f.NO_SHOWS] += 1
        ended = self.shifts(scope).filter(end__lte=now)
        days: dict[int, tuple[dt.date, int]] = {}
        for shift_id, start, unit_id, point_id, demand in ended.values_list(
            "pk", "start", "period__unit_id", "point_id", "demand"
        ).iterator(chunk_size=5000):
            day = timezone.localtime(start, tz).date()
            yield FigureRow(day, unit_id, point_id, f.SHIFTS, "", 1)
            yield FigureRow(day, unit_id, point_id, f.PLACES, "", demand)
            if served.get(shift_id, 0) >= demand:
                yield FigureRow(day, unit_id, point_id, f.SHIFTS_COVERED, "", 1)
            for metric, value in per_shift.get(shift_id, {}).items():
                yield FigureRow(day, unit_id, point_id, metric, "", value)
        if quarters:
            wanted = {shift_id for shift_id, _unit in quarters}
            for shift_id, start, point_id in Shift.objects.filter(pk__in=wanted).values_list(
                "pk", "start", "point_id"
            ):
                days[shift_id] = (timezone.localtime(start, tz).date(), point_id)
            units_in = None
            if scope.unit_path is not None:
                units_in = set(
                    OrgUnit.objects.filter(
                        pk__in={unit for _shift, unit in quarters}, path__startswith=scope.unit_path
                    ).values_list("pk", flat=True)
                )
            for (shift_id, unit_id), value in quarters.items():
                if value and (units_in is None or unit_id in units_in):
                    day, point_id = days[shift_id]
                    yield FigureRow(day, unit_id, point_id, f.VOLUNTEER_QUARTERS, "", value)


class HelpSource(Source):
    """Help sessions (with their follow-up answers), by the day of the help, unit and point.

    All in GROUP BY queries on the database (one for the totals, one per breakdown), so that a
    month of millions of sessions is rebuilt without loading them.
    """

    name = changes.HELP
    metrics = f.HELP_METRICS + f.HELP_BREAKDOWNS

    def sessions(self, scope: Scope) -> QuerySet[HelpSession]:
        queryset = HelpSession.objects.filter(helped_on__gte=scope.start, helped_on__lte=scope.end)
        if scope.point_ids is not None or scope.unit_ids is not None:
            queryset = queryset.filter(point_filter(scope))
        if scope.unit_path is not None:
            queryset = queryset.filter(unit__path__startswith=scope.unit_path)
        return queryset

    def changed_keys(self, since: dt.datetime) -> set[Key]:
        """Sessions recorded or changed, and follow-ups answered, erased or purged since ``since``.

        A session moved to another day or deleted leaves its old key behind: the services that
        do so call ``rollups.refresh_for`` for it (or ``rebuild_rollups`` repairs it).
        """
        fields = ("helped_on", "point_id", "unit_id")
        keys: set[Key] = set(
            HelpSession.objects.filter(updated_at__gte=since).values_list(*fields).distinct()
        )
        followups = FollowUp.objects.filter(Q(answered_at__gte=since) | Q(purged_at__gte=since))
        keys |= set(
            followups.values_list("session__helped_on", "session__point_id", "session__unit_id").distinct()
        )
        return keys

    def collect(self, scope: Scope) -> Iterator[FigureRow]:
        sessions = self.sessions(scope)
        done = Q(outcome=Outcome.DONE)
        answered = Q(followup__status=FollowUp.Status.ANSWERED)
        counts = {
            f.SESSIONS: Count("pk"),
            f.ACCOUNTS_CREATED: Count("pk", filter=done & Q(need=Need.ACCOUNT)),
            f.ONLINE_SUBMISSIONS: Count("pk", filter=done & Q(need=Need.DOSSIER)),
            f.APPS_INSTALLED: Count("pk", filter=done & Q(need=Need.APP)),
            f.FAILED: Count("pk", filter=Q(outcome=Outcome.FAILED)),
            f.FIRST_ONLINE: Count("pk", filter=Q(first_online=True)),
            f.TIMED: Count("pk", filter=Q(duration_minutes__isnull=False)),
            f.MINUTES: Coalesce(Sum("duration_minutes"), 0),
            f.FOLLOWUPS_ANSWERED: Count("pk", filter=answered),
            f.FOLLOWUPS_ALONE: Count("pk", filter=answered & Q(followup__did_online_alone=True)),
        }
        keys = ("helped_on", "unit_id", "point_id")
        for row in sessions.order_by().values(*keys).annotate(**counts).iterator(chunk_size=5000):
            for metric in counts:
                if row[metric]:
                    yield FigureRow(
                        row["helped_on"], row["unit_id"], row["point_id"], metric, "", row[metric]
                    )
        dimensions = {
            f.BY_NEED: ("need", Q()),
            f.BY_OUTCOME: ("outcome", Q()),
            f.BY_FAILURE: ("failure_reason", Q(outcome=Outcome.FAILED)),
            f.BY_AGE: ("age_band", Q()),
            f.BY_GENDER: ("gender", Q()),
            f.BY_WARD: ("ward__code", Q()),
            f.BY_CHANNEL: ("channel", Q()),
            f.BY_PROCEDURE: ("procedure_code", done & Q(need=Need.DOSSIER)),
            f.BY_PERFORMER: ("performed_by", Q()),
        }
        for metric, (dimension, condition) in dimensions.items():
            extra = ("procedure_name",) if dimension == "procedure_code" else ()
            grouped = (
                sessions.filter(condition).order_by().values(*keys, dimension, *extra).annotate(n=Count("pk"))
            )
            for row in grouped.iterator(chunk_size=5000):
                key = str(row[dimension] or f.UNKNOWN)
                if extra:  # "1.004222 Đăng ký thường trú": the code and the name people read
                    key = f"{key} {row['procedure_name']}".strip()
                yield FigureRow(row["helped_on"], row["unit_id"], row["point_id"], metric, key[:60], row["n"])


class RatingSource(Source):
    """The citizens' ratings (1–5), by the day and point of the ticket, the point's unit."""

    name = changes.RATINGS
    metrics = f.RATING_METRICS

    def ratings(self, scope: Scope) -> QuerySet[Rating]:
        queryset = Rating.objects.filter(ticket__day__gte=scope.start, ticket__day__lte=scope.end)
        if scope.point_ids is not None or scope.unit_ids is not None:
            queryset = queryset.filter(ticket__point_id__in=list(scope.point_ids or ()))
        if scope.unit_path is not None:
            queryset = queryset.filter(ticket__point__unit__path__startswith=scope.unit_path)
        return queryset

    def changed_keys(self, since: dt.datetime) -> set[Key]:
        fields = ("ticket__day", "ticket__point_id", "ticket__point__unit_id")
        return set(Rating.objects.filter(created_at__gte=since).values_list(*fields).distinct())

    def collect(self, scope: Scope) -> Iterator[FigureRow]:
        keys = ("ticket__day", "ticket__point__unit_id", "ticket__point_id", "score")
        for row in (
            self.ratings(scope).order_by().values(*keys).annotate(n=Count("pk")).iterator(chunk_size=5000)
        ):
            day, unit_id, point_id, score, n = (row[k] for k in (*keys, "n"))
            yield FigureRow(day, unit_id, point_id, f.RATINGS, "", n)
            yield FigureRow(day, unit_id, point_id, f.RATING_POINTS, "", n * score)
            yield FigureRow(day, unit_id, point_id, f.BY_SCORE, str(score), n)


class CampaignSource(Source):
    """Campaign activities (reach, participants, materials) and events (registrations, check-ins),
    by the activity's date or the event's local day, the campaign's organising unit, no point."""

    name = changes.CAMPAIGNS
    metrics = f.CAMPAIGN_METRICS

    def _scoped(self, queryset: QuerySet[Any], scope: Scope) -> QuerySet[Any]:
        if scope.point_ids is not None or scope.unit_ids is not None:
            queryset = queryset.filter(campaign__unit_id__in=list(scope.unit_ids or ()))
        if scope.unit_path is not None:
            queryset = queryset.filter(campaign__unit__path__startswith=scope.unit_path)
        return queryset

    def collect(self, scope: Scope) -> Iterator[FigureRow]:
        activities = self._scoped(Activity.objects.filter(date__gte=scope.start, date__lte=scope.end), scope)
        sums = {
            f.ACTIVITIES: Count("pk"),
            "reached": Coalesce(Sum("people_reached"), 0),
            "taking_part": Coalesce(Sum("participants_count"), 0),
            "pieces": Coalesce(Sum("materials_count"), 0),
            "banners": Coalesce(Sum("materials_count", filter=Q(kind__in=BANNER_KINDS)), 0),
        }
        metric_of = {
            f.ACTIVITIES: f.ACTIVITIES,
            "reached": f.PEOPLE_REACHED,
            "taking_part": f.PARTICIPANTS,
            "pieces": f.MATERIALS,
            "banners": f.BANNERS,
        }
        for row in activities.order_by().values("date", "campaign__unit_id").annotate(**sums):
            for name, metric in metric_of.items():
                if row[name]:
                    yield FigureRow(row["date"], row["campaign__unit_id"], None, metric, "", row[name])
        # Citizens helped and accounts created typed on activities, beyond the help sessions
        # recorded at them (those are counted by the help source): reports.campaign_progress decides.
        for extra in campaign_progress.activity_extras(activities):
            for metric, value in (
                (f.CAMPAIGN_HELPED, extra.citizens_helped),
                (f.CAMPAIGN_ACCOUNTS, extra.accounts_created),
            ):
                if value:
                    yield FigureRow(extra.date, extra.unit_id, None, metric, "", value)
        for row in activities.order_by().values("date", "campaign__unit_id", "kind").annotate(n=Count("pk")):
            yield FigureRow(
                row["date"], row["campaign__unit_id"], None, f.BY_ACTIVITY_KIND, row["kind"], row["n"]
            )
        since, until = local_bounds(scope.start, scope.end)
        events = self._scoped(Event.objects.filter(starts_at__gte=since, starts_at__lt=until), scope)
        confirmed = Q(registrations__status=Registration.Status.CONFIRMED)
        tz = local_tz()
        for starts_at, unit_id, registrations, check_ins in (
            events.order_by()
            .values("pk", "starts_at", "campaign__unit_id")
            .annotate(
                confirmed=Count("registrations", filter=confirmed),
                came=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
            )
            .values_list("starts_at", "campaign__unit_id", "confirmed", "came")
        ):
            day = timezone.localtime(starts_at, tz).date()
            yield FigureRow(day, unit_id, None, f.EVENTS, "", 1)
            yield FigureRow(day, unit_id, None, f.REGISTRATIONS, "", registrations)
            yield FigureRow(day, unit_id, None, f.EVENT_CHECK_INS, "", check_ins)

    def changed_keys(self, since: dt.datetime) -> set[Key]:
        """Activities recorded or with help sessions recorded at them, and events with registrations
        made, cancelled or checked in, since ``since``. An activity edited later (its counts) needs
        ``refresh_for`` from its service."""
        recorded_at = HelpSession.objects.filter(updated_at__gte=since, activity__isnull=False)
        keys: set[Key] = {
            (day, None, unit_id)
            for day, unit_id in Activity.objects.filter(
                Q(created_at__gte=since) | Q(pk__in=recorded_at.values("activity_id"))
            ).values_list("date", "campaign__unit_id")
        }
        changed = Q(created_at__gte=since) | Q(cancelled_at__gte=since) | Q(checked_in_at__gte=since)
        tz = local_tz()
        for starts_at, unit_id in (
            Registration.objects.filter(changed)
            .values_list("event__starts_at", "event__campaign__unit_id")
            .distinct()
        ):
            keys.add((timezone.localtime(starts_at, tz).date(), None, unit_id))
        return keys


SOURCES: dict[str, Source] = {
    source.name: source for source in (RosterSource(), HelpSource(), RatingSource(), CampaignSource())
}


def point_filter(scope: Scope, *, point: str = "point_id", unit: str = "unit_id") -> Q:
    """The record filter matching ``scope.point_ids``/``unit_ids`` (for sources with optional points)."""
    condition = Q(**{f"{point}__in": list(scope.point_ids or ())})
    if scope.unit_ids:
        condition |= Q(**{f"{point}__isnull": True, f"{unit}__in": list(scope.unit_ids)})
    return condition
