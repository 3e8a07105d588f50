"""Random help sessions, follow-up answers and ratings (seeded), through the ORM (no tests here)."""

from __future__ import annotations

import datetime as dt
import random
import secrets

from django.utils import timezone

from xungkich.helpdesk.models import FollowUp, HelpSession, Rating
from xungkich.people.models import AdminUnit
from xungkich.places.models import ServicePoint
from xungkich.reports.synthetic import Place, SessionMaker
from xungkich.tickets.models import Ticket


def wards() -> list[AdminUnit]:
    return [
        AdminUnit.objects.get_or_create(code=code, defaults={"name": name, "kind": AdminUnit.Kind.WARD})[0]
        for code, name in (
            ("20410", "Phường Hội An"),
            ("20413", "Phường Hội An Đông"),
            ("20401", "Phường Hội An Tây"),
        )
    ]


def make_sessions(
    rng: random.Random, *, places: list[Place], start: dt.date, days: int, count: int
) -> list[HelpSession]:
    maker = SessionMaker(rng, places=places, ward_ids=[w.pk for w in wards()])
    sessions = [
        HelpSession.objects.create(**maker.row(start + dt.timedelta(days=rng.randrange(days))))
        for _n in range(count)
    ]
    now = timezone.now()
    for session in rng.sample(sessions, len(sessions) // 3):
        status = rng.choice(list(FollowUp.Status.values))
        FollowUp.objects.create(
            session=session,
            consent_version="v1",
            consented_at=now,
            due_on=session.helped_on + dt.timedelta(days=30),
            delete_by=session.helped_on + dt.timedelta(days=90),
            status=status,
            did_online_alone=rng.random() < 0.6 if status == FollowUp.Status.ANSWERED else None,
        )
    return sessions


def make_ratings(
    rng: random.Random, *, point: ServicePoint, start: dt.date, days: int, count: int
) -> list[Rating]:
    ratings = []
    for number in range(1, count + 1):
        ticket = Ticket.objects.create(
            point=point,
            day=start + dt.timedelta(days=rng.randrange(days)),
            number=number,
            need="account",
            public_token=secrets.token_urlsafe(16),
        )
        ratings.append(Rating.objects.create(ticket=ticket, score=rng.randint(1, 5)))
    return ratings


def make_campaign_work(rng: random.Random, *, units: list, start: dt.date, days: int) -> None:
    """Campaigns of ``units`` with activities and events, some registrations checked in."""
    from xungkich.campaigns.models import Activity, Campaign, Event, Registration

    now = timezone.now()
    for unit in units:
        campaign = Campaign.objects.create(
            name=f"Chiến dịch {unit.pk}",
            unit=unit,
            start_date=start,
            end_date=start + dt.timedelta(days=days),
        )
        for number in range(rng.randint(2, 6)):
            Activity.objects.create(
                campaign=campaign,
                kind=rng.choice(list(Activity.Kind.values)),
                title=f"Hoạt động {number}",
                date=start + dt.timedelta(days=rng.randrange(days)),
                participants_count=rng.randint(0, 30),
                people_reached=rng.randint(0, 500),
                materials_count=rng.randint(0, 20),
                citizens_helped=rng.randint(0, 40),
            )
        for number in range(rng.randint(1, 3)):
            event = Event.objects.create(
                campaign=campaign,
                title=f"Ngày hội {number}",
                starts_at=dt.datetime.combine(
                    start + dt.timedelta(days=rng.randrange(days)), dt.time(19, 30), tzinfo=dt.UTC
                ),
                place="Nhà văn hoá",
                capacity=50,
                code=secrets.token_hex(6),
            )
            for index in range(rng.randint(0, 8)):
                status = rng.choice(list(Registration.Status.values))
                Registration.objects.create(
                    event=event,
                    full_name=f"Đoàn viên {index}",
                    phone=f"+8490{rng.randint(1000000, 9999999)}",
                    status=status,
                    token=secrets.token_hex(16),
                    code=f"{index:06d}",
                    consent_version="v1",
                    consent_at=now,
                    checked_in_at=now
                    if status == Registration.Status.CONFIRMED and rng.random() < 0.6
                    else None,
                )
