"""Hand-written SELECTs and INSERTs (core/rows.py) give and write exactly what the ORM would."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from xungkich.core.models import AuditEntry
from xungkich.core.rows import Inserter, Part, RowShape
from xungkich.people.models import OrgUnit, User

USER_WITH_UNIT = RowShape(Part(User, "u"), Part(OrgUnit, "o", parent=(0, "unit")))


def _sql(shape: RowShape) -> str:
    return (
        f"SELECT {shape.columns()} FROM {shape.table(0)} LEFT JOIN {shape.table(1)} ON o.id = u.unit_id"  # noqa: S608
        " WHERE u.username = %s"
    )


def _values(instance: object) -> dict[str, object]:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_rows_are_the_orms_objects_with_the_unit_cached(coordinator, django_assert_num_queries):
    User.objects.filter(pk=coordinator.pk).update(last_login=timezone.now())
    with django_assert_num_queries(1):
        built = USER_WITH_UNIT.fetch_one(_sql(USER_WITH_UNIT), ["coord"])
        assert built is not None
        user, unit = built
        assert user.unit is unit  # cached as select_related would: no second query
    expected = User.objects.select_related("unit").get(pk=coordinator.pk)
    assert _values(user) == _values(expected)
    assert _values(unit) == _values(expected.unit)
    # Converters ran (SQLite returns text for datetimes, integers for booleans).
    assert isinstance(user.last_login, dt.datetime) and user.last_login.tzinfo is not None
    assert user.is_active is True
    assert not user._state.adding and user._state.db == "default"


@pytest.mark.django_db
def test_a_missing_left_join_is_none_and_a_missing_row_is_none(db, django_assert_num_queries):
    User.objects.create_user(username="nounit", password="x-Ab12345678")
    built = USER_WITH_UNIT.fetch_one(_sql(USER_WITH_UNIT), ["nounit"])
    assert built is not None
    user, unit = built
    assert unit is None
    with django_assert_num_queries(0):
        assert user.unit is None
    assert USER_WITH_UNIT.fetch_one(_sql(USER_WITH_UNIT), ["nobody"]) is None


@pytest.mark.django_db
def test_inserter_writes_the_row_save_writes(coordinator, units):
    def entry() -> AuditEntry:
        return AuditEntry(
            actor=coordinator,
            actor_label="Trần Thị Điều Phối",
            action="test.rows",
            object_type="people.user",
            object_id=str(coordinator.pk),
            object_repr="Nguyễn Văn “An”",
            unit=units["hoian"],
            before=None,
            after={"ghi chú": "Cài VNeID mức 2", "số": 3, "danh sách": [1, 2]},
        )

    by_orm = entry()
    by_orm.save()
    fast = Inserter(AuditEntry).insert(entry())
    assert fast.pk is not None and fast.pk != by_orm.pk
    assert not fast._state.adding
    assert fast.at is not None  # auto_now_add ran
    stored_orm = _values(AuditEntry.objects.get(pk=by_orm.pk))
    stored_fast = _values(AuditEntry.objects.get(pk=fast.pk))
    for stored in (stored_orm, stored_fast):
        stored.pop("id")
        stored.pop("at")
    assert stored_fast == stored_orm
    assert AuditEntry.objects.get(pk=fast.pk).at == fast.at


@pytest.mark.django_db
def test_inserter_refuses_saved_objects_and_other_models(coordinator):
    inserter = Inserter(AuditEntry)
    with pytest.raises(ValueError, match="new AuditEntry"):
        inserter.insert(coordinator)
    saved = inserter.insert(AuditEntry(actor_label="system", action="x", object_type="y"))
    with pytest.raises(ValueError, match="new AuditEntry"):
        inserter.insert(saved)
    assert AuditEntry.objects.filter(action="x").count() == 1


@pytest.mark.django_db
def test_statements_are_built_once_per_database(db):
    inserter = Inserter(AuditEntry)
    inserter.insert(AuditEntry(actor_label="system", action="a", object_type="y"))
    first = inserter._sql[connection.alias]
    inserter.insert(AuditEntry(actor_label="system", action="b", object_type="y"))
    assert inserter._sql[connection.alias] is first


@pytest.mark.django_db
def test_inserter_refuses_an_unsaved_related_object_as_save_does(db):
    unsaved_unit = OrgUnit(name="Chưa lưu", kind=OrgUnit.Kind.BASE)
    with pytest.raises(ValueError, match="unsaved related object"):
        Inserter(AuditEntry).insert(
            AuditEntry(actor_label="system", action="x", object_type="y", unit=unsaved_unit)
        )
    assert not AuditEntry.objects.filter(action="x").exists()
