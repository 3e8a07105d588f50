"""Where the "citizens helped" and "accounts created" figures of a campaign come from.

``help_figures(activity_ids)`` sums the counts recorded on the activities themselves and, when the
helpdesk app provides it, adds the help sessions linked to those activities:

    xungkich.helpdesk.services.count_help_for_activities(activity_ids: list[int]) -> dict
        returning {"citizens_helped": int, "accounts_created": int}

Until that function exists the activity counts alone are used. Linking help sessions is therefore one
change in the helpdesk app (a nullable ``HelpSession.activity`` foreign key and that function); nothing
here needs to change.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence

from django.db.models import Sum

HELPDESK_MODULE = "xungkich.helpdesk.services"
HELPDESK_FUNCTION = "count_help_for_activities"
KEYS = ("citizens_helped", "accounts_created")


def helpdesk_provider() -> Callable[[list[int]], dict[str, int]] | None:
    try:
        module = importlib.import_module(HELPDESK_MODULE)
    except ImportError:
        return None
    provider = getattr(module, HELPDESK_FUNCTION, None)
    return provider if callable(provider) else None


def help_figures(activity_ids: Sequence[int]) -> dict[str, int]:
    from xungkich.campaigns.models import Activity

    ids = list(activity_ids)
    sums = Activity.objects.filter(pk__in=ids).aggregate(
        citizens_helped=Sum("citizens_helped"), accounts_created=Sum("accounts_created")
    )
    figures = {key: int(sums[key] or 0) for key in KEYS}
    provider = helpdesk_provider()
    if provider is not None and ids:
        extra = provider(ids)
        for key in KEYS:
            figures[key] += int(extra.get(key, 0) or 0)
    return figures
