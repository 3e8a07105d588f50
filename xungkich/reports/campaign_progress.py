"""A campaign's progress against its targets, and where its "citizens helped" and "accounts created"
come from: the one definition that the campaign page (views, API) and the reports' campaign source
(``reports.sources``) share.

It combines campaign activities with the help sessions recorded at them, so it sits above both
apps: the help desk links its sessions to activities (it imports campaigns), and campaigns import
neither the help desk nor the reports; the campaign pages read their progress from here.

- An activity's citizens helped is the **larger** of the number typed on it and the help sessions
  recorded at it (``HelpSession.activity``): a leader who types "45 helped" at a mobile desk where
  5 people were also recorded session by session helped 45 people, not 50. What the activity adds
  to the help sessions is therefore ``max(0, typed - recorded)`` (``activity_extras``).
- Accounts created: the same, with the sessions recorded at the activity whose account help got done.
- Banners and panels placed: the materials of activities of type banners/slogans and panels only
  (``campaigns.models.BANNER_KINDS``); leaflets handed out door to door or online posts are not banners.

``help_figures(activity_ids)`` is a campaign's total: the sessions recorded at its activities plus
what the activities add. The reports count every help session plus what the activities add, so the
same records give the same numbers on the campaign page and in the reports.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from xungkich.campaigns.charts import Bar
from xungkich.campaigns.models import BANNER_KINDS, Activity, Campaign, Registration
from xungkich.helpdesk.services import count_help_by_activity

KEYS = ("citizens_helped", "accounts_created")


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


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int
    target: int

    @property
    def percent(self) -> int:
        return Bar(self.label, self.value, self.target).percent


@dataclass(frozen=True)
class Progress:
    figures: list[Figure]
    people_reached: int
    activities: int
    registrations: int
    checked_in: int

    def bars(self) -> list[Bar]:
        return [Bar(f.label, f.value, f.target) for f in self.figures]


def campaign_progress(campaign: Campaign) -> Progress:
    """Figures against targets: activities, event registrations and check-ins, and help sessions.

    "Citizens helped" and "accounts created" come from ``help_figures`` (per activity, the
    larger of its own count and the help sessions linked to it: the reports' definition too).
    """
    activities = Activity.objects.filter(campaign=campaign)
    totals = activities.aggregate(
        count=Count("pk"),
        participants=Sum("participants_count"),
        reached=Sum("people_reached"),
        materials=Sum("materials_count", filter=Q(kind__in=BANNER_KINDS)),
    )
    ids = list(activities.values_list("pk", flat=True))
    helped = help_figures(ids)
    regs = Registration.objects.filter(event__campaign=campaign).aggregate(
        registered=Count("pk", filter=~Q(status=Registration.Status.CANCELLED)),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    checked_in = int(regs["checked_in"] or 0)
    figures = [
        Figure(
            "citizens_helped",
            _("Citizens helped"),
            helped["citizens_helped"],
            campaign.target_citizens_helped,
        ),
        Figure(
            "accounts_created",
            _("Accounts created"),
            helped["accounts_created"],
            campaign.target_accounts_created,
        ),
        Figure(
            "materials",
            _("Banners and panels placed"),
            int(totals["materials"] or 0),
            campaign.target_materials,
        ),
        Figure(
            "participants",
            _("Participants"),
            int(totals["participants"] or 0) + checked_in,
            campaign.target_participants,
        ),
    ]
    return Progress(
        figures=figures,
        people_reached=int(totals["reached"] or 0),
        activities=int(totals["count"] or 0),
        registrations=int(regs["registered"] or 0),
        checked_in=checked_in,
    )
