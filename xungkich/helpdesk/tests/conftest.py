"""Help desk test data: the centre of Hội An, tickets, sessions."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import pytest
from django.utils import timezone

from xungkich.helpdesk import services
from xungkich.helpdesk.models import HelpSession
from xungkich.people.models import AdminUnit, OrgUnit, User
from xungkich.places.models import ServicePoint
from xungkich.tickets.models import Ticket


@pytest.fixture
def point(units: dict[str, OrgUnit]) -> ServicePoint:
    return ServicePoint.objects.create(name="Trung tâm Hành chính công Hội An", unit=units["hoian"])


@pytest.fixture
def other_point(units: dict[str, OrgUnit]) -> ServicePoint:
    return ServicePoint.objects.create(name="Trung tâm Hải Châu", unit=units["other"])


@pytest.fixture
def ward() -> AdminUnit:
    return AdminUnit.objects.get(code="20410")


_numbers = iter(range(1, 10_000))


def make_ticket(point: ServicePoint, **kwargs: Any) -> Ticket:
    now = timezone.now()
    data = {
        "point": point,
        "day": timezone.localdate(),
        "number": next(_numbers),
        "need": "account",
        "status": Ticket.Status.SERVING,
        "called_at": now - dt.timedelta(minutes=12),
        "public_token": secrets.token_urlsafe(32),
    }
    data.update(kwargs)
    return Ticket.objects.create(**data)


@pytest.fixture
def ticket(point: ServicePoint) -> Ticket:
    return make_ticket(point)


def make_session(by: User, point: ServicePoint | None, **kwargs: Any) -> HelpSession:
    data = services.SessionInput(need=kwargs.pop("need", "account"), point=point, **kwargs)
    return services.create_help_session(by=by, data=data)


@pytest.fixture
def session(volunteer_user: User, point: ServicePoint) -> HelpSession:
    return make_session(volunteer_user, point, notes="Cài VNeID cho bác")


def post_data(**kwargs: Any) -> dict[str, Any]:
    """The desk form's minimal valid answers, with ``kwargs`` on top."""
    data: dict[str, Any] = {
        "place_kind": "point",
        "need": "account",
        "channel": "vneid",
        "outcome": "done",
        "performed_by": "guided",
    }
    data.update(kwargs)
    return data
