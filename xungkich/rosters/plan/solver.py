"""The duty-rotation solver: OR-Tools CP-SAT, plain data in (``Instance``), plain data out
(``Solution``). Pure: no ORM; the only Django import is gettext for the reasons people read.

Hard rules (every one is a model constraint; the independent checker in ``checker.py`` verifies):
only points the person can reach, never while unavailable, no overlapping shifts, at most
``max_shifts_per_day`` a day, at least ``min_rest_hours`` between two shifts, the weekly cap,
never above a shift's headcount, and a trainee only on a shift that also has a senior.

Objectives, lexicographic, solved in stages on one model; after each stage its objective is
fixed as a constraint (at the best value found, so a stage cut short by the time limit still never
lets a later stage undo it):

1. ``fill``      maximise the filled places (weighted above all skill needs together, plus the
                 met needs: the order is kept exactly and the stage already favours met needs);
2. ``skills``    maximise the covered skill needs (``min(need, holders on the shift)`` summed);
3. ``max_load``  minimise the busiest person's number of shifts;
4. ``spread``    minimise the sum of squared loads (loads as even as possible), a convex cost
                 written with one boolean per person and unit of load, which keeps the LP tight;
5. ``changes``   when re-planning, keep as many assignments of the published roster as possible
                 (the filled count is fixed, so this also minimises the additions).

Scale: variables exist only for eligible (volunteer, shift) pairs: the point is one they reach, they
are not unavailable, their weekly cap is not 0, and a trainee only where a senior could also be.
"No overlap" and "minimum rest" become one at-most-one per maximal clique of each person's interval
graph (shifts widened by half the rest on both sides), so a person with n candidate shifts costs at
most n constraints; a day's at-most-``max_shifts_per_day`` is left out where such a clique already
covers it. "A trainee needs a senior" is one literal per shift. The greedy roster comes first (a
valid roster within a second even for a province) and is the fallback when the time is too short
for CP-SAT. Before CP-SAT, each stage runs a quick local search on the incumbent, used as the hint:
augmenting chains of moves for ``fill`` (a free person takes a place whose holder moves on to the
empty one, as in matching), and hand-overs from busier to lighter people that keep every rule,
every filled place and every met need for ``max_load`` and ``spread``. Each stage gets a share of
the remaining time; a stage that proves its optimum early hands its leftover time on, and a stage
that goes ``stall_seconds`` without improving stops ("STALLED"). A stage whose bound is already met
by the incumbent is skipped. CP-SAT runs with the ``max_lp`` full worker (every constraint in its
LP, clauses included; it proves the fairness stages where the default LP cannot) beside the
interleaved LNS workers, and without presolve's inclusion detection (seconds of wall time on a
city-sized model for nothing found).

Every place left empty gets a reason code and a sentence (see ``REASON_CODES``).
"""

from __future__ import annotations

import functools
import itertools
import math
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from ortools.sat.python import cp_model

from xungkich.rosters.plan.greedy import RosterState, greedy_state, shift_order
from xungkich.rosters.plan.instance import SENIOR, Instance, Solution, Unfilled, UnmetSkill, reachable

ProgressCallback = Callable[[str, float, float], None]

REASON_CODES = ("no_one_reaches", "all_at_cap", "no_senior_free", "all_busy")
STAGE_WEIGHTS = {"fill": 3.0, "skills": 1.5, "max_load": 2.0, "spread": 2.0, "changes": 1.0}


def reason_text(code: str, skill: str = "") -> str:
    """The sentence shown for a reason code (msgids are English; the Vietnamese catalog has them)."""
    if code == "no_one_reaches":
        return _("Nobody can reach this service point at that time.")
    if code == "all_at_cap":
        return _(
            "Everyone who could serve here then has reached their weekly or daily limit, "
            "or needs rest between shifts."
        )
    if code == "no_senior_free":
        return _("No experienced volunteer is free then, and a trainee cannot serve without one.")
    if code == "all_busy":
        return _("Everyone who could serve here is already on another shift at that time.")
    if code == "no_skilled_free":
        return _("No volunteer with the skill “%(skill)s” is free for this shift.") % {"skill": skill}
    raise ValueError(code)


@dataclass
class _StageResult:
    name: str
    status: str
    objective: float
    bound: float
    seconds: float
    skipped: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "stage": self.name,
            "status": self.status,
            "objective": self.objective,
            "bound": self.bound,
            "seconds": round(self.seconds, 3),
        }


class _Reporter(cp_model.CpSolverSolutionCallback):
    """Reports every improving solution and remembers when the last one came."""

    def __init__(self, stage: str, t0: float, on_progress: ProgressCallback | None, divisor: int = 1) -> None:
        super().__init__()
        self.stage, self.t0, self.on_progress, self.divisor = stage, t0, on_progress, divisor
        self.last_improvement: float | None = None

    def on_solution_callback(self) -> None:
        self.last_improvement = time.monotonic()
        if self.on_progress is not None:
            shown = float(self.objective_value) // self.divisor  # the fill stage shows places
            self.on_progress(self.stage, shown, time.monotonic() - self.t0)


def _solve_with_stall_limit(
    solver: cp_model.CpSolver, model: cp_model.CpModel, reporter: _Reporter, stall: float
) -> Any:
    """``solver.solve``, stopped early once ``stall`` seconds pass without a better solution
    (counted from the first one: presolve and the first solution get the stage's whole budget)."""
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.1):
            last = reporter.last_improvement
            if last is not None and time.monotonic() - last > stall:
                solver.stop_search()
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        return solver.solve(model, reporter)
    finally:
        done.set()
        watcher.join()


@dataclass
class _Model:
    """The CP-SAT model over eligible pairs, and the data to evaluate a roster without CP-SAT."""

    instance: Instance
    pairs: list[tuple[int, int]]  # (shift index, volunteer index) per variable
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: list[cp_model.IntVar] = field(default_factory=list)
    by_shift: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_volunteer: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    # Needs with at least one eligible holder: (shift, skill, need, variable indices of holders).
    needs: list[tuple[int, str, int, list[int]]] = field(default_factory=list)
    cover: list[cp_model.IntVar] = field(default_factory=list)  # min(need, holders), per need
    current: list[int] = field(default_factory=list)  # variable indices of kept-able pairs
    aux_hints: list[tuple[cp_model.IntVar, Callable[[list[int]], int]]] = field(default_factory=list)


def _cliques(items: list[tuple[float, float, int]]) -> list[list[int]]:
    """Maximal cliques of an interval graph; ``items`` are (start, end, key) half-open intervals."""
    items = sorted(items)
    out: list[list[int]] = []
    active: list[tuple[float, int]] = []  # (end, key)
    for i, (start, end, key) in enumerate(items):
        active = [(e, k) for e, k in active if e > start]
        active.append((end, key))
        next_start = items[i + 1][0] if i + 1 < len(items) else math.inf
        # Maximal when the next interval starts only after one of the active ones has ended.
        if len(active) > 1 and any(e <= next_start for e, _k in active):
            out.append([k for _e, k in active])
    return out


def _build(instance: Instance, candidates: list[list[int]]) -> _Model:
    shifts, volunteers = instance.shifts, instance.volunteers
    senior = [v.is_senior for v in volunteers]
    trainee = [v.is_trainee for v in volunteers]
    caps = [v.max_shifts_per_week for v in volunteers]
    pairs: list[tuple[int, int]] = []
    for s, people in enumerate(candidates):
        shift = shifts[s]
        if shift.demand == 0:
            continue
        usable = [v for v in people if caps[v] != 0]
        senior_possible = shift.demand >= 2 and any(senior[v] for v in usable)
        pairs.extend((s, v) for v in usable if senior_possible or not trainee[v])

    m = _Model(instance=instance, pairs=pairs)
    model = m.model
    m.x = [model.new_bool_var("") for _ in pairs]
    for i, (s, v) in enumerate(pairs):
        m.by_shift[s].append(i)
        m.by_volunteer[v].append(i)

    for s, idx in m.by_shift.items():
        demand = shifts[s].demand
        if len(idx) > demand:
            model.add(sum(m.x[i] for i in idx) <= demand)
        trainees = [i for i in idx if trainee[pairs[i][1]]]
        if trainees:
            # "A senior is on the shift" as one literal: trainees imply it, it needs a senior.
            with_senior = model.new_bool_var("")
            model.add(with_senior <= sum(m.x[i] for i in idx if senior[pairs[i][1]]))
            for i in trainees:
                model.add_implication(m.x[i], with_senior)
            seniors_idx = [i for i in idx if senior[pairs[i][1]]]
            m.aux_hints.append((with_senior, functools.partial(_hint_at_least, k=1, idx=seniors_idx)))
        for skill, need in shifts[s].skills.items():
            holders = [i for i in idx if skill in volunteers[pairs[i][1]].skills]
            if holders:
                m.needs.append((s, skill, need, holders))
                cov = model.new_int_var(0, min(need, len(holders)), "")
                model.add(cov <= sum(m.x[i] for i in holders))
                m.cover.append(cov)
                m.aux_hints.append((cov, functools.partial(_hint_cover, need=need, idx=holders)))

    half_rest = instance.rules.min_rest_hours * 1800.0
    max_per_day = instance.rules.max_shifts_per_day
    for v, idx in m.by_volunteer.items():
        widened = [
            (
                shifts[pairs[i][0]].start.timestamp() - half_rest,
                shifts[pairs[i][0]].end.timestamp() + half_rest,
                i,
            )
            for i in idx
        ]
        for clique in _cliques(widened):
            model.add_at_most_one(m.x[i] for i in clique)
        per_day: dict[int, list[int]] = defaultdict(list)
        per_week: dict[int, list[int]] = defaultdict(list)
        for i in idx:
            per_day[shifts[pairs[i][0]].day].append(i)
            per_week[shifts[pairs[i][0]].week].append(i)
        spans = {i: (start, end) for start, end, i in widened}
        for day_idx in per_day.values():
            if len(day_idx) <= max_per_day:
                continue
            if max_per_day == 1 and max(spans[i][0] for i in day_idx) < min(spans[i][1] for i in day_idx):
                continue  # the day's shifts pairwise clash anyway: an at-most-one above covers them
            model.add(sum(m.x[i] for i in day_idx) <= max_per_day)
        cap = caps[v]
        if cap is not None:
            for week_idx in per_week.values():
                if len(week_idx) > cap:
                    model.add(sum(m.x[i] for i in week_idx) <= cap)

    index = {pair: i for i, pair in enumerate(pairs)}
    shift_index = {s.id: k for k, s in enumerate(shifts)}
    volunteer_index = {v.id: k for k, v in enumerate(volunteers)}
    for shift_id, volunteer_id in instance.current:
        var_index = index.get((shift_index[shift_id], volunteer_index[volunteer_id]))
        if var_index is not None:
            m.current.append(var_index)
    return m


# --- evaluating a roster (a 0/1 list over the model's pairs) --------------------------------------


def _filled(m: _Model, sol: list[int]) -> int:
    return sum(sol)


def _coverage(m: _Model, sol: list[int]) -> int:
    return sum(min(need, sum(sol[i] for i in holders)) for _s, _k, need, holders in m.needs)


def _loads(m: _Model, sol: list[int]) -> dict[int, int]:
    return {v: sum(sol[i] for i in idx) for v, idx in m.by_volunteer.items()}


def _max_load(m: _Model, sol: list[int]) -> int:
    return max(_loads(m, sol).values(), default=0)


def _sum_squares(m: _Model, sol: list[int]) -> int:
    return sum(load * load for load in _loads(m, sol).values())


def _kept(m: _Model, sol: list[int]) -> int:
    return sum(sol[i] for i in m.current)


def _weighted_fill(m: _Model, sol: list[int], *, weight: int) -> int:
    return weight * _filled(m, sol) + _coverage(m, sol)


def _hint_at_least(sol: list[int], *, k: int, idx: list[int]) -> int:
    return int(sum(sol[i] for i in idx) >= k)


def _hint_cover(sol: list[int], *, need: int, idx: list[int]) -> int:
    return min(need, sum(sol[i] for i in idx))


def solve(
    instance: Instance,
    *,
    time_limit: float = 60.0,
    num_workers: int = 2,
    on_progress: ProgressCallback | None = None,
    random_seed: int = 0,
    stall_seconds: float | None = None,
    log_search: bool = False,
) -> Solution:
    """The best roster found within ``time_limit`` seconds (wall clock, model building included).

    ``on_progress(stage, objective, elapsed)`` is called for the greedy start, every improving
    CP-SAT solution and the end of every stage. A stage also ends once ``stall_seconds`` (default:
    a tenth of the time limit, at least 2 s) pass without a better solution.
    """
    t0 = time.monotonic()
    stall = stall_seconds if stall_seconds is not None else max(2.0, 0.1 * time_limit)

    def report(stage: str, objective: float) -> None:
        if on_progress is not None:
            on_progress(stage, float(objective), time.monotonic() - t0)

    candidates = reachable(instance)
    # Kept back for reading the last solution, topping up and explaining: more for larger models.
    reserve = min(0.1 * time_limit, 0.3 + 6e-6 * sum(len(c) for c in candidates))
    deadline = t0 + max(0.0, time_limit) - reserve
    shift_index = {s.id: k for k, s in enumerate(instance.shifts)}
    volunteer_index = {v.id: k for k, v in enumerate(instance.volunteers)}
    keep = [(shift_index[s], volunteer_index[v]) for s, v in instance.current]
    start_state = greedy_state(instance, candidates=candidates, keep=keep)
    first_roster = time.monotonic() - t0
    report("greedy", len(start_state.pairs()))

    stages: list[_StageResult] = []
    engine = "greedy"
    pairs_count = 0
    final_pairs: list[tuple[int, int]] = start_state.pairs()
    if deadline - time.monotonic() > 0.05:
        m = _build(instance, candidates)
        pairs_count = len(m.pairs)
        index = {pair: i for i, pair in enumerate(m.pairs)}
        incumbent = [0] * len(m.pairs)
        for pair in start_state.pairs():
            incumbent[index[pair]] = 1
        report("model", pairs_count)
        incumbent, stages = _run_stages(
            m,
            incumbent,
            candidates,
            deadline=deadline,
            stall=stall,
            num_workers=num_workers,
            seed=random_seed,
            t0=t0,
            on_progress=on_progress,
            log_search=log_search,
        )
        engine = "cp-sat"
        final_pairs = [m.pairs[i] for i, value in enumerate(incumbent) if value]

    # Top up: a place that a free person can still take is always worth taking (the time limit
    # may have cut a stage short before it found that).
    state = RosterState(instance, candidates)
    for s, v in sorted(final_pairs, key=lambda pair: not state.senior[pair[1]]):
        state.add(v, s)
    before = len(final_pairs)
    for s in shift_order(instance):
        state.fill_shift(s)
    topped_up = len(state.pairs()) - before

    solution = _explain(instance, state)
    solution.stats.update(
        _stats(instance, state, candidates)
        | {
            "engine": engine,
            "candidate_pairs": pairs_count,
            "topped_up": topped_up,
            "stages": [st.as_dict() for st in stages],
            "time_to_first_roster": round(first_roster, 3),
            "time_limit": time_limit,
            "elapsed": round(time.monotonic() - t0, 3),
        }
    )
    report("done", solution.stats["filled"])
    return solution


def _run_stages(
    m: _Model,
    incumbent: list[int],
    candidates: list[list[int]],
    *,
    deadline: float,
    stall: float,
    num_workers: int,
    seed: int,
    t0: float,
    on_progress: ProgressCallback | None,
    log_search: bool,
) -> tuple[list[int], list[_StageResult]]:
    instance, model, x = m.instance, m.model, m.x
    shifts = instance.shifts
    index = {pair: i for i, pair in enumerate(m.pairs)}
    results: list[_StageResult] = []
    names = ["fill"]
    if m.needs:
        names.append("skills")
    names += ["max_load", "spread"]
    if m.current:
        names.append("changes")

    # Upper/lower bounds known without search: a stage whose incumbent meets them is skipped.
    fill_ub = sum(min(shifts[s].demand, len(idx)) for s, idx in m.by_shift.items())
    cover_ub = sum(need for _s, _k, need, holders in m.needs if len(holders) >= need) + sum(
        len(holders) for _s, _k, need, holders in m.needs if len(holders) < need
    )
    busy_people = len(m.by_volunteer)

    def even_squares(total: int) -> int:
        if busy_people == 0:
            return 0
        q, r = divmod(total, busy_people)
        return r * (q + 1) ** 2 + (busy_people - r) * q * q

    load_var: cp_model.IntVar | None = None
    weight = 1

    for pos, name in enumerate(names):
        # Objective expression, sense, evaluator, known bound.
        evaluate: Callable[[_Model, list[int]], int]
        if name == "fill":
            # Filled places weighted above every skill need together (weight = all needs + 1), so
            # the order is kept exactly and the fill stage already prefers rosters that meet needs.
            weight = cover_ub + 1
            expr: Any = weight * sum(x) + sum(m.cover)
            maximize, known = True, weight * fill_ub + cover_ub
            evaluate = functools.partial(_weighted_fill, weight=weight)
        elif name == "skills":
            expr, maximize, evaluate, known = sum(m.cover), True, _coverage, cover_ub
        elif name == "max_load":
            filled = _filled(m, incumbent)
            upper = max(_max_load(m, incumbent), 0)
            load_var = model.new_int_var(0, upper, "max_load")
            for idx in m.by_volunteer.values():
                model.add(sum(x[i] for i in idx) <= load_var)
            m.aux_hints.append((load_var, functools.partial(_max_load, m)))
            expr, maximize, evaluate = load_var, False, _max_load
            known = math.ceil(filled / busy_people) if busy_people else 0
        elif name == "spread":
            cap_load = _max_load(m, incumbent)
            terms: list[Any] = []
            for idx in m.by_volunteer.values():
                top = min(cap_load, len(idx))
                if top <= 1:
                    terms.extend(x[i] for i in idx)  # load² = load for 0 or 1
                    continue
                ys = [model.new_bool_var("") for _ in range(top)]
                model.add(sum(ys) == sum(x[i] for i in idx))
                for a, b in itertools.pairwise(ys):
                    model.add_implication(b, a)
                for k, y in enumerate(ys, start=1):
                    terms.append((2 * k - 1) * y)
                    m.aux_hints.append((y, functools.partial(_hint_at_least, k=k, idx=idx)))
            expr, maximize, evaluate = sum(terms), False, _sum_squares
            known = even_squares(_filled(m, incumbent))
        else:  # changes
            expr, maximize, evaluate, known = sum(x[i] for i in m.current), True, _kept, len(m.current)

        if name in ("fill", "max_load", "spread") and deadline - time.monotonic() > 0.1:
            # A quick local search first: CP-SAT starts from a much better hint.
            state = RosterState(instance, candidates)
            chosen = [m.pairs[i] for i, value_01 in enumerate(incumbent) if value_01]
            for s, v in sorted(chosen, key=lambda pair: not state.senior[pair[1]]):
                state.add(v, s)
            budget = 0.15 * (deadline - time.monotonic())
            improve = _augment if name == "fill" else _balance
            if improve(state, deadline=time.monotonic() + budget):
                incumbent = [0] * len(m.pairs)
                for pair in state.pairs():
                    incumbent[index[pair]] = 1
                if on_progress is not None:
                    shown = _filled(m, incumbent) if name == "fill" else evaluate(m, incumbent)
                    local = "augment" if name == "fill" else "balance"
                    on_progress(f"{name}:{local}", float(shown), time.monotonic() - t0)

        value = evaluate(m, incumbent)
        started = time.monotonic()
        at_bound = value >= known if maximize else value <= known
        remaining = deadline - started
        if at_bound or remaining < 0.05:
            results.append(
                _StageResult(name, "OPTIMAL" if at_bound else "SKIPPED", value, known, 0.0, skipped=True)
            )
        else:
            share = STAGE_WEIGHTS[name] / sum(STAGE_WEIGHTS[n] for n in names[pos:])
            budget = remaining * share
            model.clear_hints()
            for var, value_01 in zip(x, incumbent, strict=True):
                model.add_hint(var, value_01)
            for var, fn in m.aux_hints:
                model.add_hint(var, fn(incumbent))
            if maximize:
                model.maximize(expr)
            else:
                model.minimize(expr)
            solver = cp_model.CpSolver()
            solver.parameters.max_time_in_seconds = max(0.01, budget)
            solver.parameters.num_workers = num_workers
            solver.parameters.random_seed = seed
            solver.parameters.log_search_progress = log_search
            # The full-problem worker with every constraint in its LP (clauses included): its bound
            # proves the fairness stages optimal where the default worker's weaker LP cannot.
            solver.parameters.subsolvers.append("max_lp")
            # Inclusion detection between the weekly-cap and load rows costs seconds of wall time
            # on a city-sized model (quadratic in rows sharing variables) and finds little here.
            solver.parameters.presolve_inclusion_work_limit = 0
            reporter = _Reporter(name, t0, on_progress, weight if name == "fill" else 1)
            status = _solve_with_stall_limit(solver, model, reporter, stall)
            status_name = solver.status_name(status)
            last = reporter.last_improvement
            if status == cp_model.FEASIBLE and last is not None and time.monotonic() - last > stall:
                status_name = "STALLED"
            if status == cp_model.MODEL_INVALID:
                raise RuntimeError(f"CP-SAT model invalid in stage {name}: {model.validate()}")
            bound = solver.best_objective_bound if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else known
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                values = solver.response_proto.solution
                found = [int(values[var.index]) for var in x]
                found_value = evaluate(m, found)
                if (found_value >= value) if maximize else (found_value <= value):
                    incumbent, value = found, found_value
            results.append(_StageResult(name, status_name, value, float(bound), time.monotonic() - started))
        # Fix this objective at the incumbent's value for every later stage.
        if name == "fill":
            value = _filled(m, incumbent)
            model.add(sum(x) >= value)
            results[-1].objective = value
            results[-1].bound = results[-1].bound // weight
        elif name == "max_load" and load_var is not None:
            model.add(load_var <= value)
        elif maximize:
            model.add(expr >= value)
        else:
            model.add(expr <= value)
        if on_progress is not None:
            on_progress(name, float(value), time.monotonic() - t0)
    model.clear_objective()
    return incumbent, results


_MOVABLE = ("busy", "day_cap", "rest", "week_cap")


def _augment(state: RosterState, *, deadline: float, max_nodes: int = 40) -> int:
    """Fill more places with chains of moves: a free person takes a place on shift t_k, whose
    current holder moves to t_(k-1), ..., whose holder moves to the shift with the empty place
    (a breadth-first search over shifts, like augmenting paths in a matching). Every hard rule is
    re-checked as the moves are applied; a chain that breaks one is undone. Returns places added."""
    added = 0
    for s0 in shift_order(state.instance):
        while len(state.on_shift[s0]) < state.instance.shifts[s0].demand:
            if time.monotonic() >= deadline:
                return added
            chain = _find_chain(state, s0, max_nodes)
            if chain is None or not _apply_chain(state, chain):
                break
            added += 1
    return added


def _find_chain(state: RosterState, s0: int, max_nodes: int) -> list[tuple[int, int | None, int]] | None:
    """Moves (volunteer, from shift or None for a free person, to shift), the first filling s0."""
    parent: dict[int, tuple[int, int, int] | None] = {s0: None}  # shift -> (to shift, volunteer)
    queue = [s0]
    head = 0

    def moves_to(end: int, last: tuple[int, int | None, int]) -> list[tuple[int, int | None, int]]:
        path = [last]
        node = end
        while (link := parent[node]) is not None:
            to_shift, volunteer, from_shift = link
            path.append((volunteer, from_shift, to_shift))
            node = to_shift
        path.reverse()
        return path

    while head < len(queue) and head < max_nodes:
        cur = queue[head]
        head += 1
        accept = (None,) if cur == s0 else (None, "full")  # a chained shift is about to lose one
        for w in state.candidates[cur]:
            if state.blocker(w, cur) in accept:
                return moves_to(cur, (w, None, cur))
        for w in state.candidates[cur]:
            if state.blocker(w, cur) not in _MOVABLE:
                continue
            for t in list(state.of_volunteer[w]):
                if t in parent:
                    continue
                if (
                    state.senior[w]
                    and state.seniors_on[t] == 1
                    and any(state.trainee[v] for v in state.on_shift[t])
                ):
                    continue
                state.remove(w, t)
                free = state.blocker(w, cur) in accept
                state.add(w, t)
                if free:
                    parent[t] = (cur, w, t)
                    queue.append(t)
    return None


def _apply_chain(state: RosterState, chain: list[tuple[int, int | None, int]]) -> bool:
    volunteers = [v for v, _f, _t in chain]
    if len(set(volunteers)) != len(volunteers):
        return False
    done: list[tuple[int, int | None, int]] = []
    for volunteer, from_shift, to_shift in chain:
        if from_shift is not None:
            state.remove(volunteer, from_shift)
        if state.blocker(volunteer, to_shift) is not None:
            if from_shift is not None:
                state.add(volunteer, from_shift)
            for v, f, t in reversed(done):
                state.remove(v, t)
                if f is not None:
                    state.add(v, f)
            return False
        state.add(volunteer, to_shift)
        done.append((volunteer, from_shift, to_shift))
    return True


def _balance(state: RosterState, *, deadline: float) -> int:
    """Hand shifts from busier people to people at least two shifts lighter, as long as every hard
    rule holds and the filled places and met skill needs stay as they are. Each move lowers the
    sum of squared loads and never raises the busiest load. Returns the number of moves."""
    instance = state.instance
    skills = [v.skills for v in instance.volunteers]
    on_shift = state.on_shift

    def replaceable(heavy: int, light: int, s: int) -> bool:
        if state.blocker(light, s) not in (None, "full"):
            return False
        shift = instance.shifts[s]
        if state.trainee[light] and state.seniors_on[s] - state.senior[heavy] < 1:
            return False
        if (
            state.senior[heavy]
            and not state.senior[light]
            and state.seniors_on[s] == 1
            and any(state.trainee[v] for v in on_shift[s])
        ):
            return False
        for skill, need in shift.skills.items():
            if (
                skill in skills[heavy]
                and skill not in skills[light]
                and sum(1 for v in on_shift[s] if skill in skills[v]) <= need
            ):
                return False
        return True

    moves = 0
    improved = True
    while improved and time.monotonic() < deadline:
        improved = False
        lightest = min((state.load(v) for people in state.candidates for v in people), default=0)
        for heavy in sorted(range(len(instance.volunteers)), key=lambda v: -state.load(v)):
            if state.load(heavy) < lightest + 2 or time.monotonic() >= deadline:
                break
            for s in list(state.of_volunteer[heavy]):
                limit = state.load(heavy) - 2
                best, best_load = -1, limit + 1
                for light in state.candidates[s]:
                    load = state.load(light)
                    if load < best_load and replaceable(heavy, light, s):
                        best, best_load = light, load
                if best >= 0:
                    state.remove(heavy, s)
                    state.add(best, s)
                    moves += 1
                    improved = True
                    if state.load(heavy) < lightest + 2:
                        break
    return moves


# --- explaining and measuring ----------------------------------------------------------------------


def _explain(instance: Instance, state: RosterState) -> Solution:
    shifts, volunteers = instance.shifts, instance.volunteers
    unfilled: list[Unfilled] = []
    unmet: list[UnmetSkill] = []
    for s in shift_order(instance):
        shift = shifts[s]
        people = state.on_shift[s]
        missing = shift.demand - len(people)
        if missing > 0:
            code = _reason(state, s)
            unfilled.append(Unfilled(shift.id, missing, code, reason_text(code)))
        for skill, need in sorted(shift.skills.items()):
            have = sum(1 for v in people if skill in volunteers[v].skills)
            if have < need:
                code = "no_senior_free" if skill == SENIOR else "no_skilled_free"
                unmet.append(UnmetSkill(shift.id, skill, need - have, code, reason_text(code, skill)))
    pairs = [(shifts[s].id, volunteers[v].id) for s, v in state.pairs()]
    return Solution(assignments=pairs, unfilled=unfilled, unmet_skills=unmet)


def _reason(state: RosterState, s: int) -> str:
    """Why shift ``s`` still has empty places, judged from its candidates in the final roster."""
    others = [v for v in state.candidates[s] if v not in state.on_shift[s]]
    if not others:
        return "no_one_reaches"
    blockers = [state.blocker(v, s) for v in others]
    if "trainee" in blockers:
        return "no_senior_free"
    busy = sum(1 for b in blockers if b == "busy")
    at_cap = sum(1 for b in blockers if b in ("week_cap", "day_cap", "rest"))
    return "all_busy" if busy > at_cap else "all_at_cap"


def _stats(instance: Instance, state: RosterState, candidates: Sequence[Sequence[int]]) -> dict[str, Any]:
    shifts, volunteers = instance.shifts, instance.volunteers
    slots = sum(s.demand for s in shifts)
    filled = len(state.pairs())
    needs = sum(sum(s.skills.values()) for s in shifts)
    unmet = 0
    for s, shift in enumerate(shifts):
        for skill, need in shift.skills.items():
            have = sum(1 for v in state.on_shift[s] if skill in volunteers[v].skills)
            unmet += max(0, need - have)
    could_serve = sorted({v for people in candidates for v in people})
    loads = [state.load(v) for v in range(len(volunteers))]
    serving_loads = [loads[v] for v in could_serve] or [0]
    current = set(instance.current)
    chosen = {(shifts[s].id, volunteers[v].id) for s, v in state.pairs()}
    kept = len(current & chosen)
    return {
        "shifts": len(shifts),
        "volunteers": len(volunteers),
        "slots": slots,
        "filled": filled,
        "unfilled": slots - filled,
        "skill_needs": needs,
        "skill_needs_unmet": unmet,
        "max_load": max(loads, default=0),
        "min_load": min(serving_loads),
        "mean_load": round(sum(serving_loads) / len(serving_loads), 3),
        "load_sum_squares": sum(load * load for load in loads),
        "volunteers_serving": sum(1 for load in loads if load),
        "current": len(current),
        "kept": kept,
        "changes": (len(current) - kept) + (filled - kept) if current else 0,
    }
