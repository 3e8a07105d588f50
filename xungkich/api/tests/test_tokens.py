import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from xungkich.api import services
from xungkich.api.models import ApiToken
from xungkich.core.models import AuditEntry


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_command_prints_a_token_that_signs_in(coordinator):
    out = io.StringIO()
    call_command("create_api_token", "coord", "--name", "dashboard", stdout=out)
    token = out.getvalue().strip()
    assert token.startswith("xk_")
    row = ApiToken.objects.get()
    assert row.digest == services.digest_of(token) and token not in row.digest
    response = Client().get("/api/v1/me", **bearer(token))
    assert response.status_code == 200
    assert response.json() == {
        "username": "coord",
        "full_name": "Trần Thị Điều Phối",
        "role": "coordinator",
        "unit": "Đoàn phường Hội An",
    }
    assert AuditEntry.objects.filter(action="api.token_created").count() == 1


def test_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="nobody"):
        call_command("create_api_token", "nobody")


@pytest.mark.parametrize("header", [{}, bearer("xk_wrong"), {"HTTP_AUTHORIZATION": "Token abc"}])
def test_missing_or_wrong_token_is_401_with_a_code(db, header):
    response = Client().get("/api/v1/me", **header)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
    assert response.json()["message"] == "Cần một mã truy cập API hợp lệ."


def test_error_message_is_vietnamese_unless_english_is_asked(db):
    vi = Client().get("/api/v1/me").json()["message"]
    en = Client().get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en").json()["message"]
    assert en == "A valid API token is required."
    assert vi != en


def test_revoked_token_and_inactive_user_are_refused(coordinator, volunteer_user):
    revoked = services.create_token(user=coordinator)
    services.revoke_token(token_row=ApiToken.objects.get(user=coordinator), by=coordinator)
    assert Client().get("/api/v1/me", **bearer(revoked)).status_code == 401
    inactive = services.create_token(user=volunteer_user)
    volunteer_user.is_active = False
    volunteer_user.save(update_fields=["is_active"])
    assert Client().get("/api/v1/me", **bearer(inactive)).status_code == 401


def test_last_used_is_recorded_without_a_write_per_request(coordinator, django_assert_num_queries):
    token = services.create_token(user=coordinator)
    Client().get("/api/v1/me", **bearer(token))
    first = ApiToken.objects.get().last_used_at
    assert first is not None and first <= timezone.now()
    with django_assert_num_queries(1):  # the token lookup only
        Client().get("/api/v1/me", **bearer(token))
    assert ApiToken.objects.get().last_used_at == first


def test_schema_and_ping_need_no_token(db):
    schema = Client().get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/me" in schema.json()["paths"]
    assert Client().get("/api/v1/ping").json() == {"ok": True}
