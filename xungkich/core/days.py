"""The project's local time zone, and the local day of a moment.

Shifts, events and the figures count by the local day in ``settings.TIME_ZONE`` (Vietnam), whatever
zone a request may have activated; this is the one place that says so, below the apps that need it.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_day(moment: dt.datetime) -> dt.date:
    """The day a shift or an event counts on in the figures (its local day, as the sources say)."""
    return timezone.localtime(moment, local_tz()).date()
