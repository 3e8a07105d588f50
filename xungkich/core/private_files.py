"""Files in the private storage (``STORAGES["private"]``, never served over HTTP).

They hold personal data (uploaded volunteer lists, report exports), so they are written readable by
the app's user only (see settings) and deleted once nobody needs them: ``manage.py
purge_private_files`` (run daily) calls these helpers for each kind of file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterator

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    return storages["private"]


def walk(folder: str) -> Iterator[str]:
    """Every file name under ``folder`` (recursively); nothing when the folder does not exist."""
    storage = private_storage()
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{folder}/{name}"
    for name in folders:
        yield from walk(f"{folder}/{name}")


def delete_old_files(
    *, folder: str, older_than: dt.datetime, keep: Callable[[str], bool] = lambda _name: False
) -> int:
    """Delete the files under ``folder`` last written before ``older_than`` (unless ``keep`` says so).

    Returns how many were deleted; empty sub-folders left behind are removed as well.
    """
    storage = private_storage()
    deleted = 0
    for name in list(walk(folder)):
        try:
            if storage.get_modified_time(name) >= older_than or keep(name):
                continue
            storage.delete(name)
        except FileNotFoundError:
            continue  # deleted meanwhile by the app itself
        deleted += 1
    remove_empty_folders(folder)
    return deleted


def remove_empty_folders(folder: str) -> None:
    """Remove the empty folders below ``folder`` (the folder itself stays)."""
    try:
        root = private_storage().path(folder)
    except NotImplementedError:
        return
    for current, _folders, _files in os.walk(root, topdown=False):
        if current != root:
            with contextlib.suppress(OSError):
                os.rmdir(current)  # only succeeds when empty
