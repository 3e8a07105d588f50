"""Background work of the reports: building an export file (``services.start_export`` queues it,
``export_files.build_export`` does the work).

Progress is written on the ``ReportExport`` row (status, percent) so the export page can show it;
the file lands in the private storage and is served only through ``views.export_download``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.utils import translation
from django_tasks import task

from xungkich.reports import export_files
from xungkich.reports.models import ReportExport

logger = logging.getLogger(__name__)


@task()
def build_export(export_id: int) -> dict[str, Any]:
    """Build one export, in the site's language (the files go to Vietnamese bodies)."""
    export = ReportExport.objects.select_related("unit__admin_unit").filter(pk=export_id).first()
    if export is None or export.status != ReportExport.Status.QUEUED:
        return {"error": "not queued"}
    with translation.override(settings.LANGUAGE_CODE):
        try:
            export_files.build_export(export)
        except Exception as exc:
            logger.exception("Report export %s failed", export_id)
            return {"error": str(exc) or exc.__class__.__name__}
    return {"file": export.file_name}
