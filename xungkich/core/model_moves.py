"""Moving models between apps without moving data: the step that renames their labels.

A moved model keeps its table (``Meta.db_table``) and its migrations move only the state
(``SeparateDatabaseAndState``). Two things in the database still name the old app:

- the content type rows: renamed in place, so their ids — and the permissions granted on them — stay.
  A row already under the new name can only be an empty one that ``post_migrate`` made between two
  partial runs (rolling back app by app): it gives way to the old row, which carries the history;
- the audit log's ``object_type`` labels (``rosters.servicepoint``): renamed, so old entries keep
  their model's field names on the log page.

On a new database there is nothing to rename (``post_migrate`` makes the content types afterwards).
Used by the migrations of every move, so each move renames the same way in both directions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import migrations


def _rename(apps: Any, schema_editor: Any, *, old: str, new: str, models: Sequence[str]) -> None:
    db = schema_editor.connection.alias
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(db)
    audit = apps.get_model("core", "AuditEntry").objects.using(db)
    for model in models:
        if content_types.filter(app_label=old, model=model).exists():
            content_types.filter(app_label=new, model=model).delete()
            content_types.filter(app_label=old, model=model).update(app_label=new)
        audit.filter(object_type=f"{old}.{model}").update(object_type=f"{new}.{model}")
    apps.get_model("contenttypes", "ContentType").objects.clear_cache()


def rename_labels(*, old: str, new: str, models: Sequence[str]) -> migrations.RunPython:
    """The reversible migration step renaming ``old.<model>`` labels to ``new.<model>``."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        _rename(apps, schema_editor, old=old, new=new, models=models)

    def backwards(apps: Any, schema_editor: Any) -> None:
        _rename(apps, schema_editor, old=new, new=old, models=models)

    return migrations.RunPython(forwards, backwards)
