"""The move from rosters to places keeps every row, and takes the content types and audit labels along.

Undoing the places migrations puts a database back exactly as it was before the move (the tables
never changed), and redoing them renames the content types and audit labels again.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from xungkich.core.models import AuditEntry
from xungkich.people.models import OrgUnit
from xungkich.places import services
from xungkich.places.models import ClosedDay


def _migrate(targets: list[tuple[str, str | None]] | None = None) -> None:
    """Migrate to ``targets``; without them, to the latest migration of every app."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets if targets is not None else executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


def _labels(model: str) -> tuple[set[str], set[str]]:
    types = {ct.app_label for ct in ContentType.objects.filter(model=model)}
    audit = set(AuditEntry.objects.filter(object_id__gt="").values_list("object_type", flat=True))
    return types, {label.split(".")[0] for label in audit if label.endswith(f".{model}")}


@pytest.mark.django_db(transaction=True)
def test_undoing_and_redoing_the_move_keeps_the_rows(units: dict[str, OrgUnit]) -> None:
    _migrate()  # other migration tests may leave the test database part-way back
    point = services.create_service_point(by=None, name="Trung tâm Hội An", unit=units["hoian"])
    ClosedDay.objects.create(date=dt.date(2027, 1, 1), point=point, reason="Tết Dương lịch")
    ContentType.objects.get_for_model(ClosedDay)
    assert _labels("servicepoint") == ({"places"}, {"places"})
    try:
        _migrate([("places", None)])  # before the move: every app's keys back on rosters
        assert _labels("servicepoint") == ({"rosters"}, {"rosters"})
        assert _labels("closedday")[0] == {"rosters"}
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM rosters_servicepoint")
            assert cursor.fetchall() == [("Trung tâm Hội An",)]
            cursor.execute("SELECT reason FROM rosters_closedday")
            assert cursor.fetchall() == [("Tết Dương lịch",)]
    finally:
        _migrate()
    assert _labels("servicepoint") == ({"places"}, {"places"})
    assert _labels("closedday")[0] == {"places"}
    closure = ClosedDay.objects.select_related("point").get()
    assert closure.point is not None and closure.point.name == "Trung tâm Hội An"
