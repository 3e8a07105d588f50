"""Realistic random help sessions as plain rows (seeded), for tests and ``generate_load``.

Shares are rough figures from the teams' own tallies: most people come about VNeID accounts and
residence or ID-card procedures; about one in eight attempts fails, mostly for the chip card, the
phone or the OTP; older people come more often than the young.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

NEEDS = (
    ("account", 38),
    ("dossier", 27),
    ("app", 12),
    ("payment", 6),
    ("lookup", 8),
    ("device", 6),
    ("other", 3),
)
CHANNELS = (
    ("vneid", 45),
    ("national_portal", 30),
    ("police_portal", 15),
    ("provincial_portal", 8),
    ("none", 2),
)
OUTCOMES = (("done", 76), ("partial", 8), ("referred", 4), ("failed", 12))
FAILURES = (
    ("no_chip_card", 18),
    ("no_nfc", 16),
    ("chip_not_read", 12),
    ("forgot_password", 14),
    ("no_otp", 15),
    ("sim_not_own", 10),
    ("missing_papers", 7),
    ("system_error", 5),
    ("other", 3),
)
AGES = (("u18", 4), ("18_35", 22), ("36_59", 38), ("60p", 30), ("", 6))
GENDERS = (("female", 52), ("male", 44), ("other", 1), ("", 3))
PERFORMERS = (("citizen", 20), ("guided", 55), ("volunteer", 25))
PROCEDURES = (
    ("1.004222", "Đăng ký thường trú"),
    ("1.004194", "Đăng ký tạm trú"),
    ("2.001159", "Thông báo lưu trú"),
    ("2.001194", "Cấp lại thẻ căn cước"),
    ("3.000333", "Cấp phiếu lý lịch tư pháp"),
    ("1.001193", "Đăng ký khai sinh"),
    ("1.000656", "Đăng ký khai tử"),
    ("1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân"),
    ("1.001456", "Cấp hộ chiếu phổ thông"),
)


def _pick(rng: random.Random, table: Sequence[tuple[str, int]]) -> str:
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights)[0]


@dataclass(frozen=True)
class Place:
    unit_id: int
    point_id: int | None


class SessionMaker:
    """Makes one session's fields at a time, quickly (pre-built cumulative weights)."""

    def __init__(self, rng: random.Random, *, places: Sequence[Place], ward_ids: Sequence[int]) -> None:
        self.rng = rng
        self.places = list(places)
        self.ward_ids = list(ward_ids)
        self._tables = {
            name: (next(zip(*table, strict=True)), _cumulative(table))
            for name, table in {
                "need": NEEDS,
                "channel": CHANNELS,
                "outcome": OUTCOMES,
                "failure": FAILURES,
                "age": AGES,
                "gender": GENDERS,
                "performer": PERFORMERS,
            }.items()
        }

    def _choose(self, name: str) -> str:
        values, cumulative = self._tables[name]
        return self.rng.choices(values, cum_weights=cumulative)[0]

    def row(self, day: dt.date) -> dict[str, object]:
        rng = self.rng
        place = rng.choice(self.places)
        need = self._choose("need")
        outcome = self._choose("outcome")
        code, name = rng.choice(PROCEDURES) if need == "dossier" else ("", "")
        return {
            "unit_id": place.unit_id,
            "point_id": place.point_id,
            "helped_on": day,
            "place_kind": "point" if place.point_id else "door_to_door",
            "need": need,
            "procedure_code": code,
            "procedure_name": name,
            "channel": self._choose("channel"),
            "outcome": outcome,
            "failure_reason": self._choose("failure") if outcome == "failed" else "",
            "duration_minutes": rng.randint(3, 45) if rng.random() < 0.85 else None,
            "age_band": self._choose("age"),
            "gender": self._choose("gender"),
            "ward_id": rng.choice(self.ward_ids) if self.ward_ids and rng.random() < 0.9 else None,
            "first_online": (rng.random() < 0.45) if rng.random() < 0.8 else None,
            "performed_by": self._choose("performer"),
        }


def _cumulative(table: Sequence[tuple[str, int]]) -> list[int]:
    total, result = 0, []
    for _value, weight in table:
        total += weight
        result.append(total)
    return result
