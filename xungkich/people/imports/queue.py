"""Queueing the reading of a large volunteer list (``tasks.read_upload`` reads it with ``jobs``).

Apart from ``jobs`` so that the task imports the work and the work never imports the task back.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from xungkich.people import tasks
from xungkich.people.imports import jobs


def start(*, stored: str, filename: str, language: str) -> None:
    """Queue the reading of the upload ``stored`` (with the immediate backend it is done here)."""
    jobs.set_state(stored, jobs.QUEUED, 0)
    try:
        tasks.read_upload.enqueue(stored, filename, language)
    except Exception:  # the queue is down: say so instead of waiting forever
        jobs.set_state(stored, jobs.FAILED, 0, _("The file could not be read just now. Try again later."))
