"""Background work of the volunteer import: reading a large list (``imports.queue.start`` queues it)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django_tasks import task

from xungkich.people.imports import jobs


@task()
def read_upload(stored: str, filename: str, language: str) -> str:
    """Read the upload in the uploader's language (the problems found are shown to them)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        jobs.read(stored=stored, filename=filename)
    return jobs.progress(stored)["state"]
