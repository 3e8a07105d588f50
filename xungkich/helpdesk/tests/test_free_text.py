"""Every free-text field a person types passes through the privacy screen and has a length limit.

The models are walked, not listed from memory: a new CharField or TextField fails
``test_every_text_field_is_screened_or_explained`` until it is either screened (xungkich/core/free_text.py)
or added to ``NOT_FREE_TEXT`` below with the reason.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from django import forms
from django.apps import apps
from django.db import models

from xungkich.accounts import signup_forms
from xungkich.api.services import create_token
from xungkich.campaigns import forms as campaign_forms
from xungkich.core.fields import ScreenedTextField
from xungkich.core.free_text import SCREENED
from xungkich.helpdesk import forms as helpdesk_forms
from xungkich.helpdesk.models import HelpSession
from xungkich.helpdesk.tests.conftest import make_session
from xungkich.people import forms as people_forms
from xungkich.reports.export_files import session_columns
from xungkich.reports.exporters import write_csv
from xungkich.rosters.mine import forms as forms_mine
from xungkich.rosters.plan import forms as forms_plan

# Text fields that are not free text, each with the reason. Everything else must be screened.
NOT_FREE_TEXT: dict[str, dict[str, str]] = {
    "accounts.Invitation": {"digest": "written by the system"},
    "accounts.SignupLink": {"token": "written by the system"},
    "accounts.SignupRequest": {
        "full_name": "a person's name, given with consent to join (names are not screened)",
        "phone": "contact number given with consent to join, normalised to E.164",
        "email": "contact address given with consent to join",
        "gender": "a choice",
        "username": "the account name the person chooses, checked by the user name validator",
        "password_hash": "Django's password hash, written by the system",
        "consent_version": "written by the system",
        "status": "a choice",
    },
    "api.ApiToken": {
        "name": "a label an administrator gives a token in the admin",
        "digest": "written by the system",
        "prefix": "written by the system",
    },
    "api.IdempotencyKey": {
        "client": "the client's address, written by the system",
        "key": "a client's request key (API header), not shown to people",
        "request_hash": "written by the system",
    },
    "campaigns.Event": {"code": "written by the system", "audience": "a choice"},
    "campaigns.Registration": {
        "full_name": "a person's name, given with consent for the event (names are not screened)",
        "phone": "contact number given with consent for the event, normalised to E.164",
        "status": "a choice",
        "token": "written by the system",
        "code": "written by the system",
        "consent_version": "written by the system",
        "consent_text": "the consent words shown, written by the system",
        "search_key": "derived from the name",
    },
    "campaigns.Activity": {"kind": "a choice"},
    "core.AuditEntry": {
        "actor_label": "written by the system",
        "action": "written by the system",
        "object_type": "written by the system",
        "object_id": "written by the system",
        "object_repr": "written by the system",
    },
    # The procedure catalogue and the guides are editorial content, imported from the national
    # portal or written and reviewed by coordinators for publication; a guide may show an example
    # number on purpose. They are about procedures, never about a person.
    "catalogue.Procedure": {
        "code": "catalogue",
        "name": "catalogue",
        "field": "catalogue",
        "level": "a choice",
        "agency": "catalogue",
        "online_mode": "a choice",
        "summary": "catalogue",
        "legal_basis": "catalogue",
        "official_url": "catalogue",
        "source": "catalogue",
    },
    "catalogue.SubmissionChannel": {
        "kind": "a choice",
        "processing_time": "catalogue",
        "notes": "catalogue",
    },
    "catalogue.Fee": {"description": "catalogue"},
    "search.SearchDocument": {
        "kind": "a choice",
        "code": "search index, derived",
        "title": "search index, derived",
        "url": "search index, derived",
        "body": "search index, derived",
        "title_toned": "search index, derived",
        "title_folded": "search index, derived",
        "aliases_toned": "search index, derived",
        "aliases_folded": "search index, derived",
        "body_folded": "search index, derived",
    },
    "search.SearchToken": {"token": "search index, derived"},
    "guides.Guide": {
        "slug": "a web address",
        "status": "a choice",
        "title": "editorial guide",
        "seed_digest": "written by the system",
    },
    "guides.GuideVersion": {"title": "editorial guide"},
    "guides.GuideProcedureReview": {"fingerprint": "written by the system"},
    "helpdesk.HelpSession": {
        "place_kind": "a choice",
        "need": "a choice",
        "channel": "a choice",
        "outcome": "a choice",
        "failure_reason": "a choice",
        "age_band": "a choice",
        "gender": "a choice",
        "performed_by": "a choice",
        "tracking_consent_version": "written by the system",
        "dossier_code": "kept apart, with consent to follow the dossier; erased on request",
        "tracking_state": "a choice",
    },
    "helpdesk.FollowUp": {
        "phone": "kept with consent for one call, normalised to E.164, purged after retention",
        "consent_version": "written by the system",
        "status": "a choice",
    },
    "helpdesk.KnownIssue": {
        "scope_path": "written by the system",
        "channel": "a choice",
    },
    # Names of the organisation's own units, places and plans, typed by coordinators and shown as
    # labels; public facts about the organisation, not notes about a person.
    "people.AdminUnit": {
        "code": "official reference data",
        "name": "official reference data",
        "kind": "a choice",
    },
    "people.OrgUnit": {
        "name": "name of a Youth Union unit",
        "kind": "a choice",
        "path": "written by the system",
    },
    "people.User": {
        "password": "a password hash, written by the system",
        "username": "an account name",
        "first_name": "a person's name",
        "last_name": "a person's name",
        "email": "the account's own address, for password resets",
        "full_name": "a person's name",
        "role": "a choice",
        "language": "a choice",
    },
    "people.Skill": {"code": "a code", "name": "name of a skill"},
    "people.Volunteer": {
        "full_name": "a person's name",
        "gender": "a choice",
        "phone": "the volunteer's own number, kept to reach them, normalised to E.164",
        "email": "the volunteer's own address",
        "search_key": "derived from the name",
        "sort_key": "derived from the name",
    },
    "reports.DailyFigure": {"source": "system", "metric": "system", "key": "system"},
    "reports.RollupFigure": {"grain": "system", "metric": "system", "key": "system"},
    "reports.PendingChange": {"source": "system"},
    "reports.RollupMark": {"name": "system"},
    "reports.ReportExport": {
        "kind": "a choice",
        "status": "a choice",
        "file_name": "system",
        "error": "system",
    },
    "places.ServicePoint": {
        "name": "name of a service point",
        "kind": "a choice",
        "address": "the service point's public address",
        "opening_hours": "the service point's public opening hours",
        "checkin_token": "written by the system",
    },
    "rosters.ShiftPattern": {"name": "name of a shift (Morning, Afternoon)"},
    "rosters.RosterPeriod": {"name": "name of a roster period", "status": "a choice"},
    "rosters.Shift": {
        "code": "written by the system",
        "name": "name of a shift, from its pattern",
        "unfilled_code": "written by the solver",
        "unfilled_reason": "written by the solver",
    },
    "rosters.RosterProfile": {"calendar_token": "written by the system"},
    "rosters.Unavailability": {"kind": "a choice"},
    "rosters.Assignment": {"status": "a choice", "source": "a choice"},
    "tickets.Ticket": {
        "need": "a choice",
        "source": "a choice",
        "status": "a choice",
        "desk": "a desk label of at most 30 characters (tickets.services.clean_desk), chosen from Bàn 1-8",
        "public_token": "written by the system",
    },
}

# The forms through which people type each screened field.
FORMS: dict[tuple[str, str], list[type[forms.BaseForm]]] = {
    ("helpdesk.HelpSession", "place_text"): [helpdesk_forms.HelpSessionForm],
    ("helpdesk.HelpSession", "procedure_code"): [helpdesk_forms.HelpSessionForm],
    ("helpdesk.HelpSession", "procedure_name"): [helpdesk_forms.HelpSessionForm],
    ("helpdesk.HelpSession", "notes"): [helpdesk_forms.HelpSessionForm],
    ("helpdesk.Rating", "comment"): [helpdesk_forms.RatingForm],
    ("helpdesk.KnownIssue", "title"): [helpdesk_forms.KnownIssueForm],
    ("helpdesk.KnownIssue", "workaround"): [helpdesk_forms.KnownIssueForm],
    ("campaigns.Campaign", "name"): [campaign_forms.CampaignForm],
    ("campaigns.Campaign", "description"): [campaign_forms.CampaignForm],
    ("campaigns.Activity", "title"): [campaign_forms.ActivityForm],
    ("campaigns.Activity", "address"): [campaign_forms.ActivityForm],
    ("campaigns.Activity", "notes"): [campaign_forms.ActivityForm],
    ("campaigns.Event", "title"): [campaign_forms.EventForm],
    ("campaigns.Event", "description"): [campaign_forms.EventForm],
    ("campaigns.Event", "place"): [campaign_forms.EventForm],
    ("campaigns.Registration", "unit_text"): [campaign_forms.SignUpForm],
    ("people.Volunteer", "position"): [people_forms.VolunteerForm],
    ("people.Volunteer", "notes"): [people_forms.VolunteerForm],
    ("accounts.SignupRequest", "reason"): [signup_forms.RejectForm],
    ("rosters.Unavailability", "note"): [forms_mine.OneOffForm, forms_mine.WeeklyForm],
    ("places.ClosedDay", "reason"): [forms_plan.ClosedDayForm],
    ("rosters.Assignment", "reason"): [forms_mine.ReasonForm, forms_mine.OfferForm],
}

ENTRIES = [(label, name, form) for (label, name), classes in FORMS.items() for form in classes]


def _text_fields() -> list[tuple[str, str]]:
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("xungkich."):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.CharField | models.TextField) and field.concrete:
                found.append((model._meta.label, field.name))
    return found


def test_every_text_field_is_screened_or_explained():
    unexplained = [
        (label, name)
        for label, name in _text_fields()
        if name not in SCREENED.get(label, {}) and name not in NOT_FREE_TEXT.get(label, {})
    ]
    assert unexplained == []
    both = [
        (label, name)
        for label, names in SCREENED.items()
        for name in names
        if name in NOT_FREE_TEXT.get(label, {})
    ]
    assert both == []
    known = set(_text_fields())
    assert {(label, name) for label, names in SCREENED.items() for name in names} <= known
    assert {(label, name) for label, names in NOT_FREE_TEXT.items() for name in names} <= known


def test_every_screened_field_has_its_forms():
    assert set(FORMS) == {(label, name) for label, names in SCREENED.items() for name in names}


@pytest.mark.parametrize(
    ("label", "name"), [(label, name) for label, names in SCREENED.items() for name in names]
)
def test_the_model_field_carries_the_limit(label, name):
    field = apps.get_model(label)._meta.get_field(name)
    assert field.max_length == SCREENED[label][name]


@pytest.mark.parametrize(("label", "name", "form_class"), ENTRIES)
def test_the_form_field_screens_and_caps_the_text(label, name, form_class):
    limit = SCREENED[label][name]
    field = form_class.base_fields[name]
    assert isinstance(field, ScreenedTextField), (form_class.__name__, name)
    assert field.max_length == limit
    assert str(limit) in str(field.help_text)
    assert field.widget.attrs.get("maxlength") == str(limit)
    with pytest.raises(forms.ValidationError) as refused:
        field.clean("mật\u200bkhẩu: Hoa@1975")
    assert refused.value.error_list[0].code == "secret_in_notes"
    with pytest.raises(forms.ValidationError) as refused:
        field.clean("mã 482913 gửi về điện thoại")
    assert refused.value.error_list[0].code == "secret_in_notes"
    assert field.clean("Gọi 0905\u200b123 456") == "Gọi [SĐT]"
    with pytest.raises(forms.ValidationError) as too_long:
        field.clean("a" * (limit + 1))
    assert too_long.value.error_list[0].code == "max_length"


# --- the help desk, end to end: form, API, and the CSV export a read-only viewer downloads ------


def _bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user=user)}"}


def _post(client, user, body):
    return client.post(
        "/api/v1/help-sessions", json.dumps(body), content_type="application/json", **_bearer(user)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["place_text", "procedure_name", "procedure_code"])
@pytest.mark.parametrize("secret", ["mật khẩu: Hoa@1975", "O\u200bTP 482913", "tin nhắn SMS: 482913"])
def test_the_api_refuses_a_secret_in_place_and_procedure(client, volunteer_user, point, name, secret):
    body = {"service_point": point.pk, "need": "account", "place_kind": "door_to_door", "place_text": "Tổ 3"}
    body[name] = secret
    response = _post(client, volunteer_user, body)
    assert response.status_code == 400
    assert response.json()["code"] == "secret_in_notes"
    assert not HelpSession.objects.exists()


@pytest.mark.django_db
def test_the_api_masks_identifiers_in_place_and_procedure_and_they_never_reach_the_csv(
    client, volunteer_user, point
):
    response = _post(
        client,
        volunteer_user,
        {
            "service_point": point.pk,
            "need": "dossier",
            "place_kind": "door_to_door",
            "place_text": "nhà bác Hòa, sđt 0905\u200b123 456",
            "procedure_name": "Cấp lại CCCD 048190012345",
            "notes": "Bác\u00ad Hòa",
        },
    )
    assert response.status_code == 201, response.json()
    session = HelpSession.objects.get()
    assert session.place_text == response.json()["place_text"] == "nhà bác Hòa, sđt [SĐT]"
    assert session.procedure_name == "Cấp lại CCCD [CCCD]"
    assert session.notes == "Bác Hòa"  # the invisible soft hyphen is not stored
    columns = session_columns()
    records = HelpSession.objects.values(*[c.name for c in columns])
    out = io.StringIO()
    write_csv(out, columns=columns, records=records)
    rows = list(csv.reader(io.StringIO(out.getvalue().lstrip("\ufeff"))))
    assert "Cấp lại CCCD [CCCD]" in rows[1]
    assert "048190012345" not in out.getvalue() and "0905" not in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "limit"), [("notes", 2000), ("place_text", 200), ("procedure_name", 300), ("procedure_code", 30)]
)
def test_the_api_caps_free_text_and_publishes_the_limit(client, volunteer_user, point, name, limit):
    body = {"service_point": point.pk, "need": "account", name: "a" * (limit + 1)}
    response = _post(client, volunteer_user, body)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and name in response.json()["message"]
    assert not HelpSession.objects.exists()
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["HelpSessionIn"]
    assert schema["properties"][name]["maxLength"] == limit


@pytest.mark.django_db
def test_the_service_caps_text_that_does_not_come_through_a_form(volunteer_user, point):
    from xungkich.core.errors import DomainError
    from xungkich.helpdesk.services import SessionInput, check_session_input

    with pytest.raises(DomainError) as caught:
        check_session_input(SessionInput(need="account", point=point, notes="1 " * 100_000))
    assert caught.value.code == "text_too_long"


@pytest.mark.django_db
def test_the_desk_form_refuses_a_secret_in_the_place(client_for, volunteer_user, point):
    from django.urls import reverse

    response = client_for(volunteer_user).post(
        reverse("helpdesk:session_new"),
        {
            "point": point.pk,
            "place_kind": "door_to_door",
            "place_text": "Tổ 3, mk: hoa1975",
            "need": "account",
            "channel": "vneid",
            "outcome": "done",
            "performed_by": "guided",
        },
    )
    assert response.status_code == 200
    assert "place_text" in response.context["form"].errors
    assert not HelpSession.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_text_longer_than_the_new_limits_survives_the_migration(volunteer_user, point):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    session = make_session(volunteer_user, point, notes="Ghi chú cũ")
    long_notes = "Ghi chú rất dài. " * 300  # 5,100 characters, written before the limit
    HelpSession.objects.filter(pk=session.pk).update(notes=long_notes, place_text="Tổ 3 " * 30)
    executor = MigrationExecutor(connection)
    executor.migrate([("helpdesk", "0003_idempotencykey_moved_to_api")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("helpdesk", "0004_free_text_limits")])
    try:
        session.refresh_from_db(fields=["notes", "place_text"])  # the columns of 0004's state
        assert session.notes == long_notes
        assert session.place_text == "Tổ 3 " * 30
    finally:  # the next tests find the database as the code expects it
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
