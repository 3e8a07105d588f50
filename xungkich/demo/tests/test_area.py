"""The Hội An area of the demo: its units, volunteers, service points and logins."""

from xungkich.demo.area import DEMO_PASSWORD, demo_phone, load_demo
from xungkich.people.models import OrgUnit, Role, User, Volunteer
from xungkich.places.models import ServicePoint

LOGINS = ("admin", "dieuphoi", "chidoan", "tinhnguyen", "kiosk", "xembaocao")


def test_load_demo_is_idempotent(db):
    # The command (which adds the last weeks and prints the logins) is tested in test_history.
    load_demo()
    counts = (
        Volunteer.objects.count(),
        OrgUnit.objects.count(),
        User.objects.count(),
        ServicePoint.objects.count(),
    )
    load_demo()
    assert (
        Volunteer.objects.count(),
        OrgUnit.objects.count(),
        User.objects.count(),
        ServicePoint.objects.count(),
    ) == counts
    # The city, four units of the Hội An area and their 10 branches; six logins and an account
    # for each volunteer who has none of them; two centres' points per unit, a mobile desk.
    assert counts == (30, 15, 34, 5)


def test_demo_has_one_login_per_role_and_the_team_in_its_units(db):
    load_demo()
    roles = {user.role for user in User.objects.filter(is_superuser=False, username__in=LOGINS)}
    assert roles == {Role.COORDINATOR, Role.UNIT_LEADER, Role.VOLUNTEER, Role.KIOSK, Role.VIEWER}
    hoian = OrgUnit.objects.get(name="Đoàn phường Hội An")
    assert hoian.admin_unit.code == "20410"
    assert Volunteer.objects.filter(unit__path__startswith=hoian.path).count() == 12
    assert Volunteer.objects.get(user__username="tinhnguyen").full_name == "Lê Minh Châu"
    assert Volunteer.objects.get(user__username="chidoan").full_name == "Nguyễn Văn An"
    assert User.objects.get(username="dieuphoi").check_password(DEMO_PASSWORD)
    # The volunteers' own accounts cannot be signed in to: only the printed logins can.
    assert not User.objects.get(username="tnv02").has_usable_password()
    point = ServicePoint.objects.get(unit=hoian)
    assert sorted(point.patterns.values_list("name", flat=True)) == ["Chiều", "Sáng", "Sáng thứ Bảy"]
    mobile = ServicePoint.objects.get(kind=ServicePoint.Kind.MOBILE)
    assert mobile.unit.name == "Đoàn xã Tân Hiệp" and "Cù Lao Chàm" in mobile.name


def test_an_older_demo_is_brought_up_to_date(db):
    """Earlier demos put all 30 volunteers in Hội An with phones +84 905 10 xxxx: they move."""
    load_demo()
    volunteer = Volunteer.objects.get(phone=demo_phone(20))
    Volunteer.objects.filter(pk=volunteer.pk).update(
        phone="+84905100020", unit=OrgUnit.objects.get(name="Chi đoàn Minh An")
    )
    load_demo()
    volunteer.refresh_from_db()
    assert volunteer.phone == demo_phone(20) and volunteer.unit.name == "Chi đoàn Tân An"
    assert Volunteer.objects.count() == 30
