"""Random help sessions, follow-up answers and ratings (seeded), through the ORM (no tests here)."""

from __future__ import annotations

import datetime as dt
import random
import secrets

from django.utils import timezone

from xungkich.helpdesk.models import FollowUp, HelpSession, Rating
from xungkich.people.models import AdminUnit
from xungkich.reports.synthetic import Place, SessionMaker
from xungkich.rosters.models import ServicePoint
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
