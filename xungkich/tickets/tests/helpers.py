"""Shared test data for the queue tests."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from xungkich.people.models import OrgUnit
from xungkich.places import services as point_services
from xungkich.places.models import ServicePoint

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = dt.date(2026, 3, 2)


def local(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=TZ)


def make_point(unit: OrgUnit, name: str = "Trung tâm Phục vụ hành chính công phường Hội An") -> ServicePoint:
    return point_services.create_service_point(by=None, name=name, unit=unit)
