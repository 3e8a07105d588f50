"""Background work of the volunteer import: reading a large list (``import_jobs.start`` queues it)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django_tasks import task


@task()
def read_upload(stored: str, filename: str, language: str) -> str:
    """Read the upload in the uploader's language (the problems found are shown to them)."""
    from xungkich.people import import_jobs

    with translation.override(language or settings.LANGUAGE_CODE):
        import_jobs.read(stored=stored, filename=filename)
    return import_jobs.progress(stored)["state"]
