"""Demo data: the Hội An area's four units, 30 volunteers, their service points, one login per role.

Idempotent: running it again finds what is there, adds what is missing (or moves a volunteer an
older demo put elsewhere) and resets the demo passwords so that the printed logins always work.
Every write goes through the services. The weeks of activity come from ``history``.

Nothing here is real: the phone numbers are from the all-zero range +84 900 000 xxx, e-mail
addresses are under ``.example`` and there are no ID numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from xungkich.people import services
from xungkich.people.models import AdminUnit, OrgUnit, Role, Skill, User, Volunteer
from xungkich.places import services as point_services
from xungkich.places.models import ServicePoint
from xungkich.rosters import services as roster_services

DEMO_PASSWORD = "hoian-2026"  # noqa: S105 — printed on purpose: demo logins only.

SKILLS = [
    ("senior", "Có kinh nghiệm"),
    ("trainee", "Học việc"),
    ("vneid", "Hỗ trợ VNeID"),
    ("dvc", "Nộp hồ sơ trực tuyến"),
    ("payment", "Thanh toán trực tuyến"),
    ("english", "Tiếng Anh"),
    ("media", "Truyền thông"),
]

BRANCHES = [
    "Chi đoàn Minh An",
    "Chi đoàn Cẩm Phô",
    "Chi đoàn Sơn Phong",
    "Chi đoàn Cẩm Nam",
    "Chi đoàn Cẩm Kim",
]

# The four units of the former Hội An city since 1/7/2025 (DOMAIN.md; codes of admin_units_48.csv):
# (Youth Union unit, administrative unit code, its branches).
HOIAN, HOIAN_DONG, HOIAN_TAY, TAN_HIEP = (
    "Đoàn phường Hội An",
    "Đoàn phường Hội An Đông",
    "Đoàn phường Hội An Tây",
    "Đoàn xã Tân Hiệp",
)
AREA: list[tuple[str, str, list[str]]] = [
    (HOIAN, "20410", BRANCHES),
    (HOIAN_DONG, "20413", ["Chi đoàn Cẩm Châu", "Chi đoàn Cửa Đại"]),
    (HOIAN_TAY, "20401", ["Chi đoàn Tân An", "Chi đoàn Cẩm Hà"]),
    (TAN_HIEP, "20434", ["Chi đoàn thôn Bãi Làng"]),
]

# (full name, gender, birth date, (unit index in AREA, branch index), position, skills)
VOLUNTEERS: list[tuple[str, str, str, tuple[int, int], str, list[str]]] = [
    ("Nguyễn Văn An", "male", "2001-03-14", (0, 0), "Bí thư Chi đoàn", ["senior", "vneid", "dvc"]),
    (
        "Trần Thị Bích Ngọc",
        "female",
        "2002-07-02",
        (0, 0),
        "Phó Bí thư Chi đoàn",
        ["senior", "dvc", "payment"],
    ),
    ("Lê Minh Châu", "female", "2003-11-20", (0, 0), "Đoàn viên", ["vneid", "english"]),
    ("Phạm Quốc Dũng", "male", "2000-01-09", (0, 0), "Đoàn viên", ["senior", "payment"]),
    ("Võ Thị Hoài Thương", "female", "2004-05-30", (0, 0), "Đoàn viên", ["trainee"]),
    ("Huỳnh Tấn Phát", "male", "2002-09-18", (0, 0), "Đoàn viên", ["vneid"]),
    ("Đặng Thị Thu Hà", "female", "2001-12-01", (0, 1), "Bí thư Chi đoàn", ["senior", "vneid", "media"]),
    ("Bùi Văn Đức", "male", "2003-04-22", (0, 1), "Đoàn viên", ["dvc"]),
    ("Ngô Thị Kim Oanh", "female", "2002-02-11", (0, 1), "Đoàn viên", ["vneid", "payment"]),
    ("Dương Minh Khoa", "male", "2004-08-08", (0, 1), "Đoàn viên", ["trainee", "english"]),
    ("Trương Thị Mỹ Duyên", "female", "2000-10-25", (0, 1), "Ủy viên BCH Chi đoàn", ["senior", "dvc"]),
    ("Hồ Văn Lộc", "male", "2003-06-16", (0, 1), "Đoàn viên", ["vneid"]),
    ("Phan Thị Thanh Tâm", "female", "2001-01-27", (1, 0), "Bí thư Chi đoàn", ["senior", "dvc", "payment"]),
    ("Vũ Đình Nam", "male", "2002-03-03", (1, 0), "Đoàn viên", ["vneid", "media"]),
    ("Đỗ Thị Lan Anh", "female", "2004-09-12", (1, 0), "Đoàn viên", ["trainee"]),
    ("Lương Văn Hiếu", "male", "2000-07-07", (1, 0), "Đoàn viên", ["senior", "vneid"]),
    ("Châu Thị Ngọc Hân", "female", "2003-12-19", (1, 1), "Đoàn viên", ["english", "dvc"]),
    ("Mai Xuân Trường", "male", "2002-05-05", (1, 1), "Đoàn viên", ["payment"]),
    ("Lâm Thị Thúy Vy", "female", "2001-08-30", (1, 1), "Bí thư Chi đoàn", ["senior", "vneid", "dvc"]),
    ("Tô Văn Quang", "male", "2003-02-14", (2, 0), "Đoàn viên", ["vneid"]),
    ("Cao Thị Hồng Nhung", "female", "2002-11-11", (2, 0), "Đoàn viên", ["dvc", "payment"]),
    ("Nguyễn Hữu Thắng", "male", "2004-04-04", (2, 0), "Đoàn viên", ["trainee", "media"]),
    ("Kiều Thị Yến", "female", "2000-06-21", (2, 0), "Ủy viên BCH Chi đoàn", ["senior", "english"]),
    ("Thái Văn Sơn", "male", "2003-10-10", (2, 1), "Đoàn viên", ["vneid"]),
    ("Lý Thị Quỳnh Như", "female", "2001-09-09", (2, 1), "Bí thư Chi đoàn", ["senior", "vneid", "payment"]),
    ("Hoàng Văn Tùng", "male", "2002-12-24", (2, 1), "Đoàn viên", ["dvc"]),
    ("Trịnh Thị Diệu Linh", "female", "2003-03-08", (3, 0), "Đoàn viên", ["vneid", "english"]),
    ("Phùng Văn Hậu", "male", "2004-01-15", (3, 0), "Đoàn viên", ["trainee"]),
    ("Đinh Thị Ánh Tuyết", "female", "2000-05-19", (3, 0), "Bí thư Chi đoàn", ["senior", "dvc"]),
    ("Tạ Quang Vinh", "male", "2002-08-26", (3, 0), "Đoàn viên", ["media", "vneid"]),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    unit: str


def _admin_unit(code: str) -> AdminUnit | None:
    return AdminUnit.objects.filter(code=code).first()


def _unit(name: str, kind: str, parent: OrgUnit | None, admin_code: str | None) -> OrgUnit:
    existing = OrgUnit.objects.filter(name=name, parent=parent).first()
    if existing:
        return existing
    return services.create_unit(
        by=None,
        name=name,
        kind=kind,
        parent=parent,
        admin_unit=_admin_unit(admin_code) if admin_code else None,
    )


def _login(username: str, role: str, unit: OrgUnit | None, full_name: str, **extra: bool) -> User:
    user, _created = User.objects.get_or_create(
        username=username, defaults={"role": role, "unit": unit, "full_name": full_name, **extra}
    )
    user.role, user.unit, user.full_name = role, unit, full_name
    for key, value in extra.items():
        setattr(user, key, value)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


# (unit, point name, kind, address, opening hours, patterns: (name, weekdays, start, end, demand, needs))
PatternRow = tuple[str, list[int], dt.time, dt.time, int, dict[str, int]]
MORNING, AFTERNOON = (dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 30), dt.time(17, 0))
WEEKDAY_HOURS = "Thứ Hai – Thứ Sáu: 7:30–11:30, 13:30–17:00"
POINTS: list[tuple[str, str, str, str, str, list[PatternRow]]] = [
    (
        HOIAN,
        "Trung tâm Phục vụ hành chính công phường Hội An",
        ServicePoint.Kind.CENTRE,
        "",
        WEEKDAY_HOURS + "; Thứ Bảy: 7:30–11:30",
        [
            ("Sáng", [1, 2, 3, 4, 5], *MORNING, 3, {"senior": 1}),
            ("Chiều", [1, 2, 3, 4, 5], *AFTERNOON, 3, {"senior": 1}),
            ("Sáng thứ Bảy", [6], *MORNING, 2, {"senior": 1}),
        ],
    ),
    (
        HOIAN_DONG,
        "Trung tâm Phục vụ hành chính công phường Hội An Đông",
        ServicePoint.Kind.CENTRE,
        "",
        WEEKDAY_HOURS,
        [
            ("Sáng", [1, 2, 3, 4, 5], *MORNING, 2, {"senior": 1}),
            ("Chiều", [1, 2, 3, 4, 5], *AFTERNOON, 1, {}),
        ],
    ),
    (
        HOIAN_TAY,
        "Trung tâm Phục vụ hành chính công phường Hội An Tây",
        ServicePoint.Kind.CENTRE,
        "",
        WEEKDAY_HOURS,
        [
            ("Sáng", [1, 2, 3, 4, 5], *MORNING, 2, {"senior": 1}),
            ("Chiều", [1, 2, 3, 4, 5], *AFTERNOON, 1, {}),
        ],
    ),
    (
        TAN_HIEP,
        "Trung tâm Phục vụ hành chính công xã Tân Hiệp",
        ServicePoint.Kind.CENTRE,
        "",
        "Thứ Hai – Thứ Sáu: 7:30–11:30",
        [("Sáng", [1, 2, 4, 5], *MORNING, 1, {})],
    ),
    (
        TAN_HIEP,
        "Bàn hỗ trợ lưu động Bãi Làng – Cù Lao Chàm",
        ServicePoint.Kind.MOBILE,
        "Nhà văn hóa thôn Bãi Làng, Cù Lao Chàm",
        "Thứ Tư: 7:30–11:30",
        [("Sáng thứ Tư", [3], *MORNING, 2, {})],
    ),
]


def demo_phone(index: int) -> str:
    """Volunteer ``index``'s phone number: +84 900 000 0xx, an all-zero range nobody is given."""
    return f"+84900000{index:03d}"


def _old_demo_phone(index: int) -> str:
    return f"+8490510{index:04d}"  # what earlier versions of the demo used


def _volunteer_account(volunteer: Volunteer, index: int) -> User:
    """The volunteer's own account (help sessions are recorded under it); it has no password."""
    if volunteer.user is not None:
        return volunteer.user
    user, created = User.objects.get_or_create(
        username=f"tnv{index:02d}",
        defaults={"role": Role.VOLUNTEER, "unit": volunteer.unit, "full_name": volunteer.full_name},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Volunteer.objects.filter(pk=volunteer.pk).update(user=user)
    volunteer.user = user
    return user


@transaction.atomic
def load_demo() -> list[DemoLogin]:
    city = _unit("Thành đoàn Đà Nẵng", OrgUnit.Kind.CITY, None, "48")
    bases: list[OrgUnit] = []
    branches_of: list[list[OrgUnit]] = []
    for name, admin_code, branch_names in AREA:
        base = _unit(name, OrgUnit.Kind.BASE, city, admin_code)
        bases.append(base)
        branches_of.append([_unit(branch, OrgUnit.Kind.BRANCH, base, None) for branch in branch_names])
    hoian, branches = bases[0], branches_of[0]

    skills = {}
    for code, name in SKILLS:
        skills[code], _created = Skill.objects.get_or_create(code=code, defaults={"name": name})

    for index, (name, gender, born, (base_index, branch), position, skill_codes) in enumerate(
        VOLUNTEERS, start=1
    ):
        unit = branches_of[base_index][branch]
        data: dict[str, Any] = {
            "full_name": name,
            "gender": gender,
            "birth_date": dt.date.fromisoformat(born),
            "unit": unit,
            "position": position,
            "phone": demo_phone(index),
            "email": f"tnv{index:02d}@hoian.example",
            "joined_on": dt.date(2025, 3, 26),
        }
        existing = Volunteer.objects.filter(phone__in=[demo_phone(index), _old_demo_phone(index)]).first()
        if existing is None:
            services.create_volunteer(by=None, data=data, skills=[skills[code] for code in skill_codes])
        elif (existing.unit_id, existing.phone, existing.position) != (
            unit.pk,
            demo_phone(index),
            position,
        ):  # an older demo: same person, now in the unit and range of this one
            services.update_volunteer(by=None, volunteer=existing, data=data)

    for unit_name, point_name, kind, address, hours, patterns in POINTS:
        unit = bases[[row[0] for row in AREA].index(unit_name)]
        point = ServicePoint.objects.filter(unit=unit, name=point_name).first()
        if point is None:
            point = point_services.create_service_point(
                by=None,
                name=point_name,
                unit=unit,
                kind=kind,
                address=address,
                admin_unit=unit.admin_unit,
                opening_hours=hours,
            )
        if point.patterns.exists():
            continue
        for pattern_name, weekdays, start, end, demand, needs in patterns:
            roster_services.create_shift_pattern(
                by=None,
                point=point,
                name=pattern_name,
                weekdays=weekdays,
                start_time=start,
                end_time=end,
                demand=demand,
                skill_needs=needs,
            )

    _login("admin", Role.COORDINATOR, city, "Quản trị hệ thống", is_staff=True, is_superuser=True)
    _login("dieuphoi", Role.COORDINATOR, hoian, "Trần Thị Điều Phối")
    leader_user = _login("chidoan", Role.UNIT_LEADER, branches[0], "Nguyễn Văn An")
    Volunteer.objects.filter(phone=demo_phone(1), user__isnull=True).update(user=leader_user)
    volunteer_user = _login("tinhnguyen", Role.VOLUNTEER, branches[0], "Lê Minh Châu")
    Volunteer.objects.filter(phone=demo_phone(3), user__isnull=True).update(user=volunteer_user)
    _login("kiosk", Role.KIOSK, hoian, "Kiosk Trung tâm Hội An")
    _login("xembaocao", Role.VIEWER, city, "Ban Thường vụ Thành đoàn")
    for index in range(1, len(VOLUNTEERS) + 1):
        volunteer = Volunteer.objects.select_related("user", "unit").get(phone=demo_phone(index))
        _volunteer_account(volunteer, index)

    return [
        DemoLogin("admin", "superuser", city.name),
        DemoLogin("dieuphoi", str(Role.COORDINATOR.label), hoian.name),
        DemoLogin("chidoan", str(Role.UNIT_LEADER.label), branches[0].name),
        DemoLogin("tinhnguyen", str(Role.VOLUNTEER.label), branches[0].name),
        DemoLogin("kiosk", str(Role.KIOSK.label), hoian.name),
        DemoLogin("xembaocao", str(Role.VIEWER.label), city.name),
    ]
