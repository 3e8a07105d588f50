"""Where the "citizens helped" and "accounts created" figures of a campaign come from.

``help_figures(activity_ids)`` sums the counts typed on the activities themselves (banners, parades,
sessions without the desk form) and adds the help sessions recorded at those activities
(``xungkich.helpdesk.services.count_help_for_activities``). A mobile desk or door-to-door activity
whose help is recorded session by session should leave its own "citizens helped" at 0, or the same
people are counted twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Sum

KEYS = ("citizens_helped", "accounts_created")


def help_figures(activity_ids: Sequence[int]) -> dict[str, int]:
    # Imported here: the helpdesk app imports the campaigns models for its activity link.
    from xungkich.campaigns.models import Activity
    from xungkich.helpdesk.services import count_help_for_activities

    ids = list(activity_ids)
    sums = Activity.objects.filter(pk__in=ids).aggregate(
        citizens_helped=Sum("citizens_helped"), accounts_created=Sum("accounts_created")
    )
    figures = {key: int(sums[key] or 0) for key in KEYS}
    if ids:
        recorded = count_help_for_activities(ids)
        for key in KEYS:
            figures[key] += recorded[key]
    return figures
