"""Background work of the volunteer import: reading a large list (``jobs.start`` queues it)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django_tasks import task


@task()
def read_upload(stored: str, filename: str, language: str) -> str:
    """Read the upload in the uploader's language (the problems found are shown to them)."""
    from xungkich.people.imports import jobs

    with translation.override(language or settings.LANGUAGE_CODE):
        jobs.read(stored=stored, filename=filename)
    return jobs.progress(stored)["state"]
