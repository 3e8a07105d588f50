"""Telling volunteers and leaders about shifts: reminders the day before, unconfirmed shifts, swaps.

Messages go through a ``Notifier`` (``core/notify.py``: e-mail today, a gateway by
``settings.XK_NOTIFIER``).

Reminder links ("I will come" / "I can't come") are signed (``django.core.signing``, own salt):
they open a page without a password, for that one assignment and action only, until the shift
ends. The page asks for a POST: mail scanners that follow links change nothing. The POST keeps
Django's CSRF check; the page's ``Referrer-Policy: same-origin`` keeps the token out of Referer
headers to other sites while the browser still sends this site's Origin with the form.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _

from xungkich.core.audit import log_action
from xungkich.core.errors import DomainError
from xungkich.core.models import AuditEntry
from xungkich.core.notify import Link, Notifier, get_notifier, site_url
from xungkich.people.models import OrgUnit, Role, User, Volunteer
from xungkich.rosters.models import Assignment, RosterPeriod, Shift
from xungkich.rosters.rules import HOLDING

logger = logging.getLogger(__name__)


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def shift_when(shift: Shift) -> str:
    """Day, date and times of a shift in the active language, local time: Thứ 2, 05/01/2026, 07:30–11:30."""
    tz = _tz()
    start, end = shift.start.astimezone(tz), shift.end.astimezone(tz)
    return f"{dateformat.format(start, 'l, d/m/Y')}, {start:%H:%M}–{end:%H:%M}"


# --- Signed links -----------------------------------------------------------------------------

LINK_SALT = "xungkich.rosters.assignment-link"
LINK_ACTIONS = ("confirm", "cant_come")
# A link is good until the shift ends, and never longer than this (periods last at most 92 days).
LINK_MAX_AGE = dt.timedelta(days=100)


def make_action_token(assignment: Assignment, action: str) -> str:
    if action not in LINK_ACTIONS:
        raise ValueError(action)
    payload = {
        "a": assignment.pk,
        "v": assignment.volunteer_id,
        "x": action,
        "e": int(assignment.shift.end.timestamp()),
    }
    return signing.dumps(payload, salt=LINK_SALT)


def action_url(assignment: Assignment, action: str, *, base: str | None = None) -> str:
    token = make_action_token(assignment, action)
    return (base or site_url()) + reverse("rosters:signed_action", args=[token])


def read_action_token(token: str) -> tuple[Assignment, str]:
    """The assignment and action a signed link stands for, or DomainError link_invalid/link_expired."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise DomainError(_("This link has expired."), "link_expired") from exc
    except signing.BadSignature as exc:
        raise DomainError(_("This link is not valid."), "link_invalid") from exc
    if (
        not isinstance(data, dict)
        or data.get("x") not in LINK_ACTIONS
        or not isinstance(data.get("a"), int)
        or not isinstance(data.get("v"), int)
    ):
        raise DomainError(_("This link is not valid."), "link_invalid")
    if int(data.get("e", 0)) <= timezone.now().timestamp():
        raise DomainError(_("This link has expired."), "link_expired")
    assignment = (
        Assignment.objects.select_related(
            "shift__point", "shift__period", "shift__pattern", "volunteer__user"
        )
        .filter(pk=int(data["a"]), volunteer_id=int(data["v"]))
        .first()
    )
    if assignment is None:
        raise DomainError(_("This link is not valid."), "link_invalid")
    return assignment, str(data["x"])


# --- Reminders the day before -----------------------------------------------------------------


@dataclass
class ReminderReport:
    sent: list[Assignment] = field(default_factory=list)
    unreachable: list[Assignment] = field(default_factory=list)
    failed: list[Assignment] = field(default_factory=list)


def reminders_due(now: dt.datetime) -> QuerySet[Assignment]:
    """Holding assignments of published rosters on shifts starting tomorrow (local date), not yet
    reminded."""
    tz = _tz()
    tomorrow = now.astimezone(tz).date() + dt.timedelta(days=1)
    day_start = dt.datetime.combine(tomorrow, dt.time(), tzinfo=tz)
    return (
        Assignment.objects.filter(
            status__in=HOLDING,
            reminded_at__isnull=True,
            shift__period__status=RosterPeriod.Status.PUBLISHED,
            shift__start__gte=day_start,
            shift__start__lt=day_start + dt.timedelta(days=1),
        )
        .select_related("shift__point", "shift__pattern", "volunteer")
        .order_by("shift__start", "pk")
    )


def _reminder(assignment: Assignment, base: str) -> tuple[str, str, list[Link]]:
    shift = assignment.shift
    context = {
        "assignment": assignment,
        "shift": shift,
        "volunteer": assignment.volunteer,
        "when": shift_when(shift),
        "what": shift.pattern.name if shift.pattern else shift.name,
    }
    subject = render_to_string("rosters/email/reminder_subject.txt", context).strip()
    body = render_to_string("rosters/email/reminder_body.txt", context)
    links: list[Link] = []
    if assignment.status != Assignment.Status.CONFIRMED:
        links.append((_("I will come"), action_url(assignment, "confirm", base=base)))
    links.append((_("I can't come"), action_url(assignment, "cant_come", base=base)))
    links.append((_("My shifts"), base + reverse("rosters:my_shifts")))
    return subject, body, links


def send_shift_reminders(
    *, now: dt.datetime | None = None, notifier: Notifier | None = None, base_url: str | None = None
) -> ReminderReport:
    """Remind everyone on tomorrow's shifts once. Safe to run every hour, and twice at once: each
    assignment is claimed with a conditional UPDATE before its message goes out."""
    now = now or timezone.now()
    notifier = notifier or get_notifier()
    base = (base_url or site_url()).rstrip("/")
    report = ReminderReport()
    with translation.override(settings.LANGUAGE_CODE):
        for assignment in reminders_due(now):
            claimed = Assignment.objects.filter(
                pk=assignment.pk, reminded_at__isnull=True, status__in=HOLDING
            ).update(reminded_at=now)
            if not claimed:
                continue
            subject, body, links = _reminder(assignment, base)
            try:
                delivered = notifier.send(to=assignment.volunteer, subject=subject, body=body, links=links)
            except Exception:  # the gateway failed: release the claim, the next run retries
                logger.exception("Reminder for assignment %s failed", assignment.pk)
                delivered = None
            if not delivered:
                Assignment.objects.filter(pk=assignment.pk).update(reminded_at=None)
                (report.failed if delivered is None else report.unreachable).append(assignment)
                continue
            assignment.reminded_at = now
            report.sent.append(assignment)
            log_action(
                actor=None,
                action="assignment.remind",
                obj=assignment,
                unit=assignment.volunteer.unit,
                after={"reminded_at": now.isoformat(), "notifier": notifier.name},
            )
    return report


# --- Unconfirmed shifts, flagged to the leaders -----------------------------------------------

FLAG_ACTION = "assignment.flag"


def unconfirmed_assignments(*, now: dt.datetime, within_hours: int) -> QuerySet[Assignment]:
    """Still PLANNED (not confirmed after the reminder) on published shifts starting soon."""
    return (
        Assignment.objects.filter(
            status=Assignment.Status.PLANNED,
            shift__period__status=RosterPeriod.Status.PUBLISHED,
            shift__start__gt=now,
            shift__start__lte=now + dt.timedelta(hours=within_hours),
        )
        .select_related("shift__point", "shift__pattern", "volunteer__unit")
        .order_by("shift__start", "volunteer__full_name", "pk")
    )


def flagged_ids(assignments: Iterable[Assignment]) -> set[int]:
    ids = [str(a.pk) for a in assignments]
    return {
        int(pk)
        for pk in AuditEntry.objects.filter(
            action=FLAG_ACTION, object_type="rosters.assignment", object_id__in=ids
        ).values_list("object_id", flat=True)
    }


def leaders_for(unit: OrgUnit) -> list[User]:
    """The unit's leaders; when it has none, the coordinators of the nearest unit above."""
    leaders = list(
        User.objects.filter(role=Role.UNIT_LEADER, unit=unit, is_active=True).select_related("volunteer")
    )
    if leaders:
        return leaders
    parts = [part for part in unit.path.split("/") if part]
    for n in range(len(parts), 0, -1):
        coordinators = list(
            User.objects.filter(
                role=Role.COORDINATOR, unit__path="/".join(parts[:n]) + "/", is_active=True
            ).select_related("volunteer")
        )
        if coordinators:
            return coordinators
    return []


@dataclass
class FlagReport:
    flagged: list[Assignment] = field(default_factory=list)
    notified: list[User] = field(default_factory=list)
    unreachable: list[User] = field(default_factory=list)


def flag_unconfirmed(
    *,
    now: dt.datetime | None = None,
    within_hours: int = 12,
    notifier: Notifier | None = None,
    base_url: str | None = None,
) -> FlagReport:
    """List unconfirmed assignments on shifts starting within ``within_hours`` to the leaders of
    each volunteer's unit, once per assignment (an audit entry marks it flagged)."""
    now = now or timezone.now()
    notifier = notifier or get_notifier()
    base = (base_url or site_url()).rstrip("/")
    report = FlagReport()
    pending = list(unconfirmed_assignments(now=now, within_hours=within_hours))
    done = flagged_ids(pending)
    pending = [a for a in pending if a.pk not in done]
    by_leader: dict[int, list[Assignment]] = defaultdict(list)
    leaders: dict[int, User] = {}
    leaders_of_unit: dict[int, list[User]] = {}
    for assignment in pending:
        unit = assignment.volunteer.unit
        if unit.pk not in leaders_of_unit:
            leaders_of_unit[unit.pk] = leaders_for(unit)
        for leader in leaders_of_unit[unit.pk]:
            leaders[leader.pk] = leader
            by_leader[leader.pk].append(assignment)
    with translation.override(settings.LANGUAGE_CODE):
        for leader_pk, items in by_leader.items():
            leader = leaders[leader_pk]
            context = {
                "leader": leader,
                "items": [(a, shift_when(a.shift)) for a in items],
                "hours": within_hours,
            }
            subject = render_to_string("rosters/email/unconfirmed_subject.txt", context).strip()
            body = render_to_string("rosters/email/unconfirmed_body.txt", context)
            links = [(_("Unconfirmed shifts"), base + reverse("rosters:unconfirmed"))]
            try:
                delivered = notifier.send(to=leader, subject=subject, body=body, links=links)
            except Exception:
                logger.exception("Unconfirmed-shift list for user %s failed", leader.pk)
                delivered = False
            (report.notified if delivered else report.unreachable).append(leader)
    for assignment in pending:
        told = [leader.pk for leader in leaders_of_unit[assignment.volunteer.unit_id]]
        log_action(
            actor=None,
            action=FLAG_ACTION,
            obj=assignment,
            unit=assignment.volunteer.unit,
            after={"leaders": told, "delivered_to": [u.pk for u in report.notified if u.pk in told]},
        )
        report.flagged.append(assignment)
    return report


# --- Swaps --------------------------------------------------------------------------------------


def offer_taken(*, offered: Assignment, taker: Volunteer, notifier: Notifier | None = None) -> bool:
    """Tell the volunteer who offered a shift that someone took it over (after the commit)."""
    try:
        notifier = notifier or get_notifier()
        with translation.override(settings.LANGUAGE_CODE):
            shift = offered.shift
            context = {
                "shift": shift,
                "when": shift_when(shift),
                "taker": taker,
                "volunteer": offered.volunteer,
            }
            subject = _("Your shift was taken over")
            body = render_to_string("rosters/email/offer_taken_body.txt", context)
            links = [(_("My shifts"), site_url() + reverse("rosters:my_shifts"))]
            return notifier.send(to=offered.volunteer, subject=subject, body=body, links=links)
    except Exception:  # a message that does not go out must not break the swap
        logger.exception("Swap notice for assignment %s failed", offered.pk)
        return False
