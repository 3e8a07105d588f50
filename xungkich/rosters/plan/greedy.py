"""The plain greedy roster: shifts in time order, each filled with the least-loaded eligible person.

Within a shift, skill needs are served first (the least-loaded free holder of each needed skill),
then the remaining places; a trainee is only placed once a senior is on the shift. Every hard rule
is respected, so the result is always a valid roster. It is the benchmark's baseline and the
solver's first roster (its fallback and the hint it starts from).

``RosterState`` is the bookkeeping behind it (who is where, per day, per week), also used by the
solver to top up a roster and to explain why a place stayed empty.
"""

from __future__ import annotations

from collections.abc import Iterable

from xungkich.rosters.plan.instance import SENIOR, Instance, reachable


class RosterState:
    """Assignments being built, with O(shifts of that person) checks of every hard rule."""

    def __init__(self, instance: Instance, candidates: list[list[int]] | None = None) -> None:
        self.instance = instance
        self.candidates = candidates if candidates is not None else reachable(instance)
        self.rest = instance.rules.min_rest_hours * 3600.0
        self.max_per_day = instance.rules.max_shifts_per_day
        self.starts = [s.start.timestamp() for s in instance.shifts]
        self.ends = [s.end.timestamp() for s in instance.shifts]
        self.days = [s.day for s in instance.shifts]
        self.weeks = [s.week for s in instance.shifts]
        self.caps = [v.max_shifts_per_week for v in instance.volunteers]
        self.senior = [v.is_senior for v in instance.volunteers]
        self.trainee = [v.is_trainee for v in instance.volunteers]
        self.eligible = [set(c) for c in self.candidates]
        n_v = len(instance.volunteers)
        self.on_shift: list[list[int]] = [[] for _ in instance.shifts]
        self.of_volunteer: list[list[int]] = [[] for _ in range(n_v)]
        self.per_day: list[dict[int, int]] = [{} for _ in range(n_v)]
        self.per_week: list[dict[int, int]] = [{} for _ in range(n_v)]
        self.seniors_on: list[int] = [0] * len(instance.shifts)

    def load(self, v: int) -> int:
        return len(self.of_volunteer[v])

    def blocker(self, v: int, s: int) -> str | None:
        """Why volunteer ``v`` cannot be added to shift ``s`` now, or None when they can.

        "unreachable" (point or unavailability), "assigned" (already on it), "busy" (on another
        shift at the same time), "week_cap", "day_cap", "rest", "trainee" (no senior on the shift),
        "full" (the shift has its headcount).
        """
        if v not in self.eligible[s]:
            return "unreachable"
        if v in self.on_shift[s]:
            return "assigned"
        start, end = self.starts[s], self.ends[s]
        rest_conflict = False
        for t in self.of_volunteer[v]:
            if self.starts[t] < end and start < self.ends[t]:
                return "busy"
            if self.starts[t] < end + self.rest and start < self.ends[t] + self.rest:
                rest_conflict = True
        cap = self.caps[v]
        if cap is not None and self.per_week[v].get(self.weeks[s], 0) >= cap:
            return "week_cap"
        if self.per_day[v].get(self.days[s], 0) >= self.max_per_day:
            return "day_cap"
        if rest_conflict:
            return "rest"
        if self.trainee[v] and not self.seniors_on[s]:
            return "trainee"
        if len(self.on_shift[s]) >= self.instance.shifts[s].demand:
            return "full"
        return None

    def add(self, v: int, s: int) -> None:
        self.on_shift[s].append(v)
        self.of_volunteer[v].append(s)
        day, week = self.days[s], self.weeks[s]
        self.per_day[v][day] = self.per_day[v].get(day, 0) + 1
        self.per_week[v][week] = self.per_week[v].get(week, 0) + 1
        if self.senior[v]:
            self.seniors_on[s] += 1

    def remove(self, v: int, s: int) -> None:
        self.on_shift[s].remove(v)
        self.of_volunteer[v].remove(s)
        self.per_day[v][self.days[s]] -= 1
        self.per_week[v][self.weeks[s]] -= 1
        if self.senior[v]:
            self.seniors_on[s] -= 1

    def try_add(self, v: int, s: int) -> bool:
        if self.blocker(v, s) is None:
            self.add(v, s)
            return True
        return False

    def pairs(self) -> list[tuple[int, int]]:
        """(shift index, volunteer index) of every assignment."""
        return [(s, v) for s, people in enumerate(self.on_shift) for v in people]

    def fill_shift(self, s: int, *, skills_first: bool = True) -> None:
        """Fill shift ``s`` up to its headcount with the least-loaded people who may take it."""
        shift = self.instance.shifts[s]
        volunteers = self.instance.volunteers
        if skills_first:
            # Seniors first: trainees can only follow them.
            for skill, need in sorted(shift.skills.items(), key=lambda item: item[0] != SENIOR):
                have = sum(1 for v in self.on_shift[s] if skill in volunteers[v].skills)
                while have < need and len(self.on_shift[s]) < shift.demand:
                    holders = [v for v in self.candidates[s] if skill in volunteers[v].skills]
                    v = self._least_loaded(holders, s)
                    if v is None:
                        break
                    self.add(v, s)
                    have += 1
        while len(self.on_shift[s]) < shift.demand:
            v = self._least_loaded(self.candidates[s], s)
            if v is None:
                break
            self.add(v, s)

    def _least_loaded(self, people: Iterable[int], s: int) -> int | None:
        best: int | None = None
        best_key: tuple[int, int] | None = None
        week = self.weeks[s]
        for v in people:
            if self.blocker(v, s) is not None:
                continue
            key = (len(self.of_volunteer[v]), self.per_week[v].get(week, 0))
            if best_key is None or key < best_key:
                best, best_key = v, key
        return best


def shift_order(instance: Instance) -> list[int]:
    return sorted(
        range(len(instance.shifts)), key=lambda i: (instance.shifts[i].start, instance.shifts[i].id)
    )


def greedy_state(
    instance: Instance,
    *,
    candidates: list[list[int]] | None = None,
    keep: Iterable[tuple[int, int]] = (),
    skills_first: bool = True,
) -> RosterState:
    """The greedy roster as a ``RosterState``; ``keep`` (shift index, volunteer index) pairs are
    placed first where the rules allow (the published roster when re-planning)."""
    state = RosterState(instance, candidates)
    # Seniors of the kept roster first, so that their trainees can stay with them.
    for s, v in sorted(keep, key=lambda pair: not state.senior[pair[1]]):
        if len(state.on_shift[s]) < instance.shifts[s].demand:
            state.try_add(v, s)
    for s in shift_order(instance):
        state.fill_shift(s, skills_first=skills_first)
    return state


def greedy_roster(instance: Instance) -> list[tuple[str, str]]:
    """The plain greedy baseline: (shift id, volunteer id) pairs."""
    state = greedy_state(instance)
    return [(instance.shifts[s].id, instance.volunteers[v].id) for s, v in state.pairs()]
