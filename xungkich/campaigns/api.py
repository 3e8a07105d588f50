"""The campaigns endpoints of JSON API v1: a campaign's progress against its targets."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Path, Router, Schema

from xungkich.api.errors import errors
from xungkich.api.fields import MAX_ID
from xungkich.campaigns import access
from xungkich.reports import campaign_progress as progress

router = Router(tags=["campaigns"])


class FigureOut(Schema):
    key: str
    label: str
    value: int
    target: int
    percent: int


class ProgressOut(Schema):
    campaign: int
    name: str
    figures: list[FigureOut]
    people_reached: int
    activities: int
    registrations: int
    checked_in: int


@router.get("/campaigns/{pk}/progress", response={200: ProgressOut, **errors(400, 401, 404)})
def campaign_progress(request: HttpRequest, pk: Annotated[int, Path(ge=1, le=MAX_ID)]) -> ProgressOut:
    """Figures against targets (same as the campaign page). 404 outside the token owner's scope."""
    campaign, _can_edit = access.get_campaign_for_user(request.auth, pk)  # type: ignore[attr-defined]
    result = progress.campaign_progress(campaign)
    return ProgressOut(
        campaign=campaign.pk,
        name=campaign.name,
        figures=[
            FigureOut(key=f.key, label=str(f.label), value=f.value, target=f.target, percent=f.percent)
            for f in result.figures
        ],
        people_reached=result.people_reached,
        activities=result.activities,
        registrations=result.registrations,
        checked_in=result.checked_in,
    )
