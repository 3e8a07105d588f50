"""Words for the audit log: one label per action code, and labels for the keys of changed values.

Every code that ``log_action`` is called with has its label here (a test reads the source and
fails on a code without one). A label is a past-tense phrase, so the page reads as a sentence:
"Nguyễn Văn A đã điểm danh ra ca". A code without a label is shown as it is.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ACTION_LABELS: dict[str, Promise] = {
    # People, units, accounts
    "unit.create": _("created the unit"),
    "unit.update": _("changed the unit"),
    "volunteer.create": _("added the volunteer"),
    "volunteer.update": _("changed the volunteer's details"),
    "volunteer.import": _("imported a volunteer list"),
    "adminunit.import": _("loaded the list of administrative units"),
    "signup_link.publish": _("opened the unit's sign-up link"),
    "signup_link.renew": _("made a new sign-up link for the unit"),
    "signup_link.close": _("closed the unit's sign-up link"),
    "signup.request": _("asked to join through the unit's sign-up link"),
    "signup.approve": _("approved a sign-up request and made the account"),
    "signup.reject": _("rejected a sign-up request"),
    "signup.purge": _("deleted a rejected sign-up request after its retention period"),
    "auth.2fa_enabled": _("turned on two-step sign-in"),
    "auth.2fa_disabled": _("turned off two-step sign-in"),
    "auth.password_reset": _("set a new password"),
    "auth.backup_codes_created": _("made new backup codes for two-step sign-in"),
    "auth.backup_code_used": _("signed in with a backup code"),
    "auth.account_locked": _("locked the account after too many failed sign-ins"),
    "auth.address_locked": _("blocked a network address after too many failed sign-ins"),
    "account.invite": _("invited the volunteer to make an account"),
    "account.invite_resent": _("sent the volunteer a new invitation link"),
    "account.invite_unit": _("invited the unit's volunteers to make accounts"),
    "account.invite_revoked": _("cancelled the volunteer's invitation"),
    "account.invite_accepted": _("made their account from an invitation"),
    "account.role_changed": _("changed the account's role"),
    "account.deactivated": _("switched the account off"),
    "account.reactivated": _("switched the account back on"),
    "demo.load": _("loaded the demo data"),
    "setup.province": _("set up the province"),
    "api.token_created": _("created an API token"),
    "api.token_revoked": _("revoked an API token"),
    # Rosters: service points, patterns, periods
    "point.create": _("created the service point"),
    "point.update": _("changed the service point"),
    "point.rotate_checkin_token": _("replaced the check-in QR code of the service point"),
    "pattern.create": _("created the shift pattern"),
    "pattern.update": _("changed the shift pattern"),
    "pattern.activate": _("turned the shift pattern on"),
    "pattern.deactivate": _("turned the shift pattern off"),
    "closed_day.add": _("marked a day closed"),
    "closed_day.remove": _("reopened a closed day"),
    "period.create": _("created the roster period"),
    "period.publish": _("published the roster"),
    "period.refresh_shifts": _("updated the shifts of the roster period"),
    "period.solve": _("filled the roster automatically"),
    "period.solve_cancel": _("stopped the automatic roster filling"),
    # Rosters: assignments and attendance
    "assignment.add": _("put a volunteer on a shift"),
    "assignment.remove": _("took a volunteer off a shift"),
    "assignment.confirm": _("confirmed a shift"),
    "assignment.cant_come": _("said they cannot come to a shift"),
    "assignment.offer": _("offered a shift to others"),
    "assignment.take": _("took an open shift"),
    "assignment.swap": _("swapped a shift"),
    "assignment.remind": _("sent a shift reminder"),
    "assignment.flag": _("told the unit leaders about an unconfirmed shift"),
    "assignment.check_in": _("checked in to a shift"),
    "assignment.check_out": _("checked out of a shift"),
    "assignment.auto_check_out": _("checked the volunteer out at the end of the shift"),
    "assignment.no_show": _("marked a volunteer as not present"),
    "unavailability.add": _("added a time they cannot serve"),
    "unavailability.remove": _("removed a time they cannot serve"),
    "roster_profile.update": _("changed their shift preferences"),
    "calendar.rotate": _("made a new calendar link"),
    # Queue tickets
    "ticket.call": _("called a ticket"),
    "ticket.recall": _("called a ticket again"),
    "ticket.finish": _("finished serving a ticket"),
    "ticket.no_show": _("marked a ticket as not present"),
    "ticket.transfer": _("transferred a ticket"),
    # Help desk
    "helpdesk.session.create": _("recorded a help session"),
    "helpdesk.session.update": _("changed a help session"),
    "helpdesk.session.tracking": _("changed the follow-up of a help session"),
    "helpdesk.followup.answer": _("recorded a follow-up call"),
    "helpdesk.personal_data.show": _("viewed a citizen's contact details"),
    "helpdesk.personal_data.erase": _("erased a citizen's contact details"),
    "helpdesk.rating.create": _("received a citizen's rating"),
    "helpdesk.issue.post": _("reported a problem with a public service"),
    "helpdesk.issue.close": _("closed a reported problem"),
    # Guides and procedures
    "guide.create": _("created the guide"),
    "guide.save_draft": _("saved a draft of the guide"),
    "guide.publish": _("published the guide"),
    "guide.unpublish": _("withdrew the guide"),
    "guide.mark_reviewed": _("marked the guide as reviewed"),
    "procedure.import.create": _("added a procedure from an import"),
    "procedure.import.update": _("updated a procedure from an import"),
    "procedure.seed.create": _("added a procedure from the built-in list"),
    "procedure.seed.update": _("updated a procedure from the built-in list"),
    # Campaigns
    "campaign.create": _("created the campaign"),
    "campaign.update": _("changed the campaign"),
    "activity.create": _("recorded an activity"),
    "activity.update": _("changed an activity"),
    "activity.photo_add": _("added a photo to an activity"),
    "event.create": _("created the event"),
    "event.update": _("changed the event"),
    "registration.create": _("signed up for an event"),
    "registration.promote": _("moved a registration off the waiting list"),
    "registration.cancel": _("cancelled a registration"),
    "registration.check_in": _("checked a participant in at an event"),
    "registration.ticket_sent": _("sent an event ticket again to the phone it was registered with"),
    "registration.purge": _("erased old event registrations"),
    # Reports
    "reports.export_requested": _("asked for a report export"),
    "reports.figures_refreshed": _("recalculated the report figures"),
    "reports.export_file_deleted": _("deleted an old report file"),
}

# Keys of the changed values that are not a field of the object's model (or not always).
FIELD_LABELS: dict[str, Promise] = {
    "added": _("added"),
    "calls": _("calls"),
    "channels_changed": _("channels changed"),
    "check_in_at": _("checked in"),
    "check_out_at": _("checked out"),
    "checked_in_at": _("checked in"),
    "consent_version": _("consent version"),
    "created": _("created"),
    "cutoff": _("before"),
    "date": _("date"),
    "day": _("day"),
    "delivered_to": _("delivered to"),
    "desk": _("desk"),
    "did_online_alone": _("did it online alone"),
    "expires_at": _("link works until"),
    "from": pgettext_lazy("audit log: start of a date range", "from"),
    "height": _("height"),
    "invited": _("invited"),
    "is_active": _("active"),
    "kind": _("kind"),
    "late_minutes": _("minutes late"),
    "leaders": _("unit leaders"),
    "method": _("method"),
    "name": _("name"),
    "no_show": _("no-show"),
    "notifier": _("sent by"),
    "number": _("number"),
    "photo": _("photo"),
    "photos": _("photos"),
    "point": _("service point"),
    "procedures": _("procedures"),
    "provinces": _("provinces"),
    "reason": _("reason"),
    "registrations": _("registrations"),
    "reminded_at": _("reminded at"),
    "removed": _("removed"),
    "rotated": _("replaced"),
    "rows": _("rows"),
    "run": _("run"),
    "score": _("score"),
    "shift": _("shift"),
    "skipped": _("left out (a link still works)"),
    "slug": _("address"),
    "source": _("source"),
    "status": _("status"),
    "title": _("title"),
    "to": pgettext_lazy("audit log: end of a date range", "to"),
    "tracking_state": _("follow-up"),
    "two_factor": _("two-step sign-in"),
    "updated": _("updated"),
    "user": _("user"),
    "version": _("version"),
    "volunteer": _("volunteer"),
    "width": _("width"),
}


def action_label(code: str) -> str | Promise:
    """The words for an action code; the code itself when it has none."""
    return ACTION_LABELS.get(code, code)


def field_label(object_type: str, key: str) -> str:
    """A changed value's label: the model field's name, else the list above, else the key."""
    label: Any = None
    try:
        label = apps.get_model(object_type)._meta.get_field(key).verbose_name
    except (LookupError, ValueError, FieldDoesNotExist, AttributeError):
        label = FIELD_LABELS.get(key)
    return capfirst(label) if label is not None else key


def value_label(object_type: str, key: str, value: object) -> str:
    """A changed value for people: a choice by its label, else as ``display_value`` shows it."""
    try:
        field = apps.get_model(object_type)._meta.get_field(key)
    except (LookupError, ValueError, FieldDoesNotExist, AttributeError):
        field = None
    choices = getattr(field, "flatchoices", None)
    if choices and isinstance(value, str | int):
        label = dict(choices).get(value)
        if label is not None:
            return str(label)
    return display_value(value)


def display_value(value: object) -> str:
    """A stored value as a person reads it: times local dd/mm/yyyy HH:MM, dates dd/mm/yyyy, yes/no."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):
        return ", ".join(display_value(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {display_value(item)}" for key, item in value.items())
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        return _iso_text(value)
    return str(value)


def _iso_text(value: str) -> str:
    try:
        if len(value) == 10:
            return formats.date_format(dt.date.fromisoformat(value), "d/m/Y")
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "d/m/Y H:i")


@dataclass
class ReadableEntry:
    """One audit entry as the log page shows it."""

    entry: Any
    actor: str
    action: str
    changes: list[tuple[str, str, str]]


def readable(entry: Any, names: dict[tuple[str, str], dict[Any, str]] | None = None) -> ReadableEntry:
    """``entry`` (an AuditEntry) in people's words: who, did what, which values changed how.

    ``names`` gives the names of related objects stored by id (see ``related_names``).
    """
    actor = entry.actor_label if entry.actor_label not in {"", "system"} else str(_("The system"))
    names = names or {}
    changes = []
    for key, before, after in entry.changes():
        related = names.get((entry.object_type, key), {})
        shown = [
            (isinstance(v, int | str) and related.get(v)) or value_label(entry.object_type, key, v)
            for v in (before, after)
        ]
        if shown[0] != shown[1]:
            changes.append((field_label(entry.object_type, key), shown[0], shown[1]))
    return ReadableEntry(entry=entry, actor=actor, action=str(action_label(entry.action)), changes=changes)


def readable_page(entries: Iterable[Any]) -> list[ReadableEntry]:
    """``readable`` for a page of entries, with one query per kind of related object named by id."""
    entries = list(entries)
    wanted: dict[tuple[str, str], set[Any]] = defaultdict(set)
    for entry in entries:
        for key, before, after in entry.changes():
            wanted[(entry.object_type, key)].update(v for v in (before, after) if isinstance(v, int | str))
    names: dict[tuple[str, str], dict[Any, str]] = {}
    related: dict[type, dict[Any, str]] = {}
    for (object_type, key), ids in wanted.items():
        try:
            field = apps.get_model(object_type)._meta.get_field(key)
        except (LookupError, ValueError, FieldDoesNotExist):
            continue
        if not (field.many_to_one or field.one_to_one) or field.related_model is None:
            continue
        model = field.related_model
        known = related.setdefault(model, {})
        missing = [pk for pk in ids if pk not in known]
        if missing:
            try:
                found = model._default_manager.in_bulk(missing)
            except (ValueError, TypeError):  # an id of the wrong kind: shown as it is
                found = {}
            known.update({pk: str(obj) for pk, obj in found.items()})
        names[(object_type, key)] = known
    return [readable(entry, names) for entry in entries]


def action_choices() -> list[tuple[str, str]]:
    """(code, label) of every known action, by label: the log page's filter."""
    return sorted(((code, str(label)) for code, label in ACTION_LABELS.items()), key=lambda item: item[1])
