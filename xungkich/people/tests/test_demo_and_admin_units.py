from django.core.management import call_command

from xungkich.core.models import AuditEntry
from xungkich.people.demo import DEMO_PASSWORD
from xungkich.people.models import AdminUnit, OrgUnit, Role, User, Volunteer
from xungkich.rosters.models import ServicePoint


def test_migrations_ship_da_nang(db):
    assert AdminUnit.objects.filter(province__code="48").count() == 94
    assert AdminUnit.objects.get(code="20410").name == "Phường Hội An"
    assert AdminUnit.objects.get(code="48").kind == AdminUnit.Kind.PROVINCE


def test_load_demo_is_idempotent_and_prints_logins(db, capsys):
    call_command("load_demo")
    first = capsys.readouterr().out
    counts = (
        Volunteer.objects.count(),
        OrgUnit.objects.count(),
        User.objects.count(),
        ServicePoint.objects.count(),
    )
    call_command("load_demo")
    assert (
        Volunteer.objects.count(),
        OrgUnit.objects.count(),
        User.objects.count(),
        ServicePoint.objects.count(),
    ) == counts
    assert counts == (30, 9, 6, 1)
    for username in ("admin", "dieuphoi", "chidoan", "tinhnguyen", "kiosk", "xembaocao"):
        assert username in first
    assert DEMO_PASSWORD in first


def test_demo_has_one_login_per_role_and_the_team_in_its_units(db):
    call_command("load_demo")
    roles = {user.role for user in User.objects.filter(is_superuser=False)}
    assert roles == {Role.COORDINATOR, Role.UNIT_LEADER, Role.VOLUNTEER, Role.KIOSK, Role.VIEWER}
    hoian = OrgUnit.objects.get(name="Đoàn phường Hội An")
    assert hoian.admin_unit.code == "20410"
    assert Volunteer.objects.filter(unit__path__startswith=hoian.path).count() == 30
    assert Volunteer.objects.get(user__username="tinhnguyen").full_name == "Lê Minh Châu"
    assert User.objects.get(username="dieuphoi").check_password(DEMO_PASSWORD)
    point = ServicePoint.objects.get()
    assert point.unit == hoian
    assert sorted(point.patterns.values_list("name", flat=True)) == ["Chiều", "Sáng", "Sáng thứ Bảy"]


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
