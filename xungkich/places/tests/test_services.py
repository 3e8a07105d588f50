"""Creating and changing a service point: names are cleaned and unique within a unit, and audited."""

from __future__ import annotations

import pytest

from xungkich.core.errors import DomainError
from xungkich.core.models import AuditEntry
from xungkich.people.models import OrgUnit
from xungkich.places import services
from xungkich.places.models import ClosedDay, ServicePoint


@pytest.fixture
def unit(units: dict[str, OrgUnit]) -> OrgUnit:
    return units["hoian"]


def test_create_cleans_the_name_and_audits_under_the_places_label(unit: OrgUnit) -> None:
    point = services.create_service_point(by=None, name="  Điểm   trực  A ", unit=unit)
    assert point.name == "Điểm trực A"
    entry = AuditEntry.objects.get(action="point.create")
    assert entry.object_type == "places.servicepoint" and entry.object_id == str(point.pk)


def test_a_unit_has_one_point_of_each_name(unit: OrgUnit) -> None:
    services.create_service_point(by=None, name="Điểm A", unit=unit)
    with pytest.raises(DomainError) as error:
        services.create_service_point(by=None, name="Điểm A", unit=unit)
    assert error.value.code == "point_duplicate"
    with pytest.raises(DomainError) as error:
        services.create_service_point(by=None, name="   ", unit=unit)
    assert error.value.code == "point_name_required"


def test_update_refuses_a_name_taken_in_the_unit(unit: OrgUnit) -> None:
    services.create_service_point(by=None, name="Điểm A", unit=unit)
    point = services.create_service_point(by=None, name="Điểm B", unit=unit)
    with pytest.raises(DomainError):
        services.update_service_point(by=None, point=point, name="Điểm A", kind=point.kind)
    services.update_service_point(
        by=None, point=point, name="Điểm C", kind=ServicePoint.Kind.MOBILE, is_active=False
    )
    point.refresh_from_db()
    assert (point.name, point.kind, point.is_active) == ("Điểm C", "mobile", False)
    assert AuditEntry.objects.filter(action="point.update", object_type="places.servicepoint").exists()


def test_the_models_keep_their_tables_from_the_rosters_app() -> None:
    """Moving the code must not move the data: existing databases keep these table names."""
    assert ServicePoint._meta.db_table == "rosters_servicepoint"
    assert ClosedDay._meta.db_table == "rosters_closedday"
