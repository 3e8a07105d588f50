"""Administrative units: the Đà Nẵng list shipped by a migration, and load_admin_units."""

from django.core.management import call_command

from xungkich.core.models import AuditEntry
from xungkich.people.models import AdminUnit


def test_migrations_ship_da_nang(db):
    assert AdminUnit.objects.filter(province__code="48").count() == 94
    assert AdminUnit.objects.get(code="20410").name == "Phường Hội An"
    assert AdminUnit.objects.get(code="48").kind == AdminUnit.Kind.PROVINCE


def test_load_admin_units_from_an_official_csv(db, tmp_path, capsys):
    path = tmp_path / "danh-muc.csv"
    path.write_text(
        "Mã TP,Tỉnh / Thành Phố,Mã XP,Phường/Xã,Cấp\n"
        "01,Thành phố Hà Nội,4,Phường Ba Đình,Phường\n"
        "48,Thành phố Đà Nẵng,20410,Phường Hội An,Phường\n",
        encoding="utf-8-sig",
    )
    call_command("load_admin_units", str(path), "--province", "01")
    assert "Đã đọc 1 đơn vị: 2 tạo mới, 0 cập nhật." in capsys.readouterr().out
    ba_dinh = AdminUnit.objects.get(code="00004")
    assert (ba_dinh.name, ba_dinh.kind, ba_dinh.province.name) == (
        "Phường Ba Đình",
        "ward",
        "Thành phố Hà Nội",
    )
    assert AuditEntry.objects.filter(action="adminunit.import").count() == 1


def test_load_admin_units_refuses_a_bad_file_and_writes_nothing(db, tmp_path):
    import pytest
    from django.core.management.base import CommandError

    path = tmp_path / "bad.csv"
    path.write_text("Mã TP,Tỉnh / Thành Phố,Mã XP,Phường/Xã\n01,Hà Nội,,Phường Ba Đình\n", encoding="utf-8")
    before = AdminUnit.objects.count()
    with pytest.raises(CommandError):
        call_command("load_admin_units", str(path))
    assert AdminUnit.objects.count() == before


def test_load_admin_units_reads_the_shipped_list_of_a_province(db, capsys):
    call_command("load_admin_units", "--province", "46")
    assert "Đã đọc 40 đơn vị: 41 tạo mới, 0 cập nhật." in capsys.readouterr().out
    assert AdminUnit.objects.get(code="46").name == "Thành phố Huế"
    assert AdminUnit.objects.filter(province__code="46").count() == 40
    # Loading again changes nothing: the command is safe to run for updates.
    call_command("load_admin_units", "--province", "46")
    assert "0 tạo mới, 0 cập nhật." in capsys.readouterr().out


def test_load_admin_units_names_a_province_that_does_not_ship(db):
    import pytest
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="mã tỉnh «99»"):
        call_command("load_admin_units", "--province", "99")
