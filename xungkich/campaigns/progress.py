"""Where the "citizens helped", "accounts created" and "banners and panels" figures of campaign work
come from: the one definition that the campaign page and the reports (``reports.sources``) share.

- An activity's citizens helped is the **larger** of the number typed on it and the help sessions
  recorded at it (``HelpSession.activity``): a leader who types "45 helped" at a mobile desk where
  5 people were also recorded session by session helped 45 people, not 50. What the activity adds
  to the help sessions is therefore ``max(0, typed - recorded)`` (``activity_extras``).
- Accounts created: the same, with the sessions recorded at the activity whose account help got done.
- Banners and panels placed: the materials of activities of type banners/slogans and panels only
  (``BANNER_KINDS``); leaflets handed out door to door or online posts are not banners.

``help_figures(activity_ids)`` is a campaign's total: the sessions recorded at its activities plus
what the activities add. The reports count every help session plus what the activities add, so the
same records give the same numbers on the campaign page and in the reports.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from django.db.models import QuerySet

KEYS = ("citizens_helped", "accounts_created")
BANNER_KINDS = ("banners", "panels")  # Activity.Kind.BANNERS, Activity.Kind.PANELS


class Extra(NamedTuple):
    """What one activity adds to the help sessions (never negative)."""

    activity_id: int
    date: Any  # dt.date
    unit_id: int  # the campaign's organising unit
    citizens_helped: int
    accounts_created: int


def activity_extras(
    activities: QuerySet[Any], *, recorded: Mapping[int, tuple[int, int]] | None = None
) -> Iterator[Extra]:
    """Per activity of ``activities`` (an ``Activity`` queryset): what it adds beyond its sessions.

    Two queries, whatever the number of activities: the typed counts, and the sessions by activity
    (``recorded``, when the caller has them already: one query).
    """
    from xungkich.helpdesk.services import count_help_by_activity

    typed = list(
        activities.exclude(citizens_helped=0, accounts_created=0)
        .order_by()
        .values_list("pk", "date", "campaign__unit_id", "citizens_helped", "accounts_created")
    )
    if not typed:
        return
    if recorded is None:
        recorded = count_help_by_activity([row[0] for row in typed])
    for pk, date, unit_id, helped, accounts in typed:
        sessions, done = recorded.get(pk, (0, 0))
        extra = Extra(pk, date, unit_id, max(0, helped - sessions), max(0, accounts - done))
        if extra.citizens_helped or extra.accounts_created:
            yield extra


def help_figures(activity_ids: Sequence[int]) -> dict[str, int]:
    """A campaign's citizens helped and accounts created: sessions at its activities + extras."""
    # Imported here: the helpdesk app imports the campaigns models for its activity link.
    from xungkich.campaigns.models import Activity
    from xungkich.helpdesk.services import count_help_by_activity

    ids = list(activity_ids)
    if not ids:
        return dict.fromkeys(KEYS, 0)
    recorded = count_help_by_activity(ids)
    figures = {
        "citizens_helped": sum(sessions for sessions, _done in recorded.values()),
        "accounts_created": sum(done for _sessions, done in recorded.values()),
    }
    for extra in activity_extras(Activity.objects.filter(pk__in=ids), recorded=recorded):
        figures["citizens_helped"] += extra.citizens_helped
        figures["accounts_created"] += extra.accounts_created
    return {key: int(figures[key]) for key in KEYS}
