"""A database filled before the apps were split (service points in rosters; catalogue, search and
guides in one app) migrates forward with every row, key and content type in place.

The database is taken back to the last migration of each app before the split, filled through the
models as they were then (the historical models of that state, not today's classes), and migrated
forward; the rows are then read through today's apps. The moves change no table: this proves it on
the database the tests run on (SQLite and PostgreSQL in CI).

Django's own ``MigrationExecutor`` takes the database back: the state wanted is "every app at its
last migration before the split", which a plan truncated at one target does not give.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

# The last migration of every app before the split (main before the architecture change).
BEFORE_SPLIT = [
    ("core", "0003_cache_table"),
    ("people", "0005_free_text_limits"),
    ("rosters", "0001_initial"),
    ("tickets", "0001_initial"),
    ("helpdesk", "0004_free_text_limits"),
    ("guides", "0002_guides_versions_reviews"),
    ("campaigns", "0003_free_text_limits"),
    ("reports", "0006_rollup_index_by_day"),
    ("api", "0003_idempotency_key_without_a_user"),
    # Apps made by the split: not there yet.
    ("places", None),
    ("catalogue", None),
    ("search", None),
]


def _migrate(targets: list[tuple[str, str | None]]):
    """Migrate the test database to ``targets``; the apps (historical models) of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    loader = MigrationExecutor(connection).loader
    return loader.project_state([node for node in targets if node[1] is not None]).apps


def _fill(apps) -> dict[str, int]:
    """One of everything that moved, rows of other apps that point at it, and audit entries naming them."""
    Type = apps.get_model("contenttypes", "ContentType")
    OrgUnit = apps.get_model("people", "OrgUnit")
    ServicePoint = apps.get_model("rosters", "ServicePoint")
    ClosedDay = apps.get_model("rosters", "ClosedDay")
    ShiftPattern = apps.get_model("rosters", "ShiftPattern")
    Ticket = apps.get_model("tickets", "Ticket")
    HelpSession = apps.get_model("helpdesk", "HelpSession")
    Procedure = apps.get_model("guides", "Procedure")
    SubmissionChannel = apps.get_model("guides", "SubmissionChannel")
    Fee = apps.get_model("guides", "Fee")
    SearchDocument = apps.get_model("guides", "SearchDocument")
    SearchToken = apps.get_model("guides", "SearchToken")
    Guide = apps.get_model("guides", "Guide")
    GuideProcedureReview = apps.get_model("guides", "GuideProcedureReview")

    unit = OrgUnit.objects.create(name="Đoàn phường Hội An (thử)", kind="base", path="900001", depth=0)
    point = ServicePoint.objects.create(name="Trung tâm phục vụ hành chính công", unit=unit)
    closed = ClosedDay.objects.create(date=dt.date(2027, 2, 17), point=point, reason="Tết Nguyên đán")
    pattern = ShiftPattern.objects.create(
        point=point, name="Sáng", weekdays=[0, 1, 2], start_time=dt.time(7, 30), end_time=dt.time(11, 30)
    )
    day = dt.date(2026, 12, 1)
    ticket = Ticket.objects.create(point=point, day=day, number=7, need="account")
    session = HelpSession.objects.create(unit=unit, point=point, ticket=ticket, helped_on=day, need="account")
    procedure = Procedure.objects.create(code="1.001234", name="Đăng ký khai sinh")
    channel = SubmissionChannel.objects.create(procedure=procedure, kind="online")
    fee = Fee.objects.create(channel=channel, amount=0, description="Miễn phí")
    document = SearchDocument.objects.create(
        kind="procedure", code=procedure.code, title=procedure.name, url="/thu-tuc/1.001234/"
    )
    SearchToken.objects.create(document=document, token="khai")
    SearchToken.objects.create(document=document, token="sinh")
    guide = Guide.objects.create(slug="khai-sinh", title="Khai sinh trực tuyến", unit=unit)
    guide.procedures.add(procedure)
    review = GuideProcedureReview.objects.create(
        guide=guide, procedure=procedure, fingerprint="f" * 64, facts={"fee": 0}, reviewed_at=timezone.now()
    )
    AuditEntry = apps.get_model("core", "AuditEntry")
    for label, obj in (("rosters.servicepoint", point), ("guides.procedure", procedure)):
        AuditEntry.objects.create(action="test.create", object_type=label, object_id=str(obj.pk), unit=unit)
    point_type = Type.objects.get_or_create(app_label="rosters", model="servicepoint")[0]
    procedure_type = Type.objects.get_or_create(app_label="guides", model="procedure")[0]
    return {
        "point": point.pk,
        "closed": closed.pk,
        "pattern": pattern.pk,
        "ticket": ticket.pk,
        "session": session.pk,
        "procedure": procedure.pk,
        "channel": channel.pk,
        "fee": fee.pk,
        "document": document.pk,
        "guide": guide.pk,
        "review": review.pk,
        "point_type": point_type.pk,
        "procedure_type": procedure_type.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_a_database_filled_before_the_split_migrates_forward():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        ids = _fill(_migrate(BEFORE_SPLIT))
    finally:
        new = _migrate(latest)

    point = new.get_model("places", "ServicePoint").objects.get(pk=ids["point"])
    assert point.name == "Trung tâm phục vụ hành chính công"
    assert point.unit.name == "Đoàn phường Hội An (thử)"
    closed = new.get_model("places", "ClosedDay").objects.get(pk=ids["closed"])
    assert (closed.point_id, closed.reason) == (point.pk, "Tết Nguyên đán")
    assert new.get_model("rosters", "ShiftPattern").objects.get(pk=ids["pattern"]).point_id == point.pk
    ticket = new.get_model("tickets", "Ticket").objects.select_related("point").get(pk=ids["ticket"])
    assert (ticket.point.name, ticket.number) == (point.name, 7)
    session = new.get_model("helpdesk", "HelpSession").objects.select_related("point").get(pk=ids["session"])
    assert (session.point.pk, session.ticket_id) == (point.pk, ticket.pk)

    procedure = new.get_model("catalogue", "Procedure").objects.get(pk=ids["procedure"])
    assert (procedure.code, procedure.name) == ("1.001234", "Đăng ký khai sinh")
    channel = new.get_model("catalogue", "SubmissionChannel").objects.get(pk=ids["channel"])
    assert channel.procedure_id == procedure.pk
    fee = new.get_model("catalogue", "Fee").objects.get(pk=ids["fee"])
    assert (fee.channel_id, fee.description) == (channel.pk, "Miễn phí")
    document = new.get_model("search", "SearchDocument").objects.get(pk=ids["document"])
    assert sorted(document.tokens.values_list("token", flat=True)) == ["khai", "sinh"]
    guide = new.get_model("guides", "Guide").objects.get(pk=ids["guide"])
    assert list(guide.procedures.values_list("pk", flat=True)) == [procedure.pk]
    review = new.get_model("guides", "GuideProcedureReview").objects.get(pk=ids["review"])
    assert (review.guide_id, review.procedure_id, review.facts) == (guide.pk, procedure.pk, {"fee": 0})

    # The content types moved with their models, under the same ids (permissions stay attached).
    Type = new.get_model("contenttypes", "ContentType")
    assert Type.objects.get(pk=ids["point_type"]).app_label == "places"
    assert Type.objects.get(pk=ids["procedure_type"]).app_label == "catalogue"
    assert not Type.objects.filter(app_label="rosters", model="servicepoint").exists()
    # The audit log names the models by their new labels (the log page reads their field names).
    labels = new.get_model("core", "AuditEntry").objects.filter(action="test.create")
    renamed = sorted(labels.values_list("object_type", flat=True))
    assert renamed == ["catalogue.procedure", "places.servicepoint"]
