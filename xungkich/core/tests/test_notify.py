"""The notifier registry and the e-mail notifier (core/notify.py)."""

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from xungkich.core import notify


class RecordingNotifier:
    name = "recording"
    sent: list[dict] = []

    def send(self, *, to, subject, body, links=()):
        RecordingNotifier.sent.append({"to": to, "subject": subject, "body": body, "links": list(links)})
        return True


@pytest.fixture
def reachable(units, volunteer):
    volunteer.email = "an@example.vn"
    volunteer.save(update_fields=["email"])
    return volunteer


def test_default_notifier_is_email():
    assert isinstance(notify.get_notifier(), notify.EmailNotifier)


def test_notifier_setting_is_read_at_call_time():
    notify.register_notifier("recording", RecordingNotifier)
    with override_settings(XK_NOTIFIER="recording"):
        assert isinstance(notify.get_notifier(), RecordingNotifier)
    with override_settings(XK_NOTIFIER="xungkich.core.tests.test_notify.RecordingNotifier"):
        assert isinstance(notify.get_notifier(), RecordingNotifier)
    with override_settings(XK_NOTIFIER="sms"), pytest.raises(ImproperlyConfigured):
        notify.get_notifier()


def test_email_notifier_skips_people_without_an_address(volunteer):
    assert notify.EmailNotifier().send(to=volunteer, subject="x", body="y") is False
    assert mail.outbox == []


def test_email_notifier_appends_links(reachable):
    assert notify.EmailNotifier().send(
        to=reachable, subject="Nhắc\nlịch", body="Nội dung", links=[("Xác nhận", "http://x/1")]
    )
    (message,) = mail.outbox
    assert message.subject == "Nhắc lịch"
    assert message.to == ["an@example.vn"]
    assert "Xác nhận:\nhttp://x/1" in message.body
