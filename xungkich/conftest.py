"""Personas shared by every app's tests.

Tree: Thành đoàn Đà Nẵng → Đoàn phường Hội An → Chi đoàn Minh An
                        → Đoàn phường Hải Châu (the outsiders' unit)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from xungkich.people import services
from xungkich.people.models import OrgUnit, Role, User, Volunteer

PASSWORD = "Xk-test-pass-2026"  # noqa: S105 — test accounts only

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any) -> None:
    """Background tasks run inside the request in tests, so their effects can be asserted at once.

    Set here rather than from the environment: pytest-django configures Django before any conftest runs.
    """
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def units(db: None) -> dict[str, OrgUnit]:
    city = services.create_unit(by=None, name="Thành đoàn Đà Nẵng", kind=OrgUnit.Kind.CITY, parent=None)
    hoian = services.create_unit(by=None, name="Đoàn phường Hội An", kind=OrgUnit.Kind.BASE, parent=city)
    branch = services.create_unit(by=None, name="Chi đoàn Minh An", kind=OrgUnit.Kind.BRANCH, parent=hoian)
    other = services.create_unit(by=None, name="Đoàn phường Hải Châu", kind=OrgUnit.Kind.BASE, parent=city)
    return {"city": city, "hoian": hoian, "branch": branch, "other": other}


def _user(username: str, role: str, unit: OrgUnit | None, full_name: str) -> User:
    return User.objects.create_user(
        username=username, password=PASSWORD, role=role, unit=unit, full_name=full_name
    )


@pytest.fixture
def coordinator(units: dict[str, OrgUnit]) -> User:
    return _user("coord", Role.COORDINATOR, units["hoian"], "Trần Thị Điều Phối")


@pytest.fixture
def unit_leader(units: dict[str, OrgUnit]) -> User:
    return _user("leader", Role.UNIT_LEADER, units["branch"], "Lê Văn Trưởng")


@pytest.fixture
def viewer(units: dict[str, OrgUnit]) -> User:
    return _user("viewer", Role.VIEWER, units["hoian"], "Phạm Xem")


@pytest.fixture
def kiosk(units: dict[str, OrgUnit]) -> User:
    return _user("kiosk", Role.KIOSK, units["hoian"], "Kiosk Trung tâm")


@pytest.fixture
def outsider(units: dict[str, OrgUnit]) -> User:
    """A coordinator of another ward: sees nothing of Hội An."""
    return _user("outsider", Role.COORDINATOR, units["other"], "Ngô Người Ngoài")


@pytest.fixture
def volunteer_user(units: dict[str, OrgUnit]) -> User:
    user = _user("vol", Role.VOLUNTEER, units["branch"], "Nguyễn Văn An")
    services.create_volunteer(
        by=None,
        data={"full_name": "Nguyễn Văn An", "unit": units["branch"], "phone": "0905123456"},
    )
    Volunteer.objects.filter(phone="+84905123456").update(user=user)
    return user


@pytest.fixture
def volunteer(volunteer_user: User) -> Volunteer:
    return Volunteer.objects.get(user=volunteer_user)


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user, backend="xungkich.people.backends.UserBackend")
        return client

    return make
