"""The reports endpoints of JSON API v1."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from xungkich.api.errors import errors
from xungkich.api.fields import ApiDate, QueryId
from xungkich.core.errors import DomainError
from xungkich.people.models import User
from xungkich.reports import access, selectors

router = Router(tags=["reports"])


class SummaryQuery(Schema):
    from_: ApiDate = Field(..., alias="from", description="First day (YYYY-MM-DD), local time")
    to: ApiDate = Field(..., description="Last day (YYYY-MM-DD)")
    unit: QueryId | None = Field(None, description="Unit id; default: the token user's own unit")


class UnitOut(Schema):
    id: int
    name: str


class PointOut(Schema):
    point_id: int | None
    name: str
    figures: dict[str, int]


class TrendPoint(Schema):
    start: dt.date
    value: int


class FiguresOut(Schema):
    """The figures people read, defined once (docs/reports.md, "Definitions")."""

    citizens_helped: int = Field(..., description="help sessions + what activities add beyond their sessions")
    accounts_created: int = Field(
        ..., description="accounts created in sessions + at activities, beyond them"
    )
    banners_panels: int = Field(..., description="materials of banner and panel activities")
    shifts_ended: int = Field(..., description="shifts of published periods that had ended when computed")
    shifts_fully_staffed: int = Field(..., description="ended shifts with check-ins >= headcount")
    volunteer_hours: str = Field(..., description="hours of checked-out or ended shifts, volunteer's unit")


class SummaryOut(Schema):
    unit: UnitOut
    from_: dt.date = Field(..., alias="from")
    to: dt.date
    sources: list[str]
    figures: FiguresOut
    totals: dict[str, int] = Field(..., description="volunteer_quarters is volunteer hours × 4")
    volunteer_hours: str
    by_point: list[PointOut]
    breakdowns: dict[str, dict[str, int]]
    trends: dict[str, dict[str, list[TrendPoint]]]


@router.get(
    "/reports/summary",
    response={200: SummaryOut, **errors(400, 401, 403, 404)},
    by_alias=True,
    url_name="reports_summary",
)
def summary(request: HttpRequest, params: Query[SummaryQuery]) -> dict[str, Any]:
    """Figures of a unit and everything below it for a period, from the rollups.

    A token sees only its user's scope: another unit is a 404; volunteers and kiosks get 403.
    """
    user: User = request.user  # type: ignore[assignment]
    if params.to < params.from_:
        raise DomainError(_("The end date must not be before the start date."), "bad_range")
    if (params.to - params.from_).days > 731:
        raise DomainError(_("Choose a period of at most two years."), "range_too_long")
    unit, _can_refresh = access.get_unit_for_user(user, params.unit)
    return selectors.summary(unit=unit, start=params.from_, end=params.to)
