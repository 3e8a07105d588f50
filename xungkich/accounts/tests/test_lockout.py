"""Lock-outs beyond one user name and address: per account (any addresses) and per address (spraying)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from xungkich.conftest import PASSWORD
from xungkich.core.models import AuditEntry


def _login(username: str, password: str, address: str, client: Client | None = None):
    client = client or Client()
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def with_email(coordinator):
    coordinator.email = "dieuphoi@example.vn"
    coordinator.save(update_fields=["email"])
    return coordinator


def test_failures_from_many_addresses_lock_the_account(with_email):
    limit = settings.XK_ACCOUNT_FAILURE_LIMIT
    assert limit == 10
    for n in range(limit - 1):
        assert _login("coord", "wrong-password", f"10.0.0.{n + 1}").status_code == 200
    assert _login("coord", "wrong-password", f"10.0.0.{limit}").status_code == 429
    # The right password from a fresh address is refused too, with the Vietnamese page.
    client = Client()
    response = _login("coord", PASSWORD, "10.9.9.9", client)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
    content = response.content.decode()
    assert 'lang="vi"' in content and "Tạm thời chưa thể đăng nhập" in content
    # The owner hears of it once, and the lock is in the audit log.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dieuphoi@example.vn"]
    assert "coord" in message.body and str(limit) in message.body
    entry = AuditEntry.objects.get(action="auth.account_locked")
    assert entry.object_id == str(with_email.pk)
    assert entry.after["failures"] >= limit


def test_many_user_names_from_one_address_lock_that_address(coordinator, unit_leader):
    limit = settings.XK_ADDRESS_FAILURE_LIMIT
    assert limit == 20
    for n in range(limit - 1):
        assert _login(f"nguoi{n}", "wrong-password", "203.0.113.7").status_code == 200
    assert _login(f"nguoi{limit}", "wrong-password", "203.0.113.7").status_code == 429
    # That address is refused for a real account with the right password…
    assert _login("leader", PASSWORD, "203.0.113.7").status_code == 429
    # …while other addresses sign in as usual.
    assert _login("leader", PASSWORD, "203.0.113.8").status_code == 302
    assert AuditEntry.objects.filter(action="auth.address_locked").count() == 1
    assert mail.outbox == []  # no account owner to tell: the address was locked


def test_own_account_success_does_not_clear_the_address_count(coordinator, unit_leader):
    for n in range(15):
        _login(f"nguoi{n}", "wrong-password", "203.0.113.7")
    assert _login("leader", PASSWORD, "203.0.113.7").status_code == 302
    for n in range(15, 20):
        _login(f"nguoi{n}", "wrong-password", "203.0.113.7")
    assert _login("coord", PASSWORD, "203.0.113.7").status_code == 429


def test_the_owner_is_told_once_per_lock(with_email):
    for n in range(settings.XK_ACCOUNT_FAILURE_LIMIT + 5):
        _login("coord", "wrong-password", f"10.0.1.{n + 1}")
    assert len(mail.outbox) == 1
    assert AuditEntry.objects.filter(action="auth.account_locked").count() == 1
