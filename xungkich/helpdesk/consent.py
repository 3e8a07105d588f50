"""Consent texts, versioned. A record stores the version the person agreed to; a changed wording gets
a new version id (the old ones stay here, so what someone agreed to can always be shown)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise
from django.utils.translation import gettext_lazy as _

FOLLOWUP_PURPOSE = "followup"
TRACKING_PURPOSE = "tracking"

CONSENT_TEXTS: dict[str, _StrPromise] = {
    "followup-2026-1": _(
        "I agree that the Youth Union volunteers keep my phone number to call me once, about a month "
        "from now, to ask whether I have used an online public service on my own since. The number is "
        "deleted after that call, and at the latest after the retention period. I can ask for it to be "
        "shown or deleted at any time."
    ),
    "tracking-2026-1": _(
        "I agree that the volunteers keep the code of my dossier and the expected result date, to check "
        "with me that the result has really arrived. They are deleted on request."
    ),
}

CURRENT = {FOLLOWUP_PURPOSE: "followup-2026-1", TRACKING_PURPOSE: "tracking-2026-1"}


def current_text(purpose: str) -> _StrPromise:
    return CONSENT_TEXTS[CURRENT[purpose]]
