"""Reading a large volunteer list in the background queue, with its progress.

A list with more rows than ``XK_IMPORT_BACKGROUND_ROWS`` (counted in milliseconds by
``reading.check_file`` while the upload is checked) is read by a worker (``tasks.read_upload``,
queued by ``queue.start``), not by the request: the full spreadsheet reader takes seconds for
thousands of rows. The worker writes the rows it read as JSON beside the upload in the private
storage and its progress in the cache (shared by every process); the preview page shows the
progress until the rows are there, then previews and imports from them without reading the file
again.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.utils.translation import gettext as _

from xungkich.core.errors import DomainError
from xungkich.people.imports import reading

DEFAULT_BACKGROUND_ROWS = 300
KEEP_FOR = 24 * 3600  # seconds, as long as the upload itself is kept
QUEUED, READING, DONE, FAILED = "queued", "reading", "done", "failed"

logger = logging.getLogger(__name__)


def background_rows() -> int:
    """Lists with more rows than this are read in the background (setting XK_IMPORT_BACKGROUND_ROWS)."""
    return int(getattr(settings, "XK_IMPORT_BACKGROUND_ROWS", DEFAULT_BACKGROUND_ROWS))


def _storage() -> Storage:
    return storages["private"]


def _key(stored: str) -> str:
    return f"xk:people:import:{stored}"


def table_name(stored: str) -> str:
    return f"{stored}.rows.json"


def progress(stored: str) -> dict[str, Any]:
    """``{"state", "percent"}``, and ``message`` when the file could not be read."""
    return cache.get(_key(stored)) or {"state": FAILED, "percent": 0, "message": ""}


def set_state(stored: str, state: str, percent: int, message: str = "") -> None:
    cache.set(_key(stored), {"state": state, "percent": percent, "message": message}, timeout=KEEP_FOR)


def read(*, stored: str, filename: str) -> None:
    """The worker's part: read the list, keep its rows as JSON, report progress and problems."""
    set_state(stored, READING, 10)
    try:
        with _storage().open(stored, "rb") as handle:
            data = handle.read()
        table = reading.read_table(data, filename)
        set_state(stored, READING, 80)
        _storage().save(table_name(stored), ContentFile(reading.table_to_json(table)))
    except FileNotFoundError:
        set_state(stored, FAILED, 0, _("The uploaded file is no longer there. Upload it again."))
        return
    except DomainError as exc:
        set_state(stored, FAILED, 0, str(exc))
        return
    except Exception:
        logger.exception("Reading the volunteer list %s failed", stored)
        set_state(stored, FAILED, 0, _("The file could not be read just now. Try again later."))
        return
    set_state(stored, DONE, 100)


def load_table(stored: str) -> reading.SourceTable | None:
    """The rows read in the background, or None while they are not there."""
    if progress(stored)["state"] != DONE:
        return None
    try:
        with _storage().open(table_name(stored), "rb") as handle:
            return reading.table_from_json(handle.read())
    except FileNotFoundError:
        return None


def discard(stored: str) -> None:
    cache.delete(_key(stored))
    with contextlib.suppress(OSError):
        _storage().delete(table_name(stored))
