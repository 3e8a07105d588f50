import pytest

from xungkich.core.errors import DomainError
from xungkich.core.models import AuditEntry
from xungkich.people import services
from xungkich.people.models import OrgUnit


def test_subtree_follows_the_tree(units):
    names = set(units["hoian"].subtree().values_list("name", flat=True))
    assert names == {"Đoàn phường Hội An", "Chi đoàn Minh An"}
    assert units["branch"].is_within(units["city"])
    assert not units["other"].is_within(units["hoian"])


def test_moving_a_unit_moves_its_descendants(units):
    services.update_unit(
        by=None,
        unit=units["hoian"],
        name="Đoàn phường Hội An",
        kind=OrgUnit.Kind.BASE,
        parent=units["other"],
        admin_unit=None,
    )
    branch = OrgUnit.objects.get(pk=units["branch"].pk)
    assert branch.path.startswith(OrgUnit.objects.get(pk=units["other"].pk).path)
    assert branch.depth == 3
    assert set(units["other"].subtree().values_list("name", flat=True)) == {
        "Đoàn phường Hải Châu",
        "Đoàn phường Hội An",
        "Chi đoàn Minh An",
    }


def test_a_unit_cannot_move_under_itself(units):
    with pytest.raises(DomainError) as exc:
        services.update_unit(
            by=None,
            unit=units["hoian"],
            name="Đoàn phường Hội An",
            kind=OrgUnit.Kind.BASE,
            parent=units["branch"],
            admin_unit=None,
        )
    assert exc.value.code == "unit_cycle"
    assert OrgUnit.objects.get(pk=units["hoian"].pk).parent_id == units["city"].pk


def test_duplicate_sibling_names_are_refused(units):
    with pytest.raises(DomainError) as exc:
        services.create_unit(by=None, name="  Chi đoàn   Minh An ", kind="branch", parent=units["hoian"])
    assert exc.value.code == "unit_duplicate"


def test_names_are_stored_nfc_and_every_write_is_audited(units, coordinator):
    unit = services.create_unit(
        by=coordinator, name="Chi đoa\u0300n Ca\u0302\u0309m Pho\u0302", kind="branch", parent=units["hoian"]
    )
    assert unit.name == "Chi đoàn Cẩm Phô"
    entry = AuditEntry.objects.get(action="unit.create", object_id=str(unit.pk))
    assert entry.actor == coordinator
    assert entry.after["name"] == "Chi đoàn Cẩm Phô"
    assert entry.unit == unit
