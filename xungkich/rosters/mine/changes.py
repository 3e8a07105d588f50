"""Volunteers' own changes to a published roster: confirm, can't come, offer for swap, take a place.

Every write locks the shift row first (then the assignment), checks the hard rules of
``rules.assignment_problems`` inside the same transaction and writes an audit entry, so two people
never take the last place at once: the second one waits for the lock, then sees the place gone.
Coordinators' edits that change who holds a place should lock the shift row the same way.

Statuses: PLANNED → CONFIRMED; PLANNED/CONFIRMED → OFFERED (still holds the place until someone
takes it over) → CONFIRMED again when the offerer keeps it; any holding status → CANT_COME (frees
the place; "dropping" a shift is the same, with a reason).

Error codes (``DomainError.code``): not_published, past_shift, not_holding, already_cant_come,
already_offered, reason_required, reason_too_long, full, own_offer, offer_gone, not_on_shift,
rule_<code> for every other hard rule (rule_unreachable, rule_unavailable, rule_week_cap, …).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xungkich.core import changes
from xungkich.core.audit import log_action
from xungkich.core.days import local_day
from xungkich.core.errors import DomainError
from xungkich.lib.vietnamese import clean_text
from xungkich.people.models import User, Volunteer
from xungkich.places.models import ServicePoint
from xungkich.rosters import notify, rules
from xungkich.rosters.mine.availability import reachable_points
from xungkich.rosters.models import Assignment, RosterPeriod, RosterProfile, Shift, Unavailability

HOLDING = rules.HOLDING
MAX_REASON = 255
STATE_FIELDS = ("status", "source", "reason", "confirmed_at")


# --- Locks and checks -------------------------------------------------------------------------


def _lock_shift(pk: int) -> Shift:
    shift = (
        Shift.objects.select_for_update(of=("self",))
        .select_related("period", "point__unit", "pattern")
        .filter(pk=pk)
        .first()
    )
    if shift is None:
        raise DomainError(_("This shift no longer exists."), "not_found")
    return shift


def _lock_assignment(assignment: Assignment) -> Assignment:
    """Lock the shift row, then the assignment (always in this order: no deadlocks with takers)."""
    shift = _lock_shift(assignment.shift_id)
    locked = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("volunteer__unit", "volunteer__user")
        .filter(pk=assignment.pk)
        .first()
    )
    if locked is None:
        raise DomainError(_("This shift is no longer yours."), "not_found")
    locked.shift = shift
    return locked


def _check_open_for_changes(shift: Shift, now: dt.datetime) -> None:
    if shift.period.status != RosterPeriod.Status.PUBLISHED:
        raise DomainError(_("This roster is not published."), "not_published")
    if shift.start <= now:
        raise DomainError(_("This shift has already started."), "past_shift")


def _clean_reason(reason: str, *, required: bool) -> str:
    reason = clean_text(reason or "")
    if required and not reason:
        raise DomainError(_("Please give a reason."), "reason_required")
    if len(reason) > MAX_REASON:
        raise DomainError(
            _("The reason can be at most %(n)s characters long.") % {"n": MAX_REASON}, "reason_too_long"
        )
    return reason


def _state(assignment: Assignment) -> dict[str, object]:
    return {
        "status": assignment.status,
        "source": assignment.source,
        "reason": assignment.reason,
        "confirmed_at": assignment.confirmed_at.isoformat() if assignment.confirmed_at else None,
        "volunteer": assignment.volunteer_id,
        "shift": assignment.shift_id,
    }


def _for_the_taker(problem: rules.Problem, *, volunteer: Volunteer, shift: Shift) -> str:
    """The rule's message said to the volunteer who tries to take the shift ("you", not "this volunteer")."""
    code = problem.code
    if code == "week_cap":
        profile = RosterProfile.objects.filter(volunteer=volunteer).first()
        cap = profile.max_shifts_per_week if profile else RosterProfile().max_shifts_per_week
        return _("You have reached your limit of %(n)s shifts that week.") % {"n": cap}
    if code == "rest":
        return _("You need at least %(hours)s hours of rest between shifts.") % {
            "hours": shift.period.min_rest_hours
        }
    messages = {
        "inactive": _("Your volunteer profile is marked inactive: ask your unit leader."),
        "unreachable": _("This service point is not one of the points you can reach."),
        "unavailable": _("You said you are not available at that time."),
        "already_assigned": _("You are already on this shift."),
        "full": _("Sorry, this shift has just been filled."),
        "overlap": _("You are on another shift at that time."),
        "day_limit": _("You already have as many shifts that day as this roster allows."),
        "trainee_alone": _("A trainee can only take a shift with an experienced volunteer on it."),
    }
    return str(messages.get(code, problem.message))


def _raise_problems(problems: Sequence[rules.Problem], *, volunteer: Volunteer, shift: Shift) -> None:
    codes = [problem.code for problem in problems]
    if "already_assigned" in codes:
        code = "rule_already_assigned"
        problems = [problem for problem in problems if problem.code == "already_assigned"]
    elif "full" in codes:
        code = "full"
    else:
        code = f"rule_{codes[0]}"
    message = " ".join(_for_the_taker(problem, volunteer=volunteer, shift=shift) for problem in problems)
    raise DomainError(message, code, details=codes)


def _save(assignment: Assignment, by: User | None, action: str, before: dict[str, object], via: str) -> None:
    assignment.save(update_fields=list(STATE_FIELDS))
    after = _state(assignment)
    after["via"] = via
    log_action(
        actor=by, action=action, obj=assignment, unit=assignment.volunteer.unit, before=before, after=after
    )


# --- The assignment holder's changes ----------------------------------------------------------


def confirm(*, by: User | None, assignment: Assignment, via: str = "web") -> Assignment:
    """I will come. Also keeps a shift that was offered for swap. Confirming twice is harmless."""
    now = timezone.now()
    with transaction.atomic():
        assignment = _lock_assignment(assignment)
        _check_open_for_changes(assignment.shift, now)
        if assignment.status == Assignment.Status.CONFIRMED:
            return assignment
        if assignment.status == Assignment.Status.CANT_COME:
            raise DomainError(
                _("You already said you can't come; your place may have been taken."), "not_holding"
            )
        before = _state(assignment)
        assignment.status = Assignment.Status.CONFIRMED
        assignment.confirmed_at = now
        assignment.reason = ""
        _save(assignment, by, "assignment.confirm", before, via)
    return assignment


def cant_come(*, by: User | None, assignment: Assignment, reason: str, via: str = "web") -> Assignment:
    """I can't come (or: I drop this shift), with a reason. Frees the place for others."""
    reason = _clean_reason(reason, required=True)
    now = timezone.now()
    with transaction.atomic():
        assignment = _lock_assignment(assignment)
        _check_open_for_changes(assignment.shift, now)
        if assignment.status == Assignment.Status.CANT_COME:
            raise DomainError(_("You already said you can't come."), "already_cant_come")
        before = _state(assignment)
        assignment.status = Assignment.Status.CANT_COME
        assignment.reason = reason
        _save(assignment, by, "assignment.cant_come", before, via)
    return assignment


drop_shift = cant_come


def offer_for_swap(*, by: User | None, assignment: Assignment, reason: str = "") -> Assignment:
    """Offer my shift to others. I keep the place (and the duty) until someone takes it over."""
    reason = _clean_reason(reason, required=False)
    now = timezone.now()
    with transaction.atomic():
        assignment = _lock_assignment(assignment)
        _check_open_for_changes(assignment.shift, now)
        if assignment.status == Assignment.Status.OFFERED:
            raise DomainError(_("You already offered this shift."), "already_offered")
        if assignment.status == Assignment.Status.CANT_COME:
            raise DomainError(_("You already said you can't come."), "not_holding")
        before = _state(assignment)
        assignment.status = Assignment.Status.OFFERED
        assignment.reason = reason
        _save(assignment, by, "assignment.offer", before, "web")
    return assignment


# --- Taking places ----------------------------------------------------------------------------


def _swap_problems(*, shift: Shift, leaving: Assignment, joining: Volunteer) -> list[rules.Problem]:
    """Rules of the whole shift that a swap could break although the taker alone is fine: a trainee
    left without an experienced volunteer, a skill the shift needs going missing."""
    others = list(
        Assignment.objects.filter(shift=shift, status__in=HOLDING)
        .exclude(pk=leaving.pk)
        .exclude(volunteer=joining)
        .prefetch_related("volunteer__skills")
    )
    skills_of_others = [{skill.code for skill in a.volunteer.skills.all()} for a in others]
    leaving_skills = set(leaving.volunteer.skills.values_list("code", flat=True))
    joining_skills = set(joining.skills.values_list("code", flat=True))
    problems: list[rules.Problem] = []

    def is_trainee(skills: set[str]) -> bool:
        return rules.TRAINEE in skills and rules.SENIOR not in skills

    trainees_stay = any(is_trainee(skills) for skills in skills_of_others)
    seniors_after = sum(rules.SENIOR in skills for skills in skills_of_others) + (
        rules.SENIOR in joining_skills
    )
    if trainees_stay and seniors_after == 0:
        problems.append(
            rules.Problem(
                "trainee_alone", _("A trainee on this shift would be left without an experienced volunteer.")
            )
        )
    for code, need in (shift.skill_needs or {}).items():
        have_others = sum(code in skills for skills in skills_of_others)
        before = have_others + (code in leaving_skills)
        after = have_others + (code in joining_skills)
        if after < int(need) and after < before:
            problems.append(
                rules.Problem("skill_needs", _("This shift needs someone with the skill you would replace."))
            )
            break
    return problems


def _place(
    *, by: User | None, volunteer: Volunteer, shift: Shift, now: dt.datetime, note: dict[str, object]
) -> Assignment:
    existing = (
        Assignment.objects.select_for_update(of=("self",)).filter(shift=shift, volunteer=volunteer).first()
    )
    if existing is not None:  # the taker's own earlier "can't come" on this shift
        before: dict[str, object] | None = _state(existing)
        assignment = existing
        assignment.status = Assignment.Status.CONFIRMED
        assignment.source = Assignment.Source.TAKEN
        assignment.reason = ""
        assignment.confirmed_at = now
        assignment.reminded_at = None
        assignment.save(update_fields=[*STATE_FIELDS, "reminded_at"])
    else:
        before = None
        assignment = Assignment.objects.create(
            shift=shift,
            volunteer=volunteer,
            status=Assignment.Status.CONFIRMED,
            source=Assignment.Source.TAKEN,
            confirmed_at=now,
        )
    after = _state(assignment) | note
    changes.announce_one(source=changes.ROSTER, day=local_day(shift.start), point_id=shift.point_id)
    log_action(
        actor=by, action="assignment.take", obj=assignment, unit=volunteer.unit, before=before, after=after
    )
    return assignment


def _take_free_place(*, by: User | None, volunteer: Volunteer, shift: Shift, now: dt.datetime) -> Assignment:
    problems = rules.assignment_problems(volunteer=volunteer, shift=shift)
    if problems:
        _raise_problems(problems, volunteer=volunteer, shift=shift)
    return _place(by=by, volunteer=volunteer, shift=shift, now=now, note={"via": "open_place"})


def _take_over(
    *, by: User | None, volunteer: Volunteer, shift: Shift, offered: Assignment, now: dt.datetime
) -> Assignment:
    locked = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("volunteer__unit", "volunteer__user")
        .filter(pk=offered.pk)
        .first()
    )
    if locked is None or locked.shift_id != shift.pk or locked.status != Assignment.Status.OFFERED:
        raise DomainError(_("This shift is no longer offered."), "offer_gone")
    offered = locked
    if offered.volunteer_id == volunteer.pk:
        raise DomainError(_("This is your own offer."), "own_offer")
    problems = rules.assignment_problems(volunteer=volunteer, shift=shift, ignore=offered)
    problems += _swap_problems(shift=shift, leaving=offered, joining=volunteer)
    if problems:
        _raise_problems(problems, volunteer=volunteer, shift=shift)
    before = _state(offered)
    offered.status = Assignment.Status.CANT_COME
    reason = _("Swapped: taken over by %(name)s.") % {"name": volunteer.full_name}
    offered.reason = clean_text(reason)[:MAX_REASON]
    _save(offered, by, "assignment.swap", before, "swap")
    taken = _place(
        by=by, volunteer=volunteer, shift=shift, now=now, note={"via": "swap", "replaces": offered.pk}
    )
    # Tell the offerer once the swap is committed (a message that fails never undoes the swap).
    transaction.on_commit(lambda: notify.offer_taken(offered=offered, taker=volunteer))
    return taken


def take_open_place(*, by: User | None, volunteer: Volunteer, shift: Shift) -> Assignment:
    """Take a free place on a published shift (source TAKEN, confirmed)."""
    now = timezone.now()
    with transaction.atomic():
        shift = _lock_shift(shift.pk)
        _check_open_for_changes(shift, now)
        return _take_free_place(by=by, volunteer=volunteer, shift=shift, now=now)


def take_offered(*, by: User | None, volunteer: Volunteer, offered: Assignment) -> Assignment:
    """Take over a shift someone offered for swap: the taker replaces the offerer in one transaction."""
    now = timezone.now()
    with transaction.atomic():
        shift = _lock_shift(offered.shift_id)
        _check_open_for_changes(shift, now)
        return _take_over(by=by, volunteer=volunteer, shift=shift, offered=offered, now=now)


def take_shift(*, by: User | None, volunteer: Volunteer, shift: Shift) -> Assignment:
    """The "Take" button: a free place if there is one, else the oldest offer by someone else."""
    now = timezone.now()
    with transaction.atomic():
        shift = _lock_shift(shift.pk)
        _check_open_for_changes(shift, now)
        holding = Assignment.objects.filter(shift=shift, status__in=HOLDING)
        if holding.count() < shift.demand or holding.filter(volunteer=volunteer).exists():
            return _take_free_place(by=by, volunteer=volunteer, shift=shift, now=now)
        offered = (
            holding.filter(status=Assignment.Status.OFFERED)
            .exclude(volunteer=volunteer)
            .order_by("pk")
            .first()
        )
        if offered is None:
            return _take_free_place(by=by, volunteer=volunteer, shift=shift, now=now)
        return _take_over(by=by, volunteer=volunteer, shift=shift, offered=offered, now=now)


# --- Selectors ----------------------------------------------------------------------------------


def my_assignments(volunteer: Volunteer) -> QuerySet[Assignment]:
    """The volunteer's assignments on published rosters, with what the cards show."""
    return Assignment.objects.filter(
        volunteer=volunteer, shift__period__status=RosterPeriod.Status.PUBLISHED
    ).select_related("shift__point", "shift__pattern", "shift__period")


def reach_of(volunteer: Volunteer) -> QuerySet[ServicePoint, int]:
    """Service point ids the volunteer can serve at (as ``rules.can_reach`` decides)."""
    profile = RosterProfile.objects.filter(volunteer=volunteer).first()
    if profile is not None:
        listed = profile.points.filter(is_active=True)
        if listed.exists():
            return listed.values_list("pk", flat=True)
    return reachable_points(volunteer).values_list("pk", flat=True)


def open_shifts(volunteer: Volunteer, *, days: int = 60, limit: int = 200) -> list[Shift]:
    """Upcoming published shifts in the volunteer's reach with a free place or an offer by someone
    else, which the volunteer does not hold yet, leaving out times they said they are away or
    already serve elsewhere. Each has ``free`` places and ``offers`` (list)."""
    now = timezone.now()
    holding = Q(assignments__status__in=HOLDING)
    shifts = (
        Shift.objects.filter(
            period__status=RosterPeriod.Status.PUBLISHED,
            start__gt=now,
            start__lt=now + dt.timedelta(days=days),
            point__in=reach_of(volunteer),
        )
        .annotate(
            taken=Count("assignments", filter=holding),
            mine=Count("assignments", filter=holding & Q(assignments__volunteer=volunteer)),
            offered=Count(
                "assignments",
                filter=Q(assignments__status=Assignment.Status.OFFERED)
                & ~Q(assignments__volunteer=volunteer),
            ),
        )
        .filter(mine=0)
        .filter(Q(taken__lt=F("demand")) | Q(offered__gt=0))
        .select_related("point", "pattern")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(status=Assignment.Status.OFFERED)
                .exclude(volunteer=volunteer)
                .select_related("volunteer")
                .order_by("pk"),
                to_attr="offers",
            )
        )
        .order_by("start", "point__name")[:limit]
    )
    away = list(Unavailability.objects.filter(volunteer=volunteer))
    busy = list(
        Assignment.objects.filter(volunteer=volunteer, status__in=HOLDING, shift__end__gt=now).values_list(
            "shift__start", "shift__end"
        )
    )
    result: list[Shift] = []
    for shift in shifts:
        if rules.unavailable_during(away, shift) or any(
            start < shift.end and shift.start < end for start, end in busy
        ):
            continue
        shift.free = max(shift.demand - shift.taken, 0)  # type: ignore[attr-defined]
        result.append(shift)
    return result
