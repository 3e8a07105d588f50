"""Every action code the code base writes has a readable label; the log page shows people words."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import override

from xungkich.core import audit_labels
from xungkich.core.audit import log_action
from xungkich.core.models import AuditEntry

ROOT = Path(__file__).resolve().parents[2]  # the xungkich package
# Helpers that pass an action code on to log_action: (function name, position of the code, prefix).
FORWARDERS = {"_save": (2, ""), "_audit": (1, ""), "_move": (None, "ticket.")}
TICKET_AUDIT_FILE = ROOT / "tickets" / "services.py"


def _string(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _branches(node: ast.AST) -> list[ast.AST]:
    """Both sides of ``"a.on" if on else "a.off"``."""
    if isinstance(node, ast.IfExp):
        return [*_branches(node.body), *_branches(node.orelse)]
    return [node]


def written_action_codes() -> tuple[set[str], list[str]]:
    """The action codes in the source (literal codes and the families built from parts), and every
    action built in a way this reader does not know (which the test reports, to be added here)."""
    codes: set[str] = set()
    unknown: list[str] = []
    for path in sorted(ROOT.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Name) and target.id.endswith("_ACTION") and _string(node.value):
                    codes.add(_string(node.value))  # type: ignore[arg-type]
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name == "upsert_procedures":  # its action is the start of a code (see BUILT_CODES)
                continue
            values: list[ast.AST] = [kw.value for kw in node.keywords if kw.arg == "action"]
            position = FORWARDERS.get(name, (None, ""))[0]
            if position is not None and len(node.args) > position:
                values.append(node.args[position])
            values = [part for value in values for part in _branches(value)]
            for value in values:
                text = _string(value)
                prefix = "ticket." if path == TICKET_AUDIT_FILE and name in {"_audit", "_move"} else ""
                if text is not None:
                    if "." in text or prefix:
                        codes.add(prefix + text)
                elif isinstance(value, ast.JoinedStr):
                    unknown.append(f"{path.relative_to(ROOT)}:{value.lineno} {ast.unparse(value)}")
    return codes, unknown


# Codes built from parts: the f-string where they are built, and what it can give.
BUILT_CODES = {
    "tickets/services.py f'ticket.{action}'": {
        "ticket.call",
        "ticket.recall",
        "ticket.finish",
        "ticket.no_show",
        "ticket.transfer",
    },
    "catalogue/services.py f'{action}.create' / f'{action}.update'": {
        "procedure.import.create",
        "procedure.import.update",
        "procedure.seed.create",
        "procedure.seed.update",
    },
}
KNOWN_BUILT = {"tickets/services.py", "catalogue/services.py"}


def test_every_action_code_written_in_the_code_has_a_label():
    codes, built = written_action_codes()
    assert {
        "assignment.check_out",
        "reports.export_requested",
        "volunteer.import",
        "assignment.flag",
    } <= codes
    assert {line.split(":")[0] for line in built} <= KNOWN_BUILT, built
    for family in BUILT_CODES.values():
        codes |= family
    missing = sorted(code for code in codes if code not in audit_labels.ACTION_LABELS)
    assert missing == []


def test_labels_are_translated_and_unknown_codes_fall_back_to_the_code():
    with override("vi"):
        assert str(audit_labels.action_label("assignment.check_out")) == "đã điểm danh ra ca"
        assert audit_labels.action_label("something.new") == "something.new"
    with override("en"):
        assert str(audit_labels.action_label("assignment.check_out")) == "checked out of a shift"


def test_the_log_page_shows_sentences_translated_fields_and_local_times(client_for, coordinator, volunteer):
    entry = log_action(
        actor=coordinator,
        action="assignment.check_out",
        obj=volunteer,
        unit=volunteer.unit,
        before={"check_out_at": None, "status": "confirmed"},
        after={"check_out_at": "2026-03-02T04:30:00+00:00", "status": "done"},
    )
    AuditEntry.objects.filter(pk=entry.pk).update(at=dt.datetime(2026, 3, 2, 4, 31, tzinfo=dt.UTC))
    page = client_for(coordinator).get(reverse("core:audit_list")).content.decode()
    assert "Trần Thị Điều Phối đã điểm danh ra ca" in page
    assert "02/03/2026 11:31" in page  # the entry's time, in Viet Nam
    assert "02/03/2026 11:30" in page  # a time among the changed values, in Viet Nam too
    assert "+00:00" not in page
    assert "Giờ ra ca" in page
    assert "check_out_at" not in page
    assert "<code>assignment.check_out</code>" not in page


@pytest.mark.parametrize(("key", "label"), [("from", "Từ ngày"), ("to", "Đến ngày"), ("rows", "Số dòng")])
def test_keys_without_a_model_field_get_labels_too(key, label):
    with override("vi"):
        assert audit_labels.field_label("reports.reportexport", key) == label


def test_model_fields_use_their_own_names_and_choices():
    from xungkich.reports.models import ReportExport

    with override("vi"):
        kind = ReportExport._meta.get_field("kind")
        assert audit_labels.field_label("reports.reportexport", "kind") == capfirst(kind.verbose_name)
        assert audit_labels.value_label("reports.reportexport", "kind", "xlsx") == str(
            dict(kind.flatchoices)["xlsx"]
        )
        assert audit_labels.value_label("reports.reportexport", "kind", "odd") == "odd"
        assert audit_labels.value_label("reports.reportexport", "from", "2026-03-01") == "01/03/2026"
        assert audit_labels.value_label("x.y", "on", True) == "có"


def test_related_objects_are_named_and_empty_to_empty_is_left_out(client_for, coordinator, units):
    from xungkich.people import services

    services.create_unit(by=coordinator, name="Chi đoàn Cẩm Nam", kind="branch", parent=units["hoian"])
    services.create_volunteer(by=coordinator, data={"full_name": "Lê Văn Lọc", "unit": units["branch"]})
    response = client_for(coordinator).get(reverse("core:audit_list"))
    rows = {row.entry.object_repr: row for row in response.context["rows"]}
    assert ("Đơn vị cấp trên", "—", "Đoàn phường Hội An") in rows["Chi đoàn Cẩm Nam"].changes
    volunteer_changes = rows["Lê Văn Lọc"].changes
    assert ("Đơn vị", "—", "Chi đoàn Minh An") in volunteer_changes
    assert all(before != after for _label, before, after in volunteer_changes)
    assert "Email" not in [label for label, _before, _after in volunteer_changes]


def test_the_log_page_query_count_does_not_grow_with_entries(client_for, coordinator, units):
    from xungkich.people import services

    client = client_for(coordinator)
    client.get(reverse("core:audit_list"))  # the session and the user are loaded once
    for number in range(12):
        services.create_unit(by=coordinator, name=f"Chi đoàn {number}", kind="branch", parent=units["hoian"])
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("core:audit_list"))
    services.create_unit(by=coordinator, name="Chi đoàn thêm", kind="branch", parent=units["hoian"])
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("core:audit_list"))
    assert len(more) == len(many)
