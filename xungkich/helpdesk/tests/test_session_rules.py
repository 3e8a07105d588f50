"""The pure rules of a help session input: no database."""

import pytest

from xungkich.core.errors import DomainError
from xungkich.helpdesk.services import SessionInput, check_session_input


class FakePoint:
    pk = 1


def data(**kwargs):
    kwargs.setdefault("point", FakePoint())
    return SessionInput(need=kwargs.pop("need", "account"), **kwargs)


def code_of(**kwargs):
    with pytest.raises(DomainError) as exc:
        check_session_input(data(**kwargs))
    return exc.value.code


def test_a_phone_without_consent_is_refused():
    assert code_of(followup_phone="0905 123 456") == "consent_required"


def test_consent_without_a_phone_asks_for_it():
    assert code_of(followup_consent=True) == "phone_required"


def test_the_phone_is_normalised_with_consent():
    checked = check_session_input(data(followup_consent=True, followup_phone="0905.123.456"))
    assert checked.followup_phone == "+84905123456"


def test_a_bad_phone_is_refused():
    assert code_of(followup_consent=True, followup_phone="12") == "invalid_phone"


def test_a_dossier_code_needs_its_own_consent():
    assert code_of(dossier_code="H36.22-260101-0001") == "consent_required"
    assert code_of(tracking_consent=True) == "dossier_code_required"


def test_a_failure_needs_a_reason_and_other_outcomes_drop_it():
    assert code_of(outcome="failed") == "reason_required"
    assert check_session_input(data(outcome="done", failure_reason="no_otp")).failure_reason == ""


def test_away_from_a_point_the_place_is_needed():
    assert code_of(point=None) == "point_required"
    assert code_of(point=None, place_kind="door_to_door") == "place_required"
    assert check_session_input(
        data(point=None, place_kind="door_to_door", place_text=" Thôn 3 ")
    ).place_text == ("Thôn 3")


def test_secret_in_notes_is_refused_and_identifiers_masked():
    assert code_of(notes="mật khẩu là Hoa@1234") == "secret_in_notes"
    checked = check_session_input(data(notes="Gọi lại số 0905123456"))
    assert "0905123456" not in checked.notes
    assert "[SĐT]" in checked.notes


def test_duration_must_be_sensible():
    assert code_of(duration_minutes=900) == "invalid_duration"
