"""The dashboard's figures as plain data, and the pure arithmetic on them (no database).

A *figure row* is ``(day, unit_id, point_id, metric, key, value)``: one number of one day at one
unit and service point. Metrics with ``key == ""`` are totals (summed into trends by week and
month and into the per-point table); metrics with a key are breakdowns (by ward, need, age band …).

``Figures`` is what the dashboard, the exports and the API read. It is built either from rows a
source computes from raw records (``from_rows``), or by the rollup queries (``rollups.figures``);
both must give equal ``Figures`` (tests compare them).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple, TypeVar

K = TypeVar("K")


class FigureRow(NamedTuple):
    day: dt.date
    unit_id: int
    point_id: int | None
    metric: str
    key: str
    value: int


# --- Metrics ------------------------------------------------------------------------------------
# Roster (rosters app): shifts of published periods, by the local day the shift starts.
SHIFTS = "shifts"
PLACES = "places"  # places asked for (the shifts' headcounts)
SHIFTS_COVERED = "shifts_covered"  # shifts where at least as many people checked in as asked
CHECK_INS = "check_ins"  # assignments served (checked in)
NO_SHOWS = "no_shows"
LATE = "late"
VOLUNTEER_QUARTERS = "volunteer_quarters"  # volunteer hours × 4 (quarter hours, as hours.py rounds)

ROSTER_METRICS = (SHIFTS, PLACES, SHIFTS_COVERED, CHECK_INS, NO_SHOWS, LATE, VOLUNTEER_QUARTERS)

# Help sessions (helpdesk app), by the day of the help, the session's unit and point.
SESSIONS = "sessions"  # citizens helped
ACCOUNTS_CREATED = "accounts_created"  # need "account", done
ONLINE_SUBMISSIONS = "online_submissions"  # need "dossier", done
APPS_INSTALLED = "apps_installed"  # need "app", done
FAILED = "failed"
FIRST_ONLINE = "first_online"  # the person's first online procedure
TIMED = "timed"  # sessions with a duration
MINUTES = "minutes"  # their minutes, summed
FOLLOWUPS_ANSWERED = "followups_answered"  # the habit figure's denominator …
FOLLOWUPS_ALONE = "followups_alone"  # … and numerator (did an online procedure alone since)
HELP_METRICS = (
    SESSIONS,
    ACCOUNTS_CREATED,
    ONLINE_SUBMISSIONS,
    APPS_INSTALLED,
    FAILED,
    FIRST_ONLINE,
    TIMED,
    MINUTES,
    FOLLOWUPS_ANSWERED,
    FOLLOWUPS_ALONE,
)
# Breakdowns of help sessions (key = the record's code; UNKNOWN when blank).
BY_NEED = "by_need"
BY_OUTCOME = "by_outcome"
BY_FAILURE = "by_failure"
BY_AGE = "by_age"
BY_GENDER = "by_gender"
BY_WARD = "by_ward"  # key: the ward's official code
BY_CHANNEL = "by_channel"
BY_PROCEDURE = "by_procedure"  # online submissions done, by procedure code
BY_PERFORMER = "by_performer"
HELP_BREAKDOWNS = (
    BY_NEED,
    BY_OUTCOME,
    BY_FAILURE,
    BY_AGE,
    BY_GENDER,
    BY_WARD,
    BY_CHANNEL,
    BY_PROCEDURE,
    BY_PERFORMER,
)
UNKNOWN = "?"

# Campaigns (campaigns app): by the activity's date or the event's local day, the organising
# unit; no service point.
ACTIVITIES = "activities"
PEOPLE_REACHED = "people_reached"  # campaign reach
PARTICIPANTS = "participants"  # young people taking part in activities
MATERIALS = "materials"  # every piece: banners, panels, leaflets …
BANNERS = "banners"  # materials of banner and panel activities (campaigns.models.BANNER_KINDS)
CAMPAIGN_HELPED = "campaign_helped"  # citizens helped typed on activities beyond their help sessions
CAMPAIGN_ACCOUNTS = "campaign_accounts"  # accounts created typed on activities beyond their sessions
EVENTS = "events"
REGISTRATIONS = "registrations"  # confirmed places
EVENT_CHECK_INS = "event_check_ins"
BY_ACTIVITY_KIND = "by_activity_kind"
CAMPAIGN_METRICS = (
    ACTIVITIES,
    PEOPLE_REACHED,
    PARTICIPANTS,
    MATERIALS,
    BANNERS,
    CAMPAIGN_HELPED,
    CAMPAIGN_ACCOUNTS,
    EVENTS,
    REGISTRATIONS,
    EVENT_CHECK_INS,
    BY_ACTIVITY_KIND,
)

# Ratings (helpdesk app): by the ticket's day and point.
RATINGS = "ratings"
RATING_POINTS = "rating_points"  # scores summed: average = rating_points / ratings
BY_SCORE = "by_score"
RATING_METRICS = (RATINGS, RATING_POINTS, BY_SCORE)


# --- Definitions ---------------------------------------------------------------------------------
# The figures people read, each defined once here from the stored metrics and read by the dashboard,
# the Word/PDF report, the Excel file and the summary API (docs/reports.md, "Definitions"). The
# campaign page computes the same per campaign with ``reports.campaign_progress``.
CITIZENS_HELPED = "citizens_helped"  # help sessions + what activities add beyond their sessions
ACCOUNTS_TOTAL = "accounts_total"  # account help done in sessions + what activities add
BANNERS_PANELS = "banners_panels"  # banners and panels placed
DEFINITIONS: dict[str, tuple[str, ...]] = {
    CITIZENS_HELPED: (SESSIONS, CAMPAIGN_HELPED),
    ACCOUNTS_TOTAL: (ACCOUNTS_CREATED, CAMPAIGN_ACCOUNTS),
    BANNERS_PANELS: (BANNERS,),
}


def defined(values: Mapping[str, int], name: str) -> int:
    """The figure ``name`` of ``DEFINITIONS`` from metric values (totals, a day, a point)."""
    return sum(values.get(metric, 0) for metric in DEFINITIONS[name])


def quarters_to_hours(quarters: int) -> Decimal:
    return (Decimal(quarters) / 4).quantize(Decimal("0.01"))


@dataclass
class Figures:
    """Totals by day, by service point, and breakdowns, for one period and one unit subtree."""

    days: dict[dt.date, dict[str, int]] = field(default_factory=dict)
    points: dict[int | None, dict[str, int]] = field(default_factory=dict)
    breakdowns: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def totals(self) -> dict[str, int]:
        result: dict[str, int] = defaultdict(int)
        for values in self.days.values():
            for metric, value in values.items():
                result[metric] += value
        return dict(result)

    def total(self, metric: str) -> int:
        return self.totals.get(metric, 0)

    def figure(self, name: str) -> int:
        """A defined figure (``DEFINITIONS``): citizens helped, accounts created, banners."""
        return defined(self.totals, name)

    @property
    def citizens_helped(self) -> int:
        return self.figure(CITIZENS_HELPED)

    @property
    def accounts_created(self) -> int:
        return self.figure(ACCOUNTS_TOTAL)

    def breakdown(self, metric: str) -> list[tuple[str, int]]:
        """Keys by value, largest first (ties by key)."""
        values = self.breakdowns.get(metric, {})
        return sorted(values.items(), key=lambda item: (-item[1], item[0]))

    @property
    def volunteer_hours(self) -> Decimal:
        return quarters_to_hours(self.total(VOLUNTEER_QUARTERS))

    def share(self, part: str, whole: str) -> Decimal | None:
        """``part`` / ``whole`` in per cent (one decimal); None without a denominator."""
        total = self.total(whole)
        if not total:
            return None
        return (Decimal(100 * self.total(part)) / total).quantize(Decimal("0.1"))

    @property
    def average_rating(self) -> Decimal | None:
        count = self.total(RATINGS)
        return (Decimal(self.total(RATING_POINTS)) / count).quantize(Decimal("0.01")) if count else None

    @property
    def average_minutes(self) -> Decimal | None:
        count = self.total(TIMED)
        return (Decimal(self.total(MINUTES)) / count).quantize(Decimal("0.1")) if count else None

    def is_empty(self) -> bool:
        return not self.days and not self.breakdowns


def _clean(nested: Mapping[K, Mapping[str, int]]) -> dict[K, dict[str, int]]:
    """Drop zero values and empty groups, so that equal figures compare equal."""
    result: dict[K, dict[str, int]] = {}
    for outer, values in nested.items():
        kept = {name: value for name, value in values.items() if value}
        if kept:
            result[outer] = kept
    return result


def make_figures(
    days: Mapping[dt.date, Mapping[str, int]],
    points: Mapping[int | None, Mapping[str, int]],
    breakdowns: Mapping[str, Mapping[str, int]],
) -> Figures:
    return Figures(days=_clean(days), points=_clean(points), breakdowns=_clean(breakdowns))


def from_rows(rows: Iterable[FigureRow]) -> Figures:
    """Sum figure rows into ``Figures`` (the raw-records path; the rollups do the same in SQL)."""
    days: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    points: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    breakdowns: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        if row.key:
            breakdowns[row.metric][row.key] += row.value
        else:
            days[row.day][row.metric] += row.value
            points[row.point_id][row.metric] += row.value
    return make_figures(days, points, breakdowns)


def merge_rows(rows: Iterable[FigureRow]) -> list[FigureRow]:
    """Add up rows with the same (day, unit, point, metric, key); drop zeros (what is stored)."""
    sums: dict[tuple[dt.date, int, int | None, str, str], int] = defaultdict(int)
    for row in rows:
        sums[(row.day, row.unit_id, row.point_id, row.metric, row.key)] += row.value
    return [FigureRow(*key, value) for key, value in sums.items() if value]


# --- Trends -------------------------------------------------------------------------------------


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def trend(
    figures: Figures, metric: str, *, by: str, start: dt.date, end: dt.date
) -> list[tuple[dt.date, int]]:
    """``metric`` (or a defined figure) summed by week (Monday first) or month over [start, end],
    empty buckets included."""
    bucket = week_start if by == "week" else month_start
    sums: dict[dt.date, int] = defaultdict(int)
    for day, values in figures.days.items():
        sums[bucket(day)] += defined(values, metric) if metric in DEFINITIONS else values.get(metric, 0)
    result = []
    current = bucket(start)
    while current <= end:
        result.append((current, sums.get(current, 0)))
        if by == "week":
            current += dt.timedelta(days=7)
        else:
            current = (current + dt.timedelta(days=32)).replace(day=1)
    return result
