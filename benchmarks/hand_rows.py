"""Model instances from one hand-written SELECT, and one INSERT statement per model: the
hand-written path that ``rows_vs_orm.py`` measures against the ORM.

The app once read the API token, the service point, the called ticket and wrote the audit entry,
the pending-figures mark and the help session this way, to skip the ORM's query compiler. Measured
end to end through the API (docs/benchmarks.md, "Hand-written SQL against the ORM"), no use removed
a quarter of its request's cost on PostgreSQL, so the app went back to the ORM; this module stays
beside the benchmark so the comparison can be run again.

A ``RowShape`` names the models one SELECT returns, in order, each under its table alias. It writes
the column list once, and turns each row into model instances: the database's converters applied,
as the ORM would (SQLite returns datetimes as text), and each related object cached on its parent
as ``select_related`` would cache it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Model


@dataclass(frozen=True)
class Part:
    """One model in the row: its table alias, and where it hangs (parent part index, FK name).

    An empty alias writes the columns unqualified (SQLite's ``RETURNING`` takes no table names).
    """

    model: type[Model]
    alias: str
    parent: tuple[int, str] | None = None


Converter = Callable[[Any, Any, Any], Any]


def _column(field: Any) -> str:
    """A concrete field's column name (the type stubs allow None, which only m2m fields have)."""
    return str(field.column)


class RowShape:
    def __init__(self, *parts: Part) -> None:
        self.parts = parts
        self._converters: dict[str, list[list[tuple[list[Converter], Any]]]] = {}

    def table(self, index: int, using: str = "default") -> str:
        """``"table" alias`` of a part, for the FROM and JOIN clauses."""
        part = self.parts[index]
        return f"{connections[using].ops.quote_name(part.model._meta.db_table)} {part.alias}".rstrip()

    def columns(self, using: str = "default") -> str:
        quote = connections[using].ops.quote_name
        return ", ".join(
            f"{part.alias}.{quote(_column(field))}" if part.alias else quote(_column(field))
            for part in self.parts
            for field in part.model._meta.concrete_fields
        )

    def _converters_for(self, using: str) -> list[list[tuple[list[Converter], Any]]]:
        """Per part, per column: the backend's and the field's converters (as the ORM applies)."""
        cached = self._converters.get(using)
        if cached is None:
            connection = connections[using]
            cached = []
            for part in self.parts:
                per_field = []
                for field in part.model._meta.concrete_fields:
                    column = field.get_col(part.alias or part.model._meta.db_table)
                    functions = connection.ops.get_db_converters(column) + column.get_db_converters(
                        connection
                    )
                    per_field.append((functions, column))
                cached.append(per_field)
            self._converters[using] = cached
        return cached

    def build(self, row: Sequence[Any], using: str = "default") -> list[Model | None]:
        """The row as instances, one per part (None for a part whose LEFT JOIN found nothing)."""
        connection = connections[using]
        converters = self._converters_for(using)
        objects: list[Model | None] = []
        start = 0
        for index, part in enumerate(self.parts):
            fields = part.model._meta.concrete_fields
            values = list(row[start : start + len(fields)])
            start += len(fields)
            instance: Model | None = None
            if values[fields.index(part.model._meta.pk)] is not None or part.parent is None:
                for position, (functions, column) in enumerate(converters[index]):
                    for convert in functions:
                        values[position] = convert(values[position], column, connection)
                instance = part.model.from_db(using, [f.attname for f in fields], values)
            if part.parent is not None:
                parent = objects[part.parent[0]]
                if parent is not None:
                    parent._meta.get_field(part.parent[1]).set_cached_value(parent, instance)  # type: ignore[union-attr]
            objects.append(instance)
        return objects

    def fetch_one(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any], using: str = "default"
    ) -> list[Model | None] | None:
        """Run ``sql`` (which selects ``columns()``) and build its first row; None without one."""
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        return None if row is None else self.build(row, using)


class Inserter:
    """``instance.save()`` for a new row of one model, with the INSERT written once.

    The ORM rebuilds the INSERT statement on every save, field by field (the help session has 30);
    this keeps the statement per database and only prepares the values — the same
    ``pre_save`` (``auto_now_add``…) and ``get_db_prep_save`` calls the ORM makes. No signals are
    sent: use it for models without save hooks (tests pin the rows it writes against ``save()``).
    """

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        meta = model._meta
        self.fields = [field for field in meta.local_concrete_fields if field is not meta.auto_field]
        self._sql: dict[str, str] = {}

    def _statement(self, using: str) -> str:
        sql = self._sql.get(using)
        if sql is None:
            connection = connections[using]
            quote = connection.ops.quote_name
            meta = self.model._meta
            sql = (
                f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(_column(f)) for f in self.fields)})"  # noqa: S608
                f" VALUES ({', '.join(['%s'] * len(self.fields))})"
            )
            if meta.auto_field is not None and connection.features.can_return_columns_from_insert:
                sql += f" RETURNING {quote(_column(meta.auto_field))}"
            self._sql[using] = sql
        return sql

    def insert(self, instance: Model, using: str = "default") -> Model:
        """Insert ``instance`` (a new, unsaved object of the model) and set its primary key."""
        if not isinstance(instance, self.model) or not instance._state.adding:
            raise ValueError(f"Inserter({self.model.__name__}) takes new {self.model.__name__} objects")
        # As save(): refuse an unsaved related object rather than store NULL for it (Django's own
        # check; private, so not in the type stubs).
        instance._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
        connection = connections[using]
        values = [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in self.fields]
        auto_field = self.model._meta.auto_field
        with connection.cursor() as cursor:
            cursor.execute(self._statement(using), values)
            if auto_field is not None:
                if connection.features.can_return_columns_from_insert:
                    (pk,) = cursor.fetchone()
                else:
                    pk = connection.ops.last_insert_id(cursor, self.model._meta.db_table, _column(auto_field))
                setattr(instance, auto_field.attname, pk)
        instance._state.adding = False
        instance._state.db = using
        return instance
