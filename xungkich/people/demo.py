"""Demo data: the Hội An team of 30 volunteers, its units, the first service point, one login per role.

Idempotent: running it again finds what is there, adds what is missing and resets the demo
passwords so that the printed logins always work. Every write goes through the services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from xungkich.people import services
from xungkich.people.models import AdminUnit, OrgUnit, Role, Skill, User, Volunteer
from xungkich.rosters import services as roster_services
from xungkich.rosters.models import ServicePoint

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

# (full name, gender, birth date, branch index, position, skills)
VOLUNTEERS: list[tuple[str, str, str, int, str, list[str]]] = [
    ("Nguyễn Văn An", "male", "2001-03-14", 0, "Bí thư Chi đoàn", ["senior", "vneid", "dvc"]),
    ("Trần Thị Bích Ngọc", "female", "2002-07-02", 0, "Phó Bí thư Chi đoàn", ["senior", "dvc", "payment"]),
    ("Lê Minh Châu", "female", "2003-11-20", 0, "Đoàn viên", ["vneid", "english"]),
    ("Phạm Quốc Dũng", "male", "2000-01-09", 0, "Đoàn viên", ["senior", "payment"]),
    ("Võ Thị Hoài Thương", "female", "2004-05-30", 0, "Đoàn viên", ["trainee"]),
    ("Huỳnh Tấn Phát", "male", "2002-09-18", 0, "Đoàn viên", ["vneid"]),
    ("Đặng Thị Thu Hà", "female", "2001-12-01", 1, "Bí thư Chi đoàn", ["senior", "vneid", "media"]),
    ("Bùi Văn Đức", "male", "2003-04-22", 1, "Đoàn viên", ["dvc"]),
    ("Ngô Thị Kim Oanh", "female", "2002-02-11", 1, "Đoàn viên", ["vneid", "payment"]),
    ("Dương Minh Khoa", "male", "2004-08-08", 1, "Đoàn viên", ["trainee", "english"]),
    ("Trương Thị Mỹ Duyên", "female", "2000-10-25", 1, "Ủy viên BCH Chi đoàn", ["senior", "dvc"]),
    ("Hồ Văn Lộc", "male", "2003-06-16", 1, "Đoàn viên", ["vneid"]),
    ("Phan Thị Thanh Tâm", "female", "2001-01-27", 2, "Bí thư Chi đoàn", ["senior", "dvc", "payment"]),
    ("Vũ Đình Nam", "male", "2002-03-03", 2, "Đoàn viên", ["vneid", "media"]),
    ("Đỗ Thị Lan Anh", "female", "2004-09-12", 2, "Đoàn viên", ["trainee"]),
    ("Lương Văn Hiếu", "male", "2000-07-07", 2, "Đoàn viên", ["senior", "vneid"]),
    ("Châu Thị Ngọc Hân", "female", "2003-12-19", 2, "Đoàn viên", ["english", "dvc"]),
    ("Mai Xuân Trường", "male", "2002-05-05", 2, "Đoàn viên", ["payment"]),
    ("Lâm Thị Thúy Vy", "female", "2001-08-30", 3, "Bí thư Chi đoàn", ["senior", "vneid", "dvc"]),
    ("Tô Văn Quang", "male", "2003-02-14", 3, "Đoàn viên", ["vneid"]),
    ("Cao Thị Hồng Nhung", "female", "2002-11-11", 3, "Đoàn viên", ["dvc", "payment"]),
    ("Nguyễn Hữu Thắng", "male", "2004-04-04", 3, "Đoàn viên", ["trainee", "media"]),
    ("Kiều Thị Yến", "female", "2000-06-21", 3, "Ủy viên BCH Chi đoàn", ["senior", "english"]),
    ("Thái Văn Sơn", "male", "2003-10-10", 3, "Đoàn viên", ["vneid"]),
    ("Lý Thị Quỳnh Như", "female", "2001-09-09", 4, "Bí thư Chi đoàn", ["senior", "vneid", "payment"]),
    ("Hoàng Văn Tùng", "male", "2002-12-24", 4, "Đoàn viên", ["dvc"]),
    ("Trịnh Thị Diệu Linh", "female", "2003-03-08", 4, "Đoàn viên", ["vneid", "english"]),
    ("Phùng Văn Hậu", "male", "2004-01-15", 4, "Đoàn viên", ["trainee"]),
    ("Đinh Thị Ánh Tuyết", "female", "2000-05-19", 4, "Đoàn viên", ["senior", "dvc"]),
    ("Tạ Quang Vinh", "male", "2002-08-26", 4, "Đoàn viên", ["media", "vneid"]),
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


@transaction.atomic
def load_demo() -> list[DemoLogin]:
    city = _unit("Thành đoàn Đà Nẵng", OrgUnit.Kind.CITY, None, "48")
    hoian = _unit("Đoàn phường Hội An", OrgUnit.Kind.BASE, city, "20410")
    _unit("Đoàn phường Hội An Đông", OrgUnit.Kind.BASE, city, "20413")
    _unit("Đoàn phường Hội An Tây", OrgUnit.Kind.BASE, city, "20401")
    branches = [_unit(name, OrgUnit.Kind.BRANCH, hoian, None) for name in BRANCHES]

    skills = {}
    for code, name in SKILLS:
        skills[code], _created = Skill.objects.get_or_create(code=code, defaults={"name": name})

    for index, (name, gender, born, branch, position, skill_codes) in enumerate(VOLUNTEERS, start=1):
        phone = f"+8490510{index:04d}"
        if Volunteer.objects.filter(phone=phone).exists():
            continue
        services.create_volunteer(
            by=None,
            data={
                "full_name": name,
                "gender": gender,
                "birth_date": dt.date.fromisoformat(born),
                "unit": branches[branch],
                "position": position,
                "phone": phone,
                "email": f"tnv{index:02d}@hoian.example",
                "joined_on": dt.date(2025, 3, 26),
            },
            skills=[skills[code] for code in skill_codes],
        )

    point = ServicePoint.objects.filter(unit=hoian).first()
    if point is None:
        point = roster_services.create_service_point(
            by=None,
            name="Trung tâm Phục vụ hành chính công phường Hội An",
            unit=hoian,
            kind=ServicePoint.Kind.CENTRE,
            admin_unit=_admin_unit("20410"),
            opening_hours="Thứ Hai – Thứ Sáu: 7:30–11:30, 13:30–17:00; Thứ Bảy: 7:30–11:30",
        )
    if not point.patterns.exists():
        for name, weekdays, start, end, demand in (
            ("Sáng", [1, 2, 3, 4, 5], dt.time(7, 30), dt.time(11, 30), 3),
            ("Chiều", [1, 2, 3, 4, 5], dt.time(13, 30), dt.time(17, 0), 3),
            ("Sáng thứ Bảy", [6], dt.time(7, 30), dt.time(11, 30), 2),
        ):
            roster_services.create_shift_pattern(
                by=None,
                point=point,
                name=name,
                weekdays=weekdays,
                start_time=start,
                end_time=end,
                demand=demand,
                skill_needs={"senior": 1},
            )

    _login("admin", Role.COORDINATOR, city, "Quản trị hệ thống", is_staff=True, is_superuser=True)
    _login("dieuphoi", Role.COORDINATOR, hoian, "Trần Thị Điều Phối")
    leader_user = _login("chidoan", Role.UNIT_LEADER, branches[0], "Nguyễn Văn An")
    Volunteer.objects.filter(phone="+84905100001", user__isnull=True).update(user=leader_user)
    volunteer_user = _login("tinhnguyen", Role.VOLUNTEER, branches[0], "Lê Minh Châu")
    Volunteer.objects.filter(phone="+84905100003", user__isnull=True).update(user=volunteer_user)
    _login("kiosk", Role.KIOSK, hoian, "Kiosk Trung tâm Hội An")
    _login("xembaocao", Role.VIEWER, city, "Ban Thường vụ Thành đoàn")

    return [
        DemoLogin("admin", "superuser", city.name),
        DemoLogin("dieuphoi", str(Role.COORDINATOR.label), hoian.name),
        DemoLogin("chidoan", str(Role.UNIT_LEADER.label), branches[0].name),
        DemoLogin("tinhnguyen", str(Role.VOLUNTEER.label), branches[0].name),
        DemoLogin("kiosk", str(Role.KIOSK.label), hoian.name),
        DemoLogin("xembaocao", str(Role.VIEWER.label), city.name),
    ]
