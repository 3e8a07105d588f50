"""How long files with personal data stay in the private storage, and their removal.

``manage.py purge_private_files`` (run daily) calls :func:`purge_private_files`:

- uploads waiting for confirmation (volunteer lists, procedure spreadsheets) older than 24 hours:
  their preview is refused after that, so no pending import can still use them;
- report export files ``XK_EXPORT_KEEP_DAYS`` days after they were made (the export stays listed
  and says that its file was deleted), and files no finished export points at (failed, or their
  export is gone).

This module sits in ``reports`` because that is where exports live, and it may read the upload folders
of ``people`` and ``catalogue`` below it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from xungkich.catalogue.imports import UPLOAD_DIR as PROCEDURE_UPLOAD_DIR
from xungkich.core import private_files
from xungkich.core.audit import log_action
from xungkich.people.imports.uploads import KEEP_FOR as UPLOAD_KEEP_FOR
from xungkich.people.imports.uploads import UPLOAD_DIR as VOLUNTEER_UPLOAD_DIR
from xungkich.reports.models import ReportExport

EXPORT_DIR = "reports"
UPLOAD_DIRS = (VOLUNTEER_UPLOAD_DIR, PROCEDURE_UPLOAD_DIR)
# A build writes its file and then marks the export done: files younger than this are left alone.
BUILD_GRACE = dt.timedelta(hours=1)


@dataclasses.dataclass(frozen=True)
class PurgeResult:
    uploads: int
    exports: int


def purge_private_files(*, now: dt.datetime | None = None) -> PurgeResult:
    now = now or timezone.now()
    uploads = sum(
        private_files.delete_old_files(folder=folder, older_than=now - UPLOAD_KEEP_FOR)
        for folder in UPLOAD_DIRS
    )
    return PurgeResult(uploads=uploads, exports=purge_expired_exports(now=now))


def purge_expired_exports(*, now: dt.datetime | None = None) -> int:
    """Delete export files past their retention (and stray ones); returns how many files went."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.XK_EXPORT_KEEP_DAYS)
    expired = list(
        ReportExport.objects.select_related("unit")
        .exclude(file_name="")
        .filter(status=ReportExport.Status.DONE, finished_at__lt=cutoff)
    )
    with transaction.atomic():
        for export in expired:
            log_action(
                actor=None,
                action="reports.export_file_deleted",
                obj=export,
                unit=export.unit,
                before={"file_name": export.file_name},
                after={"file_name": ""},
            )
        ReportExport.objects.filter(pk__in=[export.pk for export in expired]).update(file_name="")
    # Now only files of exports still within their retention are wanted: everything else goes.
    wanted = set(
        ReportExport.objects.exclude(file_name="")
        .filter(status=ReportExport.Status.DONE)
        .values_list("file_name", flat=True)
    )
    return private_files.delete_old_files(
        folder=EXPORT_DIR, older_than=now - BUILD_GRACE, keep=lambda name: name in wanted
    )
