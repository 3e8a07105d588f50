"""Demo data: the last few weeks of the Hội An area, relative to the day it is loaded.

A roster period per unit (the past three weeks, this week and the next) with its assignments,
check-ins, check-outs and a few no-shows; the queue tickets, help sessions and ratings of every
day the service points were open; a "Tháng cao điểm" campaign per unit with its activities; an
upcoming event with sign-ups; known issues. Everything is written through the services, replayed
on a simulated clock (``_Clock``) so that tickets, audit entries and report marks carry the times
they would have had; the report rollups are refreshed at the end.

Deterministic: one seeded ``random.Random`` decides everything, so the same day and volume give the
same records. Idempotent: the load is recorded in the audit log (action ``demo.load``); loading
again the same day with the same volume changes nothing, loading on a later day (or with another
volume) deletes the previous demo weeks and replays them up to the new day.

Marked as demo data: the roster periods, campaigns and event carry "dữ liệu mẫu" in their names.
Nothing here is real: names of citizens never appear, phone numbers are from the all-zero range
+84 900 000 xxx and notes hold no identifiers (the tests run every text through the privacy screen).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from xungkich.campaigns import services as campaign_services
from xungkich.campaigns.models import Activity, Campaign, Event, Registration
from xungkich.core.audit import log_action
from xungkich.core.models import AuditEntry
from xungkich.demo.area import AREA, POINTS, VOLUNTEERS, demo_phone
from xungkich.helpdesk import services as helpdesk_services
from xungkich.helpdesk.models import (
    AgeBand,
    Channel,
    FailureReason,
    HelpSession,
    KnownIssue,
    Outcome,
    PerformedBy,
    PlaceKind,
    Rating,
)
from xungkich.people.models import OrgUnit, User, Volunteer
from xungkich.places.models import ServicePoint
from xungkich.reports import rollups
from xungkich.reports.models import PendingChange
from xungkich.rosters import services as roster_services
from xungkich.rosters.attendance import services as attendance
from xungkich.rosters.models import Assignment, RosterPeriod, Shift
from xungkich.rosters.plan import planning
from xungkich.tickets import services as ticket_services
from xungkich.tickets.models import Need, Ticket, TicketCounter

DEMO_MARK = "dữ liệu mẫu"
SEED = 20250701  # the day the two-tier local government began
LOAD_ACTION = "demo.load"
PAST_WEEKS = 3

# Tickets on an ordinary weekday at each point (volume 1); Saturdays see fewer people.
DAILY_TICKETS = {
    "Trung tâm Phục vụ hành chính công phường Hội An": 30,
    "Trung tâm Phục vụ hành chính công phường Hội An Đông": 16,
    "Trung tâm Phục vụ hành chính công phường Hội An Tây": 14,
    "Trung tâm Phục vụ hành chính công xã Tân Hiệp": 6,
    "Bàn hỗ trợ lưu động Bãi Làng – Cù Lao Chàm": 14,
}
SATURDAY_SHARE = 0.5

NEEDS = [
    (Need.ACCOUNT, 30),
    (Need.DOSSIER, 25),
    (Need.LOOKUP, 12),
    (Need.APP, 10),
    (Need.PAYMENT, 8),
    (Need.DEVICE, 8),
    (Need.OTHER, 7),
]
# Procedures of the catalogue (xungkich/catalogue/data/procedures.json) people come with most.
PROCEDURES: dict[str, list[str]] = {
    Need.DOSSIER: [
        "1.004222",  # Đăng ký thường trú
        "1.004194",  # Đăng ký tạm trú
        "1.001193",  # Đăng ký khai sinh
        "1.000894",  # Đăng ký kết hôn
        "1.004873",  # Xác nhận tình trạng hôn nhân
        "3.000333",  # Cấp phiếu lý lịch tư pháp
        "1.001456",  # Cấp hộ chiếu phổ thông
        "1.014137",  # Cấp thẻ bảo hiểm y tế
        "2.000815",  # Chứng thực bản sao từ bản chính
    ],
    Need.LOOKUP: ["1.010041", "2.000635", "1.004222"],
    Need.PAYMENT: ["C08_XPHCDB", "1.004194"],
}
CHANNELS: dict[str, list[str]] = {
    Need.ACCOUNT: [Channel.VNEID],
    Need.APP: [Channel.VNEID],
    Need.DOSSIER: [Channel.NATIONAL, Channel.NATIONAL, Channel.POLICE, Channel.PROVINCIAL],
    Need.LOOKUP: [Channel.NATIONAL, Channel.PROVINCIAL],
    Need.PAYMENT: [Channel.NATIONAL],
    Need.DEVICE: [Channel.NONE],
    Need.OTHER: [Channel.NONE, Channel.NATIONAL],
}
FAILURES: dict[str, list[str]] = {
    Need.ACCOUNT: [
        FailureReason.NO_NFC,
        FailureReason.CHIP_NOT_READ,
        FailureReason.SIM_NOT_OWN,
        FailureReason.NO_OTP,
        FailureReason.NO_CHIP_CARD,
    ],
    Need.APP: [FailureReason.NO_NFC, FailureReason.FORGOT_PASSWORD],
    Need.DOSSIER: [FailureReason.MISSING_PAPERS, FailureReason.SYSTEM_ERROR, FailureReason.FORGOT_PASSWORD],
    Need.LOOKUP: [FailureReason.FORGOT_PASSWORD, FailureReason.SYSTEM_ERROR],
    Need.PAYMENT: [FailureReason.SYSTEM_ERROR, FailureReason.NO_OTP],
    Need.DEVICE: [FailureReason.OTHER],
    Need.OTHER: [FailureReason.OTHER],
}
OUTCOMES = [(Outcome.DONE, 74), (Outcome.PARTIAL, 9), (Outcome.REFERRED, 5), (Outcome.FAILED, 12)]
AGE_BANDS = [(AgeBand.A18_35, 22), (AgeBand.A36_59, 38), (AgeBand.A60_PLUS, 32), (AgeBand.UNDER_18, 3)]
AGE_BANDS += [(AgeBand.UNKNOWN, 5)]
SCORES = [(5, 56), (4, 27), (3, 10), (2, 4), (1, 3)]

# Free text as volunteers and citizens write it, without any identifier.
NOTES = [
    "Người dân chưa nhớ mật khẩu, đã hướng dẫn đặt lại trên ứng dụng.",
    "Điện thoại không có NFC, hẹn quay lại cùng máy của con.",
    "Hướng dẫn chụp giấy tờ rõ nét trước khi nộp hồ sơ.",
    "Cổng dịch vụ công chậm lúc đầu giờ, nộp lại thành công sau đó.",
    "Người cao tuổi, cần hướng dẫn từng bước và ghi lại cách làm ra giấy.",
    "Đã hướng dẫn tra cứu tình trạng hồ sơ trên Cổng Dịch vụ công.",
    "Thiếu bản chụp giấy tờ, hẹn bổ sung vào buổi sau.",
    "Hướng dẫn thanh toán lệ phí bằng ứng dụng ngân hàng.",
]
COMMENTS = [
    "Các bạn hướng dẫn rất nhiệt tình.",
    "Cảm ơn các em, làm nhanh và dễ hiểu.",
    "Phải chờ hơi lâu nhưng được hỗ trợ chu đáo.",
    "Nên có thêm bàn hỗ trợ vào buổi sáng.",
    "Rất hài lòng, lần sau tôi tự làm được.",
    "Mạng chậm nên phải làm lại mấy lần.",
]
ISSUES = [
    (
        "VNeID không đọc được chip trên một số điện thoại Android đời cũ",
        Channel.VNEID,
        "Tháo ốp lưng, áp thẻ vào giữa mặt sau máy và giữ yên vài giây; nếu vẫn lỗi, dùng máy có NFC khác.",
    ),
    (
        "Cổng Dịch vụ công quốc gia chậm từ 8:00 đến 9:30",
        Channel.NATIONAL,
        "Hướng dẫn chuẩn bị giấy tờ trước, nộp hồ sơ sau 9:30 hoặc buổi chiều.",
    ),
    (
        "Tin nhắn OTP đến chậm với một số thuê bao",
        Channel.VNEID,
        "Chờ đủ 2 phút rồi mới bấm gửi lại mã; không gửi lại nhiều lần liên tiếp.",
    ),
    (
        "Sóng điện thoại yếu ở Bãi Làng",
        Channel.NONE,
        "Dùng wifi của nhà văn hóa thôn; mang theo bộ phát wifi dự phòng.",
    ),
]
# Sign-ups for the upcoming event: invented names, phones +84 900 000 1xx.
SIGN_UPS = [
    "Nguyễn Thị Hồng",
    "Trần Văn Bình",
    "Lê Thị Mai",
    "Phạm Minh Tuấn",
    "Hoàng Thị Lan",
    "Võ Văn Tài",
    "Đặng Thị Hạnh",
    "Bùi Quốc Huy",
    "Ngô Thị Thu",
    "Dương Văn Phúc",
    "Huỳnh Thị Nga",
    "Phan Văn Lợi",
    "Trương Thị Kiều",
    "Đỗ Minh Nhật",
    "Lý Thị Xuân",
    "Cao Văn Thành",
    "Mai Thị Hương",
    "Tạ Văn Khánh",
]


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _weighted(rng: random.Random, items: list[tuple[Any, int]]) -> Any:
    return rng.choices([item for item, _weight in items], weights=[weight for _item, weight in items])[0]


class _Clock:
    """Replays the past: ``django.utils.timezone.now`` answers ``at`` while the clock is running.

    The services, the ORM's ``auto_now_add`` and the audit log all ask that function, so a ticket
    taken "at" 8:05 three weeks ago has the number, the times and the audit entry it would have had.
    """

    def __init__(self) -> None:
        self._real: Callable[[], dt.datetime] = timezone.now
        self.at: dt.datetime | None = None

    def now(self) -> dt.datetime:
        return self.at if self.at is not None else self._real()

    @contextmanager
    def running(self) -> Iterator[_Clock]:
        with mock.patch("django.utils.timezone.now", self.now):
            try:
                yield self
            finally:
                self.at = None


@dataclass
class Summary:
    start: dt.date
    end: dt.date
    loaded: bool  # False: this day's demo was already there
    counts: dict[str, int] = field(default_factory=dict)


def window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The demo's days: from the Monday three weeks back to the Sunday of next week."""
    monday = today - dt.timedelta(days=today.weekday())
    return monday - dt.timedelta(weeks=PAST_WEEKS), monday + dt.timedelta(days=13)


def _area() -> tuple[list[OrgUnit], list[ServicePoint]]:
    units = list(OrgUnit.objects.filter(name__in=[row[0] for row in AREA], kind=OrgUnit.Kind.BASE))
    units.sort(key=lambda u: [row[0] for row in AREA].index(u.name))
    points = list(
        ServicePoint.objects.filter(unit__in=units, name__in=[row[1] for row in POINTS]).select_related(
            "unit"
        )
    )
    return units, points


def _demo_users() -> list[User]:
    phones = [demo_phone(index) for index in range(1, len(VOLUNTEERS) + 1)]
    return list(User.objects.filter(volunteer__phone__in=phones))


def counts() -> dict[str, int]:
    units, points = _area()
    subtree = Q()
    for unit in units:
        subtree |= Q(unit__path__startswith=unit.path)
    periods = RosterPeriod.objects.filter(subtree, name__contains=DEMO_MARK)
    return {
        "periods": periods.count(),
        "shifts": Shift.objects.filter(period__in=periods).count(),
        "assignments": Assignment.objects.filter(shift__period__in=periods).count(),
        "check_ins": Assignment.objects.filter(shift__period__in=periods, check_in_at__isnull=False).count(),
        "no_shows": Assignment.objects.filter(shift__period__in=periods, no_show=True).count(),
        "tickets": Ticket.objects.filter(point__in=points).count(),
        "sessions": HelpSession.objects.filter(Q(point__in=points) | Q(helped_by__in=_demo_users())).count(),
        "ratings": Rating.objects.filter(ticket__point__in=points).count(),
        "campaigns": Campaign.objects.filter(subtree, name__contains=DEMO_MARK).count(),
        "activities": Activity.objects.filter(campaign__name__contains=DEMO_MARK).count(),
        "registrations": Registration.objects.filter(event__campaign__name__contains=DEMO_MARK).count(),
        "issues": KnownIssue.objects.filter(subtree, title__in=[row[0] for row in ISSUES]).count(),
    }


def _clear(units: list[OrgUnit], points: list[ServicePoint]) -> None:
    """Delete the previous demo weeks (only records of the demo's units, points and people)."""
    subtree = Q()
    for unit in units:
        subtree |= Q(unit__path__startswith=unit.path)
    HelpSession.objects.filter(Q(point__in=points) | Q(helped_by__in=_demo_users())).delete()
    Ticket.objects.filter(point__in=points).delete()  # their ratings go with them
    TicketCounter.objects.filter(point__in=points).delete()
    RosterPeriod.objects.filter(subtree, name__contains=DEMO_MARK).delete()  # shifts, assignments
    Campaign.objects.filter(subtree, name__contains=DEMO_MARK).delete()  # activities, events, sign-ups
    KnownIssue.objects.filter(subtree, title__in=[row[0] for row in ISSUES]).delete()


def _last_load() -> dict[str, Any] | None:
    entry = AuditEntry.objects.filter(action=LOAD_ACTION).order_by("-pk").first()
    return entry.after if entry is not None and isinstance(entry.after, dict) else None


def _refresh_figures(*, start: dt.date, end: dt.date) -> None:
    """The report figures of the demo's days, recomputed from the records.

    Every write above marked its (day, point) as changed; refreshing thousands of marks one key
    at a time takes far longer than rebuilding the few weeks at once. The marks read before the
    rebuild are covered by it and are deleted, as ``rollups.drain`` would; any others are drained.
    """
    pending = list(PendingChange.objects.filter(day__gte=start, day__lte=end).values_list("pk", flat=True))
    rollups.rebuild(start=start, end=end)
    for offset in range(0, len(pending), 500):
        PendingChange.objects.filter(pk__in=pending[offset : offset + 500]).delete()
    rollups.drain()


def load_demo_history(*, today: dt.date | None = None, volume: float = 1.0) -> Summary:
    """Load (or replace) the demo weeks ending ``today`` (the local date by default)."""
    today = today or timezone.localdate()
    start, end = window(today)
    units, points = _area()
    if len(units) != len(AREA) or not points:
        raise RuntimeError("load_demo_history needs the demo units: run demo.area.load_demo() first")
    key = {"today": today.isoformat(), "volume": volume}
    last = _last_load()
    if last is not None and {k: last.get(k) for k in key} == key and counts()["periods"] == len(units):
        return Summary(start, end, loaded=False, counts=counts())
    with transaction.atomic():
        _clear(units, points)
        _History(today=today, volume=volume, units=units, points=points).load()
        old_start = dt.date.fromisoformat(last["start"]) if last and last.get("start") else start
        old_end = dt.date.fromisoformat(last["end"]) if last and last.get("end") else end
        _refresh_figures(start=min(old_start, start), end=max(old_end, end))
        log_action(
            actor=None,
            action=LOAD_ACTION,
            obj=units[0],
            unit=units[0],
            after={**key, "start": start.isoformat(), "end": end.isoformat()},
        )
    return Summary(start, end, loaded=True, counts=counts())


class _History:
    def __init__(
        self, *, today: dt.date, volume: float, units: list[OrgUnit], points: list[ServicePoint]
    ) -> None:
        self.today, self.volume, self.units, self.points = today, volume, units, points
        self.start, self.end = window(today)
        self.rng = random.Random(f"{SEED}-{today.isoformat()}-{volume}")
        self.tz = _tz()
        self.clock = _Clock()
        # The demo replays days up to now (up to the end of ``today`` when it is an earlier day).
        end_of_today = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), tzinfo=self.tz)
        self.real_now = min(timezone.now(), end_of_today)
        self.coordinator = User.objects.filter(username="dieuphoi").first()
        self.users_by_unit: dict[int, list[User]] = {}
        for user in sorted(_demo_users(), key=lambda u: u.username):
            base = next(unit for unit in units if user.unit is not None and user.unit.is_within(unit))
            self.users_by_unit.setdefault(base.pk, []).append(user)
        self.activity_of_day: dict[tuple[int, dt.date], Activity] = {}
        self.phones = 0

    def at(self, day: dt.date, time: dt.time, minutes: float = 0) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=self.tz) + dt.timedelta(minutes=minutes)

    def by(self, unit: OrgUnit) -> User:
        return (
            self.coordinator
            if unit.name == AREA[0][0] and self.coordinator
            else self.users_by_unit[unit.pk][0]
        )

    def load(self) -> None:
        with self.clock.running():
            periods = [self.roster(unit) for unit in self.units]
            self.campaigns()
            for period in periods:
                self.attendance(period)
            for point in self.points:
                self.queue(point, periods)
            self.issues()

    # --- rosters ---------------------------------------------------------------------------------

    def roster(self, unit: OrgUnit) -> RosterPeriod:
        planner = self.by(unit)
        self.clock.at = self.at(self.start - dt.timedelta(days=3), dt.time(15, 0))
        period = roster_services.create_period(
            by=planner,
            unit=unit,
            name=f"Lịch trực {self.start:%d/%m}–{self.end:%d/%m/%Y} ({DEMO_MARK})",
            start=self.start,
            days=(self.end - self.start).days + 1,
        )
        volunteers = list(
            Volunteer.objects.filter(unit__path__startswith=unit.path, is_active=True)
            .prefetch_related("skills")
            .order_by("phone")
        )
        skills = {v.pk: {s.code for s in v.skills.all()} for v in volunteers}
        load: dict[int, int] = dict.fromkeys(skills, 0)
        # A simple first-fit plan within the rules (one shift a day, three a week, a trainee next to an
        # experienced volunteer); the service checks it again.
        taken: set[tuple[int, dt.date]] = set()
        weekly: dict[tuple[int, int], int] = {}
        cap = 3
        pairs: list[dict[str, str]] = []
        for shift in period.shifts.order_by("start", "point_id"):
            day = shift.start.astimezone(self.tz).date()
            week = (day - period.start).days // 7
            order = volunteers[:]
            self.rng.shuffle(order)
            # The least busy that week first, then overall; one experienced volunteer ahead of them
            # when the shift asks for one (and a trainee needs one on the shift).
            order.sort(key=lambda v: (weekly.get((v.pk, week), 0), load[v.pk]))
            free = [v for v in order if (v.pk, day) not in taken and weekly.get((v.pk, week), 0) < cap]
            if shift.skill_needs.get("senior"):
                senior = next((v for v in free if "senior" in skills[v.pk]), None)
                if senior is not None:
                    order.remove(senior)
                    order.insert(0, senior)

            placed: list[int] = []
            for volunteer in order:
                if len(placed) >= shift.demand:
                    break
                if volunteer not in free:
                    continue
                codes = skills[volunteer.pk]
                alone = not any("senior" in skills[pk] for pk in placed)
                if "trainee" in codes and "senior" not in codes and alone:
                    continue
                placed.append(volunteer.pk)
                load[volunteer.pk] += 1
                taken.add((volunteer.pk, day))
                weekly[(volunteer.pk, week)] = weekly.get((volunteer.pk, week), 0) + 1
                pairs.append({"shift": shift.code, "volunteer": planning.volunteer_id(volunteer.pk)})
        # As a coordinator's solver run would: the service checks every pair against the hard rules.
        planning.apply_solution(period=period, solution={"assignments": pairs}, by=planner)
        roster_services.publish_period(by=planner, period=period)
        return period

    def attendance(self, period: RosterPeriod) -> None:
        """Check-ins and check-outs of the shifts that have started, a few no-shows."""
        started = (
            Assignment.objects.filter(shift__period=period, shift__start__lt=self.real_now)
            .select_related("shift")
            .order_by("shift__start", "pk")
        )
        coordinator = self.by(period.unit)
        for assignment in started:
            shift = assignment.shift
            if self.rng.random() < 0.06:
                self.clock.at = min(self.real_now, shift.start + dt.timedelta(minutes=45))
                if self.clock.at > shift.start:
                    attendance.mark_no_show(assignment=assignment, by=coordinator, now=self.clock.at)
                continue
            late = self.rng.random() < 0.12
            arrive = shift.start + dt.timedelta(
                minutes=self.rng.randint(8, 25) if late else self.rng.randint(-15, 3)
            )
            if arrive >= self.real_now:
                continue
            self.clock.at = arrive
            attendance.check_in(assignment=assignment, by=None, at=arrive)
            leave = shift.end + dt.timedelta(minutes=self.rng.randint(-10, 15))
            if leave < self.real_now:
                self.clock.at = leave
                attendance.check_out(assignment=assignment, by=None, at=leave)

    # --- the queue, help sessions and ratings ------------------------------------------------------

    def queue(self, point: ServicePoint, periods: list[RosterPeriod]) -> None:
        shifts = (
            Shift.objects.filter(period__in=periods, point=point, start__lt=self.real_now)
            .prefetch_related("assignments__volunteer__user")
            .order_by("start")
        )
        daily = DAILY_TICKETS.get(point.name, 10) * self.volume
        for shift in shifts:
            desks = [
                a.volunteer.user
                for a in shift.assignments.all()
                if a.check_in_at is not None and a.volunteer.user is not None
            ]
            if not desks:
                continue  # nobody came: the desk stayed closed
            local = shift.start.astimezone(self.tz)
            share = (0.6 if local.hour < 12 else 0.4) * (SATURDAY_SHARE if local.isoweekday() == 6 else 1)
            if point.kind == ServicePoint.Kind.MOBILE:
                share = 1
            count = max(1, round(daily * share * self.rng.uniform(0.75, 1.25)))
            self.serve(point, shift, desks[:2], count)

    def serve(self, point: ServicePoint, shift: Shift, desks: list[User], count: int) -> None:
        minutes = (shift.end - shift.start).total_seconds() / 60
        # Numbers are given only while the point is open (its shifts), so nobody arrives before.
        arrivals = sorted(
            shift.start + dt.timedelta(minutes=self.rng.uniform(0, minutes - 25)) for _i in range(count)
        )
        free = [shift.start] * len(desks)
        events: list[tuple[dt.datetime, int, int, Any]] = []  # (time, order, ticket index, detail)
        for index, arrival in enumerate(arrivals):
            desk = min(range(len(desks)), key=lambda d: (free[d], d))
            call = max(arrival, free[desk])
            events.append((arrival, 1, index, None))
            if call - arrival > dt.timedelta(minutes=self.rng.randint(30, 60)) or call > shift.end:
                events.append((arrival + dt.timedelta(minutes=self.rng.randint(20, 29)), 4, index, "cancel"))
                continue
            events.append((call, 2, index, desk))
            roll = self.rng.random()
            if roll < 0.03:
                finish, kind = call + dt.timedelta(minutes=3), "no_show"
            elif roll < 0.07:
                finish, kind = call + dt.timedelta(minutes=self.rng.randint(3, 8)), "transfer"
            else:
                finish, kind = call + dt.timedelta(minutes=self.rng.randint(6, 28)), "done"
            events.append((finish, 0, index, (desk, kind)))
            free[desk] = finish + dt.timedelta(minutes=1)
            if kind == "done" and self.rng.random() < 0.4:
                events.append((finish + dt.timedelta(minutes=self.rng.randint(1, 30)), 3, index, "rate"))
        tickets: dict[int, Ticket] = {}
        for moment, order, index, detail in sorted(events, key=lambda e: (e[0], e[1], e[2])):
            if moment >= self.real_now:
                continue
            self.clock.at = moment
            if order == 1:
                need = _weighted(self.rng, NEEDS)
                source = Ticket.Source.PHONE if self.rng.random() < 0.2 else Ticket.Source.KIOSK
                tickets[index] = ticket_services.take_ticket(point=point, need=need, source=source).ticket
            elif order == 2:
                ticket = ticket_services.call_next_ticket(
                    point=point, desk=f"Bàn {detail + 1}", by=desks[detail]
                )
                assert ticket.pk == tickets[index].pk, "the simulated queue is first come, first served"
                tickets[index] = ticket
            elif order == 0:
                desk, kind = detail
                ticket = tickets[index]
                if kind == "no_show":
                    ticket_services.mark_no_show(ticket=ticket, by=desks[desk])
                elif kind == "transfer":
                    ticket_services.transfer_ticket(ticket=ticket, by=desks[desk])
                else:
                    self.session(ticket, point, desks[desk])
                    ticket_services.finish_ticket(ticket=ticket, by=desks[desk])
            elif order == 3:
                score = _weighted(self.rng, SCORES)
                comment = self.rng.choice(COMMENTS) if self.rng.random() < 0.3 else ""
                helpdesk_services.rate_ticket(ticket=tickets[index], score=score, comment=comment)
            else:
                ticket_services.cancel_ticket(ticket=tickets[index])

    def session(self, ticket: Ticket, point: ServicePoint, by: User) -> HelpSession:
        rng = self.rng
        need = ticket.need
        outcome = _weighted(rng, OUTCOMES)
        procedures = PROCEDURES.get(need, [])
        consent = outcome == Outcome.DONE and rng.random() < 0.05
        if consent:
            self.phones += 1
        day = timezone.localdate(ticket.created_at)
        data = helpdesk_services.SessionInput(
            need=need,
            outcome=outcome,
            channel=rng.choice(CHANNELS[need]),
            failure_reason=rng.choice(FAILURES[need]) if outcome == Outcome.FAILED else "",
            age_band=_weighted(rng, AGE_BANDS),
            gender=rng.choice(["female", "female", "male", "male", ""]),
            ward=point.admin_unit,
            first_online=rng.random() < 0.45,
            performed_by=rng.choice([PerformedBy.GUIDED, PerformedBy.GUIDED, PerformedBy.VOLUNTEER])
            if outcome != Outcome.FAILED
            else PerformedBy.GUIDED,
            notes=rng.choice(NOTES) if rng.random() < 0.15 else "",
            procedure_code=rng.choice(procedures) if procedures else "",
            place_kind=PlaceKind.POINT,
            point=point,
            ticket=ticket,
            activity=self.activity_of_day.get((point.unit_id, day))
            if point.kind == ServicePoint.Kind.MOBILE
            else None,
            followup_consent=consent,
            followup_phone=f"+84900000{200 + self.phones % 100:03d}" if consent else "",
        )
        return helpdesk_services.create_help_session(by=by, data=data)

    # --- campaigns, the event and known issues ---------------------------------------------------

    def campaigns(self) -> None:
        mobile = next((p for p in self.points if p.kind == ServicePoint.Kind.MOBILE), None)
        for position, unit in enumerate(self.units):
            organiser = self.by(unit)
            self.clock.at = self.at(self.start - dt.timedelta(days=4), dt.time(9, 0))
            campaign = campaign_services.create_campaign(
                by=organiser,
                data={
                    "name": f"Tháng cao điểm hỗ trợ dịch vụ công trực tuyến ({DEMO_MARK})",
                    "description": (
                        "Hướng dẫn người dân cài đặt, kích hoạt VNeID và nộp hồ sơ trực tuyến tại "
                        "Trung tâm Phục vụ hành chính công và tại khu dân cư. Dữ liệu mẫu để thử phần mềm."
                    ),
                    "unit": unit,
                    "start_date": self.start,
                    "end_date": self.end,
                    "target_citizens_helped": [600, 320, 280, 150][position],
                    "target_accounts_created": [200, 120, 100, 60][position],
                    "target_materials": [30, 15, 15, 8][position],
                    "target_participants": [40, 20, 20, 10][position],
                },
                units=list(unit.children.order_by("path")),
            )
            activities = [
                (Activity.Kind.BANNERS, "Treo băng rôn, khẩu hiệu hưởng ứng Tháng cao điểm", 1),
                (Activity.Kind.PANELS, "Dựng pa nô hướng dẫn cài đặt VNeID tại nhà văn hóa khối phố", 3),
                (Activity.Kind.DOOR_TO_DOOR, "Đến từng nhà hướng dẫn người cao tuổi dùng dịch vụ công", 9),
                (Activity.Kind.COMMUNITY, "Buổi hướng dẫn cộng đồng về thanh toán trực tuyến", 16),
            ]
            for index, (kind, title, offset) in enumerate(activities):
                day = self.start + dt.timedelta(days=offset + position)
                if day >= self.today:
                    continue
                self.clock.at = self.at(day, dt.time(16, 30))
                campaign_services.record_activity(
                    campaign=campaign,
                    by=organiser,
                    data={
                        "kind": kind,
                        "title": title,
                        "date": day,
                        "ward": unit.admin_unit,
                        "address": "",
                        "materials_count": self.rng.randint(6, 20) if index < 2 else 0,
                        "participants_count": self.rng.randint(4, 12),
                        "people_reached": self.rng.randint(40, 200) if index >= 2 else 0,
                        "citizens_helped": self.rng.randint(10, 40) if index >= 2 else 0,
                        "accounts_created": self.rng.randint(5, 20) if index >= 2 else 0,
                    },
                    units=list(unit.children.order_by("path")[:1]),
                )
            if mobile is not None and mobile.unit_id == unit.pk:
                day = self.start
                while day < self.today:
                    if day.isoweekday() == 3:
                        self.clock.at = self.at(day, dt.time(7, 0))
                        self.activity_of_day[(unit.pk, day)] = campaign_services.record_activity(
                            campaign=campaign,
                            by=organiser,
                            data={
                                "kind": Activity.Kind.MOBILE_DESK,
                                "title": "Bàn hỗ trợ lưu động tại thôn Bãi Làng, Cù Lao Chàm",
                                "date": day,
                                "ward": unit.admin_unit,
                                "address": mobile.address,
                                "participants_count": 2,
                            },
                            units=list(unit.children.order_by("path")[:1]),
                        )
                    day += dt.timedelta(days=1)
            if position == 0:
                self.event(campaign, organiser)

    def event(self, campaign: Campaign, organiser: User) -> Event:
        self.clock.at = self.at(self.today - dt.timedelta(days=5), dt.time(10, 0))
        event = campaign_services.create_event(
            campaign=campaign,
            by=organiser,
            data={
                "title": f"Ngày hội hướng dẫn cài đặt VNeID mức 2 ({DEMO_MARK})",
                "description": "Đoàn viên đăng ký làm tình nguyện viên hướng dẫn người dân tại Ngày hội.",
                "starts_at": self.at(self.today + dt.timedelta(days=6), dt.time(7, 30)),
                "place": "Nhà văn hóa khối phố An Hội, phường Hội An",
                "ward": campaign.unit.admin_unit,
                "capacity": 30,
                "registration_open": True,
            },
        )
        branches = list(OrgUnit.objects.filter(path__startswith=campaign.unit.path, kind=OrgUnit.Kind.BRANCH))
        count = max(3, round(len(SIGN_UPS) * min(1.0, self.volume)))
        for index, name in enumerate(SIGN_UPS[:count]):
            self.clock.at = self.at(self.today - dt.timedelta(days=4), dt.time(8, 0), minutes=97 * index)
            if self.clock.at >= self.real_now:
                break
            campaign_services.register(
                event=event,
                full_name=name,
                phone=f"+84900000{101 + index:03d}",
                unit=branches[index % len(branches)] if branches else None,
                unit_text="",
                consent_version=campaign_services.CONSENT_VERSION,
            )
        return event

    def issues(self) -> None:
        for index, (title, channel, workaround) in enumerate(ISSUES):
            unit = self.units[-1] if index == len(ISSUES) - 1 else self.units[0]
            by = self.by(unit)
            self.clock.at = self.at(self.start + dt.timedelta(days=2 + 4 * index), dt.time(8, 10))
            issue = helpdesk_services.post_known_issue(
                by=by, title=title, channel=channel, workaround=workaround
            )
            if index == 2:  # the late OTP messages got better
                self.clock.at += dt.timedelta(days=3)
                helpdesk_services.close_known_issue(by=by, issue=issue)
