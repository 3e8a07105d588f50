"""A point is seen within the user's visible units and managed within the managed ones."""

from __future__ import annotations

import pytest
from django.http import Http404

from xungkich.people.models import OrgUnit, User
from xungkich.places import services
from xungkich.places.access import get_point_for_user
from xungkich.places.models import ServicePoint


@pytest.fixture
def point(units: dict[str, OrgUnit]) -> ServicePoint:
    return services.create_service_point(by=None, name="Trung tâm Hội An", unit=units["hoian"])


def test_the_units_coordinator_manages_the_point(point: ServicePoint, coordinator: User) -> None:
    assert get_point_for_user(coordinator, point.pk) == (point, True)


def test_a_viewer_sees_the_point_without_managing_it(point: ServicePoint, viewer: User) -> None:
    assert get_point_for_user(viewer, point.pk) == (point, False)


def test_a_point_outside_the_users_units_is_not_found(point: ServicePoint, outsider: User) -> None:
    with pytest.raises(Http404):
        get_point_for_user(outsider, point.pk)
    with pytest.raises(Http404):
        get_point_for_user(outsider, point.pk + 1000)
