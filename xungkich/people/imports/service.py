"""Importing volunteer lists: a preview checked against the database, then one atomic write.

``preview_import`` reads the file (``reading``), resolves every row's unit among the units the
user manages, matches rows to existing volunteers and marks each row create / update / unchanged /
error. ``apply_import`` runs the same preview inside one transaction and writes only when no row is
in error. The web upload and ``manage.py import_volunteers`` both go through these two functions.

Matching: by phone (E.164). A row without a phone is matched by folded name and date of birth
(by name within its unit when the date is missing too). A row with a new phone whose name and date
of birth belong to a volunteer with another phone is an error: it is most likely the same person.
Blank cells never overwrite stored values; a unit taken from the upload form's default never moves
an existing volunteer.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from xungkich.core.audit import log_action, snapshot
from xungkich.core.errors import DomainError
from xungkich.lib.dates import format_date
from xungkich.lib.phones import display_phone
from xungkich.lib.vietnamese import fold
from xungkich.people.imports import reading
from xungkich.people.imports.reading import ERROR, WARNING, ParsedRow, Problem, SourceTable
from xungkich.people.models import OrgUnit, Skill, User, Volunteer
from xungkich.people.scope import managed_units
from xungkich.people.services import VOLUNTEER_FIELDS

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
QUERY_CHUNK = 500  # phones / names per query: well under every database's parameter limit
SCALAR_FIELDS = [name for name in VOLUNTEER_FIELDS if name != "skills"]
# Fields a row may set, in the order the preview shows changes.
WRITABLE = ["full_name", "birth_date", "gender", "unit", "position", "phone", "email", "notes"]
# Prefixes people leave out when they type a unit's name ("Minh An" for "Chi đoàn Minh An").
UNIT_PREFIXES = ("chi doan ", "doan phuong ", "doan xa ", "doan thanh nien ", "thanh doan ", "doan ", "cd ")


@dataclass
class Change:
    field: str
    label: str
    before: str
    after: str


@dataclass
class PreviewRow:
    parsed: ParsedRow
    status: str = CREATE
    unit: OrgUnit | None = None
    unit_from_file: bool = False
    volunteer: Volunteer | None = None
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # The matched volunteer's skills as (id, name), read with one query for the whole file.
    skills_before: list[tuple[int, str]] = field(default_factory=list)

    @property
    def row(self) -> int:
        return self.parsed.row

    @property
    def has_errors(self) -> bool:
        return any(problem.is_error for problem in self.problems)

    @property
    def status_label(self) -> str:
        labels = {CREATE: _("New"), UPDATE: _("Update"), UNCHANGED: _("Unchanged"), ERROR: _("Error")}
        return labels[self.status]

    @property
    def css_class(self) -> str:
        if self.status == ERROR:
            return "row-error"
        if any(problem.severity == WARNING for problem in self.problems):
            return "row-warning"
        return "row-ok"

    @property
    def shown(self) -> dict[str, str]:
        """The row's values for people: normalised where they could be read, else as typed."""
        parsed = self.parsed
        values = {
            "full_name": parsed.full_name,
            "birth_date": format_date(parsed.birth_date),
            "gender": str(Volunteer.Gender(parsed.gender).label) if parsed.gender else "",
            "unit": self.unit.name if self.unit is not None else parsed.unit_name,
            "position": parsed.position,
            "phone": display_phone(parsed.phone),
            "email": parsed.email,
            "skills": ", ".join(parsed.skills),
        }
        return {name: value or parsed.raw.get(name, "") for name, value in values.items()}

    def add(self, code: str, text: str, *, severity: str = ERROR, field: str = "") -> None:
        self.problems.append(Problem(self.row, code, text, severity, field))


@dataclass
class ImportPreview:
    filename: str
    rows: list[PreviewRow]
    file_problems: list[Problem] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)
    sheet: str = ""
    header_row: int = 0
    default_unit: OrgUnit | None = None

    @property
    def problems(self) -> list[Problem]:
        """Every problem: the file's first, then by row number."""
        return self.file_problems + [problem for row in self.rows for problem in row.problems]

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if not problem.is_error]

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    @property
    def counts(self) -> dict[str, int]:
        counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0, ERROR: 0}
        for row in self.rows:
            counts[row.status] += 1
        return counts

    @property
    def has_changes(self) -> bool:
        counts = self.counts
        return bool(counts[CREATE] or counts[UPDATE])

    @property
    def can_confirm(self) -> bool:
        return not self.has_errors and self.has_changes


@dataclass
class ImportResult:
    preview: ImportPreview
    created: list[Volunteer]
    updated: list[Volunteer]
    unchanged: int


# --- Preview ------------------------------------------------------------------------------------


def _table(data: bytes | None, table: SourceTable | None, filename: str) -> SourceTable:
    """The list: ``table`` when it was read already (in the background queue), else read ``data``."""
    if table is not None:
        return table
    if data is None:
        raise ValueError("data or table is needed")
    return reading.read_table(data, filename)


def preview_import(
    *,
    data: bytes | None = None,
    table: SourceTable | None = None,
    filename: str,
    by: User | None,
    default_unit: OrgUnit | None = None,
) -> ImportPreview:
    """What importing the file (``data``, or its ``table`` already read) would do, row by row.
    Writes nothing.

    Raises ImportFileError when the file cannot be read at all, DomainError when the default unit
    is outside the user's units.
    """
    table = _table(data, table, filename)
    return _preview(table, filename=filename, by=by, default_unit=default_unit, lock=False)


def check_upload(
    *,
    data: bytes | None = None,
    table: SourceTable | None = None,
    filename: str,
    by: User | None,
    default_unit: OrgUnit | None,
) -> None:
    """The check made when a file is uploaded (or read): readable, and every row can get a unit."""
    table = _table(data, table, filename)
    sections = any(row.section for row in table)
    if not table.has_unit_column and not sections and default_unit is None and len(_scope(by)) != 1:
        raise DomainError(_unit_required_text(), "import_unit_required")


def _scope(by: User | None) -> list[OrgUnit]:
    units = managed_units(by) if by is not None else OrgUnit.objects.all()
    return list(units.order_by("path"))


def _unit_required_text() -> str:
    return _("The file has no unit column: choose the unit these volunteers belong to.")


def _preview(
    table: SourceTable,
    *,
    filename: str,
    by: User | None,
    default_unit: OrgUnit | None,
    lock: bool,
) -> ImportPreview:
    parsed_rows = reading.parse_rows(table, today=timezone.localdate())
    scope = _scope(by)
    scope_ids = {unit.pk for unit in scope}
    if default_unit is not None and default_unit.pk not in scope_ids:
        raise DomainError(
            _("You cannot import volunteers into %(unit)s.") % {"unit": default_unit.name},
            "import_unit_not_allowed",
        )
    if default_unit is None and len(scope) == 1:
        default_unit = scope[0]
    preview = ImportPreview(
        filename=filename,
        rows=[],
        fields=list(table.fields),
        ignored_headers=list(table.ignored_headers),
        sheet=table.sheet,
        header_row=table.header_row,
        default_unit=default_unit,
    )
    units = _UnitFinder(scope)
    existing, skills = _existing_volunteers(parsed_rows, by=by, lock=lock)
    by_phone = {volunteer.phone: volunteer for volunteer in existing if volunteer.phone}
    by_name: dict[str, list[Volunteer]] = defaultdict(list)
    for volunteer in existing:
        if volunteer.unit_id in scope_ids:
            by_name[volunteer.search_key].append(volunteer)
    matched: dict[int, int] = {}  # volunteer pk → the row that matched it

    for parsed in parsed_rows:
        row = PreviewRow(parsed=parsed, problems=list(parsed.problems))
        preview.rows.append(row)
        _resolve_unit(row, table, units, default_unit)
        if row.has_errors:
            row.status = ERROR
            continue
        _match(row, by_phone, by_name, scope_ids)
        if row.volunteer is not None:
            earlier = matched.setdefault(row.volunteer.pk, row.row)
            if earlier != row.row:
                row.add(
                    "duplicate_person_in_file",
                    _("This row and row %(other)s are the same volunteer (%(name)s).")
                    % {"other": earlier, "name": row.volunteer.full_name},
                    field="full_name",
                )
        if row.has_errors:
            row.status = ERROR
        elif row.volunteer is None:
            row.status = CREATE
        else:
            row.skills_before = skills.get(row.volunteer.pk, [])
            row.changes = _changes(row)
            row.status = UPDATE if row.changes else UNCHANGED
            if not row.volunteer.is_active:
                row.add(
                    "volunteer_inactive",
                    _("%(name)s is marked inactive; the import does not change that.")
                    % {"name": row.volunteer.full_name},
                    severity=WARNING,
                )
    if not table.has_unit_column and any(row.unit is None for row in preview.rows):
        # No unit column, no default unit, and no section heading naming a unit.
        preview.file_problems.append(Problem(None, "import_unit_required", _unit_required_text()))
    return preview


class _UnitFinder:
    """Finds a unit by the name typed in a cell: folded, with or without "Chi đoàn", "Đoàn phường"..."""

    def __init__(self, units: Iterable[OrgUnit]) -> None:
        self.exact: dict[str, list[OrgUnit]] = defaultdict(list)
        self.short: dict[str, list[OrgUnit]] = defaultdict(list)
        for unit in units:
            self.exact[fold(unit.name)].append(unit)
            self.short[_short_unit_key(unit.name)].append(unit)
        self._everywhere: _UnitFinder | None = None

    def find(self, name: str) -> list[OrgUnit]:
        key = fold(name)
        return self.exact.get(key) or self.short.get(_short_unit_key(name)) or []

    def exists_anywhere(self, name: str) -> bool:
        """Whether a unit of that name exists at all, in anyone's units (one query, when first asked)."""
        if self._everywhere is None:
            self._everywhere = _UnitFinder(OrgUnit.objects.only("pk", "name"))
        return bool(self._everywhere.find(name))

    def nearest(self, name: str, limit: int = 3) -> list[str]:
        """Names of these units that look like ``name`` (folded, without "Chi đoàn"...), closest first."""
        keys = difflib.get_close_matches(_short_unit_key(name), list(self.short), n=limit, cutoff=0.7)
        names: list[str] = []
        for key in keys:
            for unit in self.short[key]:
                if unit.name not in names:
                    names.append(unit.name)
        return names[:limit]


def _short_unit_key(name: str) -> str:
    key = fold(name).replace(":", " ").replace(".", " ")
    key = " ".join(key.split())
    for prefix in UNIT_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


def _resolve_unit(
    row: PreviewRow, table: SourceTable, units: _UnitFinder, default_unit: OrgUnit | None
) -> None:
    parsed = row.parsed
    if parsed.unit_name:
        found = units.find(parsed.unit_name)
        if len(found) == 1:
            row.unit, row.unit_from_file = found[0], True
        elif found:
            row.add(
                "unit_ambiguous",
                _("“%(unit)s” names more than one unit; write the unit's full name.")
                % {"unit": parsed.unit_name},
                field="unit",
            )
        elif units.exists_anywhere(parsed.unit_name):
            row.add(
                "unit_unknown",
                _("“%(unit)s” is not one of your units.") % {"unit": parsed.unit_name},
                field="unit",
            )
        else:
            row.add("unit_not_found", _unit_not_found_text(parsed.unit_name, units), field="unit")
        return
    if not table.has_unit_column and parsed.section:
        found = units.find(parsed.section)
        if len(found) == 1:
            row.unit, row.unit_from_file = found[0], True
            return
    if default_unit is not None:
        row.unit = default_unit
    elif table.has_unit_column:
        row.add("unit_missing", _("The unit is missing."), field="unit")


def _unit_not_found_text(name: str, units: _UnitFinder) -> str:
    nearest = units.nearest(name)
    if not nearest:
        return _("Unit “%(unit)s” does not exist.") % {"unit": name}
    return _("Unit “%(unit)s” does not exist. Did you mean %(names)s?") % {
        "unit": name,
        "names": ", ".join("“" + unit_name + "”" for unit_name in nearest),
    }


def _existing_volunteers(
    rows: Sequence[ParsedRow], *, by: User | None, lock: bool
) -> tuple[list[Volunteer], dict[int, list[tuple[int, str]]]]:
    """Volunteers with a phone in the file, or with a name in the file in the user's units, and
    their skills as (id, name) by volunteer id (plain rows: cheaper than prefetching models)."""
    phones = sorted({row.phone for row in rows if row.phone})
    names = sorted({fold(row.full_name) for row in rows if row.full_name})
    name_scope = Q() if by is None or by.is_superuser else Q(unit__in=managed_units(by))
    found: dict[int, Volunteer] = {}
    skills: dict[int, list[tuple[int, str]]] = defaultdict(list)
    through = Volunteer.skills.through
    for start in range(0, max(len(phones), len(names)), QUERY_CHUNK):
        chunk_phones = phones[start : start + QUERY_CHUNK]
        chunk_names = names[start : start + QUERY_CHUNK]
        queryset = Volunteer.objects.select_related("unit")
        if lock:
            queryset = queryset.select_for_update(of=("self",))
        condition = Q(phone__in=chunk_phones) | (Q(search_key__in=chunk_names) & name_scope)
        chunk = {volunteer.pk: volunteer for volunteer in queryset.filter(condition).order_by("pk")}
        found.update(chunk)
        if chunk:
            links = through.objects.filter(volunteer_id__in=list(chunk)).order_by("skill__name", "skill_id")
            for volunteer_id, skill_id, name in links.values_list("volunteer_id", "skill_id", "skill__name"):
                skills[volunteer_id].append((skill_id, name))
    return list(found.values()), skills


def _match(
    row: PreviewRow,
    by_phone: dict[str, Volunteer],
    by_name: dict[str, list[Volunteer]],
    scope_ids: set[int],
) -> None:
    parsed = row.parsed
    same_name = by_name.get(fold(parsed.full_name), [])
    if parsed.phone:
        volunteer = by_phone.get(parsed.phone)
        if volunteer is not None:
            if volunteer.unit_id not in scope_ids:
                row.add(
                    "phone_outside_scope",
                    _("The phone number %(phone)s belongs to a volunteer of a unit you do not manage.")
                    % {"phone": display_phone(parsed.phone)},
                    field="phone",
                )
                return
            row.volunteer = volunteer
            if fold(volunteer.full_name) != fold(parsed.full_name):
                row.add(
                    "name_changed",
                    _("The phone number %(phone)s belongs to %(old)s; this row renames them %(new)s.")
                    % {
                        "phone": display_phone(parsed.phone),
                        "old": volunteer.full_name,
                        "new": parsed.full_name,
                    },
                    severity=WARNING,
                    field="full_name",
                )
            return
        if parsed.birth_date is None:
            return
        twins = [v for v in same_name if v.birth_date == parsed.birth_date]
        with_phone = [v for v in twins if v.phone]
        if with_phone:
            other = with_phone[0]
            row.add(
                "duplicate_existing",
                _(
                    "%(name)s, born %(date)s, is already registered in %(unit)s with the phone number "
                    "%(phone)s. If it is the same person, correct the phone number in the file or on "
                    "their profile."
                )
                % {
                    "name": other.full_name,
                    "date": format_date(other.birth_date),
                    "unit": other.unit.name,
                    "phone": display_phone(other.phone),
                },
                field="phone",
            )
            return
        _pick(row, twins)
        return
    if parsed.birth_date is not None:
        candidates = [v for v in same_name if v.birth_date == parsed.birth_date]
    else:
        candidates = [
            v for v in same_name if v.birth_date is None and row.unit is not None and v.unit_id == row.unit.pk
        ]
    _pick(row, candidates)


def _pick(row: PreviewRow, candidates: list[Volunteer]) -> None:
    if len(candidates) == 1:
        row.volunteer = candidates[0]
    elif candidates:
        row.add(
            "match_ambiguous",
            _("More than one volunteer is called %(name)s; add their phone number to tell them apart.")
            % {"name": row.parsed.full_name},
            field="full_name",
        )


def _new_values(row: PreviewRow) -> dict[str, Any]:
    """The values the row sets: only what the file gives (blank cells keep what is stored)."""
    parsed = row.parsed
    values: dict[str, Any] = {name: getattr(parsed, name) for name in WRITABLE if name in parsed.given}
    if row.unit is not None and (row.volunteer is None or row.unit_from_file):
        values["unit"] = row.unit
    return values


def _changes(row: PreviewRow) -> list[Change]:
    volunteer = row.volunteer
    assert volunteer is not None
    changes: list[Change] = []
    for name, value in _new_values(row).items():
        current = getattr(volunteer, name)
        if name == "unit":
            if value.pk != volunteer.unit_id:
                changes.append(Change(name, _label(name), current.name, value.name))
        elif current != value:
            changes.append(Change(name, _label(name), _shown(name, current), _shown(name, value)))
    if "skills" in row.parsed.given:
        current = [name for _, name in row.skills_before]
        if {fold(name) for name in current} != {fold(name) for name in row.parsed.skills}:
            changes.append(
                Change("skills", _label("skills"), ", ".join(current), ", ".join(row.parsed.skills))
            )
    return changes


def _label(name: str) -> str:
    return str(getattr(Volunteer._meta.get_field(name), "verbose_name", name)).capitalize()


def _shown(name: str, value: Any) -> str:
    if isinstance(value, dt.date):
        return format_date(value)
    if name == "gender":
        return str(Volunteer.Gender(value).label) if value else ""
    if name == "phone":
        return display_phone(value)
    return str(value or "")


# --- Writing ------------------------------------------------------------------------------------


def apply_import(
    *,
    data: bytes | None = None,
    table: SourceTable | None = None,
    filename: str,
    by: User | None,
    default_unit: OrgUnit | None = None,
) -> ImportResult:
    """Import the file (``data``, or its ``table`` already read): everything in one transaction, or
    nothing when any row is in error.

    Raises ImportFileError for an unreadable file and DomainError("import_has_errors", details=the
    preview) when rows are in error.
    """
    table = _table(data, table, filename)
    try:
        with transaction.atomic():
            preview = _preview(table, filename=filename, by=by, default_unit=default_unit, lock=True)
            if preview.has_errors:
                count = len(preview.errors)
                raise DomainError(
                    ngettext(
                        "The file has %(count)s problem to fix; nothing was imported.",
                        "The file has %(count)s problems to fix; nothing was imported.",
                        count,
                    )
                    % {"count": count},
                    "import_has_errors",
                    details=preview,
                )
            return _write(preview, by=by)
    except IntegrityError as exc:
        raise DomainError(
            _(
                "Someone else saved a volunteer with one of these phone numbers (or a new skill) while "
                "the import ran. Nothing was imported; please try again."
            ),
            "import_conflict",
        ) from exc


def _write(preview: ImportPreview, *, by: User | None) -> ImportResult:
    creates = [row for row in preview.rows if row.status == CREATE]
    updates = [row for row in preview.rows if row.status == UPDATE]
    skills = _skills_by_key(row.parsed.skills for row in creates + updates if "skills" in row.parsed.given)
    through = Volunteer.skills.through
    now = timezone.now()

    created: list[Volunteer] = []
    for row in creates:
        volunteer = Volunteer(**_new_values(row))
        volunteer.refresh_keys()
        created.append(volunteer)
    Volunteer.objects.bulk_create(created, batch_size=QUERY_CHUNK)
    links = [
        through(volunteer_id=volunteer.pk, skill_id=skills[fold(name)].pk)
        for volunteer, row in zip(created, creates, strict=True)
        for name in row.parsed.skills
    ]

    befores: dict[int, dict[str, Any]] = {}
    updated: list[Volunteer] = []
    changed_fields: set[str] = set()
    reskilled: list[int] = []
    for row in updates:
        match = row.volunteer
        assert match is not None
        volunteer = match
        befores[volunteer.pk] = _snapshot(volunteer, [skill_id for skill_id, _ in row.skills_before])
        for change in row.changes:
            if change.field == "skills":
                reskilled.append(volunteer.pk)
                links.extend(
                    through(volunteer_id=volunteer.pk, skill_id=skills[fold(name)].pk)
                    for name in row.parsed.skills
                )
            else:
                setattr(volunteer, change.field, _new_values(row)[change.field])
                changed_fields.add(change.field)
        volunteer.refresh_keys()
        volunteer.updated_at = now
        updated.append(volunteer)
    if updated:
        Volunteer.objects.bulk_update(
            updated, sorted(changed_fields | {"search_key", "sort_key", "updated_at"}), batch_size=QUERY_CHUNK
        )
    if reskilled:
        through.objects.filter(volunteer_id__in=reskilled).delete()
    through.objects.bulk_create(links, batch_size=QUERY_CHUNK)

    skill_ids: dict[int, list[int]] = defaultdict(list)
    for link in links:
        skill_ids[link.volunteer_id].append(link.skill_id)
    for volunteer in created:
        log_action(
            actor=by,
            action="volunteer.create",
            obj=volunteer,
            unit=volunteer.unit,
            after=_snapshot(volunteer, skill_ids[volunteer.pk]),
        )
    for volunteer in updated:
        before = befores[volunteer.pk]
        kept = before["skills"] if volunteer.pk not in reskilled else skill_ids[volunteer.pk]
        log_action(
            actor=by,
            action="volunteer.update",
            obj=volunteer,
            unit=volunteer.unit,
            before=before,
            after=_snapshot(volunteer, kept),
        )
    unchanged = preview.counts[UNCHANGED]
    summary_unit = _common_unit([row.unit for row in preview.rows if row.unit is not None])
    if summary_unit is not None:
        log_action(
            actor=by,
            action="volunteer.import",
            obj=summary_unit,
            unit=summary_unit,
            after={
                "file": preview.filename,
                "rows": len(preview.rows),
                "created": len(created),
                "updated": len(updated),
                "unchanged": unchanged,
                "warnings": len(preview.warnings),
            },
        )
    return ImportResult(preview=preview, created=created, updated=updated, unchanged=unchanged)


def _snapshot(volunteer: Volunteer, skill_ids: Iterable[int]) -> dict[str, Any]:
    """services.VOLUNTEER_FIELDS as snapshot() writes them, with skills from memory (no query)."""
    data = snapshot(volunteer, SCALAR_FIELDS)
    return {name: sorted(skill_ids) if name == "skills" else data[name] for name in VOLUNTEER_FIELDS}


def _skills_by_key(names_per_row: Iterable[list[str]]) -> dict[str, Skill]:
    """Skills by folded name; the ones not known yet are created with a slug code."""
    wanted: dict[str, str] = {}
    for names in names_per_row:
        for name in names:
            wanted.setdefault(fold(name), name)
    if not wanted:
        return {}
    known: dict[str, Skill] = {}
    codes: set[str] = set()
    for skill in Skill.objects.all():
        known.setdefault(fold(skill.name), skill)
        known.setdefault(fold(skill.code.replace("-", " ")), skill)
        codes.add(skill.code)
    new: list[Skill] = []
    for key, name in wanted.items():
        if key in known:
            continue
        base = (slugify(key) or "skill")[:36].strip("-")
        code, suffix = base, 2
        while code in codes:
            code = f"{base}-{suffix}"
            suffix += 1
        codes.add(code)
        skill = Skill(code=code, name=name)
        known[key] = skill
        new.append(skill)
    Skill.objects.bulk_create(new)
    if new and any(skill.pk is None for skill in new):
        # Databases that cannot return primary keys from a bulk insert.
        saved = {skill.code: skill for skill in Skill.objects.filter(code__in=[s.code for s in new])}
        for skill in new:
            skill.pk = saved[skill.code].pk
    return {key: known[key] for key in wanted}


def _common_unit(units: Sequence[OrgUnit]) -> OrgUnit | None:
    """The lowest unit every given unit is in (or the first, when they share no root)."""
    if not units:
        return None
    by_path = {unit.path: unit for unit in units}
    paths = list(by_path)
    prefix = paths[0]
    for path in paths[1:]:
        while not path.startswith(prefix):
            prefix = prefix[: prefix.rstrip("/").rfind("/") + 1]
    if prefix in by_path:
        return by_path[prefix]
    return OrgUnit.objects.filter(path=prefix).first() or units[0]


# --- Report -------------------------------------------------------------------------------------


def report_lines(preview: ImportPreview) -> list[str]:
    """One line per problem by row number, then the summary (the command prints these)."""
    lines = [problem.message for problem in preview.problems]
    counts = preview.counts
    lines.append(
        _(
            "Summary: %(rows)s rows read; %(create)s to create, %(update)s to update, "
            "%(unchanged)s unchanged; %(errors)s errors, %(warnings)s warnings."
        )
        % {
            "rows": len(preview.rows),
            "create": counts[CREATE],
            "update": counts[UPDATE],
            "unchanged": counts[UNCHANGED],
            "errors": len(preview.errors),
            "warnings": len(preview.warnings),
        }
    )
    return lines


def result_line(result: ImportResult) -> str:
    return _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % {
        "created": len(result.created),
        "updated": len(result.updated),
        "unchanged": result.unchanged,
    }
