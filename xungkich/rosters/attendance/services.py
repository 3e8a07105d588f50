"""Check-in, check-out, lateness and no-shows at the desk. Each write owns its transaction and audits.

A volunteer scans the point's QR poster (``/rosters/checkin/<token>/``) and checks in or out of the
shift they hold there now; a coordinator can do the same for them at the desk page, with the time it
really happened. Only shifts of published periods count.

Rules (module constants, documented here so the desk and the hours agree):

- check-in opens ``CHECKIN_OPENS_BEFORE`` (60 min) before the shift starts and closes at its end;
- lateness is the whole minutes after the start at check-in; up to ``LATE_GRACE_MINUTES`` (5) counts
  as on time (0), beyond it the full delay is recorded (7 minutes late → 7);
- check-out must come after check-in and never in the future; a forgotten check-out is set by a
  coordinator, or closed at the shift's end by ``mark_no_shows`` once ``AUTO_CLOSE_AFTER`` (2 h) passed;
- a holding assignment whose shift ended without a check-in becomes a no-show (``mark_no_shows``);
  a coordinator may also mark it by hand once the shift started. A later check-in clears it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xungkich.core import changes
from xungkich.core.audit import log_action, snapshot
from xungkich.core.days import local_day
from xungkich.core.errors import DomainError
from xungkich.core.pdf import render_qr_poster
from xungkich.lib.qr import qr_png
from xungkich.people.models import User, Volunteer
from xungkich.places.models import ServicePoint
from xungkich.rosters.models import Assignment, RosterPeriod
from xungkich.rosters.rules import HOLDING

CHECKIN_OPENS_BEFORE = dt.timedelta(minutes=60)
LATE_GRACE_MINUTES = 5
AUTO_CLOSE_AFTER = dt.timedelta(hours=2)

ATTENDANCE_FIELDS = ["check_in_at", "check_out_at", "late_minutes", "no_show"]


def late_minutes_for(shift_start: dt.datetime, check_in_at: dt.datetime) -> int:
    """Whole minutes after the start; 0 when early or within the grace period."""
    minutes = int((check_in_at - shift_start).total_seconds() // 60)
    return minutes if minutes > LATE_GRACE_MINUTES else 0


def _attendance_assignments() -> QuerySet[Assignment]:
    return Assignment.objects.select_related("shift", "shift__point", "shift__period", "volunteer")


def _locked(assignment: Assignment) -> Assignment:
    return _attendance_assignments().select_for_update(of=("self",)).get(pk=assignment.pk)


def _now(at: dt.datetime | None) -> dt.datetime:
    return at if at is not None else timezone.now()


def _require_counting(assignment: Assignment) -> None:
    if assignment.shift.period.status != RosterPeriod.Status.PUBLISHED:
        raise DomainError(_("This shift's roster is not published yet."), "attendance_not_published")
    if assignment.status not in HOLDING:
        raise DomainError(
            _("This assignment was given up (“can't come”), so it cannot be checked in."),
            "attendance_not_holding",
        )


def _audit(assignment: Assignment, *, by: User | None, action: str, before: dict[str, object]) -> None:
    """Audit an attendance change, and mark the roster figures of its shift as changed."""
    shift = assignment.shift
    changes.announce_one(source=changes.ROSTER, day=local_day(shift.start), point_id=shift.point_id)
    log_action(
        actor=by,
        action=action,
        obj=assignment,
        unit=assignment.shift.point.unit,
        before=before,
        after=snapshot(assignment, ATTENDANCE_FIELDS),
    )


# --- Check-in and check-out -------------------------------------------------------------------


def check_in(*, assignment: Assignment, by: User | None, at: dt.datetime | None = None) -> Assignment:
    """Record arrival at ``at`` (now by default; a coordinator may give the real time)."""
    now = timezone.now()
    at = _now(at)
    if at > now + dt.timedelta(minutes=1):
        raise DomainError(_("That time is still in the future."), "attendance_future_time")
    with transaction.atomic():
        assignment = _locked(assignment)
        shift = assignment.shift
        _require_counting(assignment)
        if assignment.check_in_at is not None:
            raise DomainError(
                _("Already checked in at %(time)s.") % {"time": _local_hm(assignment.check_in_at)},
                "checkin_already",
            )
        if at < shift.start - CHECKIN_OPENS_BEFORE:
            raise DomainError(
                _("Check-in opens %(minutes)s minutes before the shift starts.")
                % {"minutes": int(CHECKIN_OPENS_BEFORE.total_seconds() // 60)},
                "checkin_too_early",
            )
        if at >= shift.end:
            raise DomainError(_("This shift is already over."), "checkin_shift_over")
        before = snapshot(assignment, ATTENDANCE_FIELDS)
        assignment.check_in_at = at
        assignment.late_minutes = late_minutes_for(shift.start, at)
        assignment.no_show = False
        assignment.save(update_fields=["check_in_at", "late_minutes", "no_show"])
        _audit(assignment, by=by, action="assignment.check_in", before=before)
    return assignment


def check_out(*, assignment: Assignment, by: User | None, at: dt.datetime | None = None) -> Assignment:
    now = timezone.now()
    at = _now(at)
    if at > now + dt.timedelta(minutes=1):
        raise DomainError(_("That time is still in the future."), "attendance_future_time")
    with transaction.atomic():
        assignment = _locked(assignment)
        _require_counting(assignment)
        if assignment.check_in_at is None:
            raise DomainError(_("Check in first, then check out."), "checkout_not_checked_in")
        if assignment.check_out_at is not None:
            raise DomainError(
                _("Already checked out at %(time)s.") % {"time": _local_hm(assignment.check_out_at)},
                "checkout_already",
            )
        if at <= assignment.check_in_at:
            raise DomainError(
                _("The check-out time must be after the check-in time (%(time)s).")
                % {"time": _local_hm(assignment.check_in_at)},
                "checkout_before_checkin",
            )
        before = snapshot(assignment, ATTENDANCE_FIELDS)
        assignment.check_out_at = at
        assignment.save(update_fields=["check_out_at"])
        _audit(assignment, by=by, action="assignment.check_out", before=before)
    return assignment


def mark_no_show(*, assignment: Assignment, by: User | None, now: dt.datetime | None = None) -> Assignment:
    """A coordinator records that the volunteer did not come (once the shift has started)."""
    now = _now(now)
    with transaction.atomic():
        assignment = _locked(assignment)
        _require_counting(assignment)
        if assignment.check_in_at is not None:
            raise DomainError(_("This volunteer checked in, so they are not a no-show."), "noshow_checked_in")
        if assignment.no_show:
            raise DomainError(_("Already marked as a no-show."), "noshow_already")
        if now < assignment.shift.start:
            raise DomainError(_("The shift has not started yet."), "noshow_too_early")
        before = snapshot(assignment, ATTENDANCE_FIELDS)
        assignment.no_show = True
        assignment.save(update_fields=["no_show"])
        _audit(assignment, by=by, action="assignment.no_show", before=before)
    return assignment


# --- Scanning the poster ------------------------------------------------------------------------


def current_assignment(
    *, volunteer: Volunteer, point: ServicePoint, now: dt.datetime | None = None
) -> Assignment | None:
    """The volunteer's assignment at ``point`` that a scan now refers to, or None.

    In order: one they are checked in to and have not left (until the shift's end + AUTO_CLOSE_AFTER),
    then one whose check-in window is open (60 min before the start until the end), then one they
    already finished within that window (so the page can say so).
    """
    now = _now(now)
    candidates = list(
        _attendance_assignments()
        .filter(
            volunteer=volunteer,
            shift__point=point,
            shift__period__status=RosterPeriod.Status.PUBLISHED,
            status__in=HOLDING,
            shift__start__lte=now + CHECKIN_OPENS_BEFORE,
            shift__end__gt=now - AUTO_CLOSE_AFTER,
        )
        .order_by("shift__start")
    )
    for assignment in candidates:
        if assignment.check_in_at and not assignment.check_out_at:
            return assignment
    in_window = [a for a in candidates if a.shift.start - CHECKIN_OPENS_BEFORE <= now < a.shift.end]
    for assignment in in_window:
        if assignment.check_in_at is None:
            return assignment
    return in_window[0] if in_window else None


def _scanned(volunteer: Volunteer, point: ServicePoint) -> Assignment:
    assignment = current_assignment(volunteer=volunteer, point=point)
    if assignment is None:
        raise DomainError(
            _("You have no shift at %(point)s right now.") % {"point": point.name}, "checkin_no_shift"
        )
    return assignment


def check_in_at_point(*, volunteer: Volunteer, point: ServicePoint, by: User | None) -> Assignment:
    """The volunteer scanned the poster and pressed “Check in”."""
    return check_in(assignment=_scanned(volunteer, point), by=by)


def check_out_at_point(*, volunteer: Volunteer, point: ServicePoint, by: User | None) -> Assignment:
    """The volunteer scanned the poster and pressed “Check out”."""
    return check_out(assignment=_scanned(volunteer, point), by=by)


# --- The nightly sweep ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepResult:
    no_shows: int
    closed: int


def mark_no_shows(*, now: dt.datetime | None = None, by: User | None = None) -> SweepResult:
    """Holding assignments of published periods whose shift ended without a check-in become no-shows;
    check-ins left open ``AUTO_CLOSE_AFTER`` past the end are closed at the shift's end.

    Idempotent, and safe to run twice at once: each row changes by a conditional UPDATE and is audited
    only when that UPDATE changed it.
    """
    now = _now(now)
    base = _attendance_assignments().filter(
        shift__period__status=RosterPeriod.Status.PUBLISHED, status__in=HOLDING
    )
    no_shows = closed = 0
    missing = base.filter(shift__end__lte=now, check_in_at__isnull=True, no_show=False)
    for assignment in missing.order_by("pk"):
        with transaction.atomic():
            changed = Assignment.objects.filter(
                pk=assignment.pk, check_in_at__isnull=True, no_show=False
            ).update(no_show=True)
            if changed:
                before = snapshot(assignment, ATTENDANCE_FIELDS)
                assignment.no_show = True
                _audit(assignment, by=by, action="assignment.no_show", before=before)
                no_shows += 1
    open_ones = base.filter(
        shift__end__lte=now - AUTO_CLOSE_AFTER, check_in_at__isnull=False, check_out_at__isnull=True
    )
    for assignment in open_ones.order_by("pk"):
        assert assignment.check_in_at is not None
        close_at = max(assignment.shift.end, assignment.check_in_at + dt.timedelta(minutes=1))
        with transaction.atomic():
            changed = Assignment.objects.filter(pk=assignment.pk, check_out_at__isnull=True).update(
                check_out_at=close_at
            )
            if changed:
                before = snapshot(assignment, ATTENDANCE_FIELDS)
                assignment.check_out_at = close_at
                _audit(assignment, by=by, action="assignment.auto_check_out", before=before)
                closed += 1
    return SweepResult(no_shows=no_shows, closed=closed)


# --- The QR poster ------------------------------------------------------------------------------


def rotate_checkin_token(*, point: ServicePoint, by: User | None) -> ServicePoint:
    """A new code for the poster: the old posters stop working at once."""
    with transaction.atomic():
        point = ServicePoint.objects.select_for_update().select_related("unit").get(pk=point.pk)
        point.checkin_token = ServicePoint._meta.get_field("checkin_token").get_default()
        point.save(update_fields=["checkin_token"])
        # The token itself is a secret: the audit says that it changed, not what it is.
        log_action(actor=by, action="point.rotate_checkin_token", obj=point, unit=point.unit)
    return point


def poster_pdf(*, point: ServicePoint, url: str) -> bytes:
    return render_qr_poster(
        title="Quét mã để điểm danh",
        lines=[point.name, "Đội hình thanh niên xung kích hỗ trợ dịch vụ công trực tuyến"],
        qr_png=qr_png(url),
        footer=url,
    )


def _local_hm(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%H:%M")
