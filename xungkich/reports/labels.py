"""What people read for metric names and breakdown keys (translated at call time)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from xungkich.campaigns.models import Activity
from xungkich.helpdesk.models import AgeBand, Channel, FailureReason, Gender, Outcome, PerformedBy
from xungkich.people.models import AdminUnit
from xungkich.reports import figures as f
from xungkich.tickets.models import Need


def metric_labels() -> dict[str, str]:
    """Names of the defined figures (``figures.DEFINITIONS``) first, then of the stored metrics."""
    return {
        f.CITIZENS_HELPED: _("Citizens helped"),
        f.ACCOUNTS_TOTAL: _("Accounts created"),
        f.BANNERS_PANELS: _("Banners and panels placed"),
        f.SESSIONS: _("Help sessions recorded"),
        f.ACCOUNTS_CREATED: _("Accounts created in help sessions"),
        f.ONLINE_SUBMISSIONS: _("Procedures submitted online"),
        f.APPS_INSTALLED: _("Apps installed"),
        f.FAILED: _("Could not be done"),
        f.FIRST_ONLINE: _("First-time online users"),
        f.TIMED: _("Sessions with a duration"),
        f.MINUTES: _("Minutes of help"),
        f.FOLLOWUPS_ANSWERED: _("Follow-up calls answered"),
        f.FOLLOWUPS_ALONE: _("Did an online procedure alone since"),
        f.RATINGS: _("Ratings"),
        f.RATING_POINTS: _("Rating points"),
        f.ACTIVITIES: _("Campaign activities"),
        f.PEOPLE_REACHED: _("People reached by campaigns"),
        f.PARTICIPANTS: _("Young people taking part"),
        f.MATERIALS: _("Banners, panels and leaflets"),
        f.CAMPAIGN_HELPED: _("Citizens helped at campaign activities, beyond their help sessions"),
        f.CAMPAIGN_ACCOUNTS: _("Accounts created at campaign activities, beyond their help sessions"),
        f.EVENTS: _("Events"),
        f.REGISTRATIONS: _("Event registrations"),
        f.EVENT_CHECK_INS: _("Event check-ins"),
        f.SHIFTS: _("Shifts"),
        f.PLACES: _("Places asked for"),
        f.SHIFTS_COVERED: _("Shifts fully staffed"),
        f.CHECK_INS: _("Volunteers on duty (check-ins)"),
        f.NO_SHOWS: _("No-shows"),
        f.LATE: _("Late arrivals"),
        f.VOLUNTEER_QUARTERS: _("Volunteer hours"),
    }


def breakdown_titles() -> dict[str, str]:
    return {
        f.BY_NEED: _("By need"),
        f.BY_OUTCOME: _("Outcomes"),
        f.BY_FAILURE: _("Why it could not be done"),
        f.BY_AGE: _("By age band"),
        f.BY_GENDER: _("By gender"),
        f.BY_WARD: _("By ward of residence"),
        f.BY_CHANNEL: _("By portal or app"),
        f.BY_PROCEDURE: _("Procedures submitted online"),
        f.BY_PERFORMER: _("Who did the steps"),
        f.BY_SCORE: _("Ratings by score"),
        f.BY_ACTIVITY_KIND: _("Campaign activities by type"),
    }


def key_labels(metric: str, keys: Iterable[str]) -> dict[str, str]:
    """Readable names of breakdown keys (one query for wards; none otherwise)."""
    keys = list(keys)
    choices: dict[str, type] = {
        f.BY_NEED: Need,
        f.BY_OUTCOME: Outcome,
        f.BY_FAILURE: FailureReason,
        f.BY_AGE: AgeBand,
        f.BY_GENDER: Gender,
        f.BY_CHANNEL: Channel,
        f.BY_PERFORMER: PerformedBy,
        f.BY_ACTIVITY_KIND: Activity.Kind,
    }
    result = {key: key for key in keys}
    if metric in choices:
        names = {str(value): str(label) for value, label in choices[metric].choices}  # type: ignore[attr-defined]
        result = {key: names.get(key, key) for key in keys}
    elif metric == f.BY_WARD:
        names = dict(AdminUnit.objects.filter(code__in=keys).values_list("code", "name"))
        result = {key: names.get(key, key) for key in keys}
    elif metric == f.BY_SCORE:
        result = {key: _("%(score)s of 5") % {"score": key} for key in keys}
    if f.UNKNOWN in result:
        result[f.UNKNOWN] = _("Not recorded")
    return result


def labelled(metric: str, items: list[tuple[str, int]]) -> list[tuple[str, int]]:
    names = key_labels(metric, [key for key, _value in items])
    return [(names[key], value) for key, value in items]
