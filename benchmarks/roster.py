"""Roster benchmark: the CP-SAT solver, the plain greedy baseline and an LP bound, side by side.

    .venv/bin/python benchmarks/roster.py                      # all four instances, markdown table
    .venv/bin/python benchmarks/roster.py --only hoian city    # a subset
    .venv/bin/python benchmarks/roster.py --write-instances var/bench   # also save the JSON instances

Instances are generated with a fixed seed (same figures on every run, up to timing):

- ``hoian``: the Hội An team, 30 volunteers, 1 point (the public administration centre), 4 weeks;
- ``city``: 300 volunteers, 20 points in 4 districts, 4 weeks;
- ``province``: 3,000 volunteers, 100 points in 20 districts, 4 weeks;
- ``tight``: the city's 300 volunteers and 20 points, but twice the headcount: demand well above
  what they can give.

Points open Monday–Friday 07:30–11:30 and 13:30–17:00 and Saturday morning; every shift needs one
senior, morning shifts at the larger points also someone who knows VNeID ("vneid"). A volunteer
reaches their home point, often a second point of their district, sometimes one of the next
district (so a province is one connected problem, not 20 small ones). Rules: one shift a day, 10 h
rest, a personal weekly cap of 2–4; every point's own team is a third seniors, and one in five of the
others is a trainee; half have exam days or a trip off.

Every roster is judged by ``xungkich.rosters.plan.checker`` (not by the solver's own claim). The LP
bound is the linear relaxation of the same hard rules (clique form) solved with HiGHS (``highspy``),
or OR-Tools' GLOP when highspy is not installed: the maximum of filled places; the fewest unmet
skill needs at that filling; and the smallest possible busiest load among rosters that fill as many
places and meet as many skill needs as the CP-SAT roster (the order of the objectives).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xungkich.settings")

import django  # noqa: E402

django.setup()

from xungkich.rosters.plan import checker, solver  # noqa: E402
from xungkich.rosters.plan.greedy import greedy_roster  # noqa: E402
from xungkich.rosters.plan.instance import Instance, load_instance, reachable  # noqa: E402

TZ = "Asia/Ho_Chi_Minh"
SIZES: dict[str, dict[str, Any]] = {
    "hoian": {"volunteers": 30, "points": 1, "district": 1, "days": 28, "demand": (3, 2), "limit": 5},
    "city": {"volunteers": 300, "points": 20, "district": 5, "days": 28, "demand": (3, 2), "limit": 60},
    "province": {
        "volunteers": 3000,
        "points": 100,
        "district": 5,
        "days": 28,
        "demand": (3, 2),
        "limit": 120,
    },
    "tight": {"volunteers": 300, "points": 20, "district": 5, "days": 28, "demand": (6, 5), "limit": 60},
}


# --- instances ---------------------------------------------------------------------------------------


def generate(kind: str, seed: int = 2026) -> dict[str, Any]:
    """A ``xungkich-roster/1`` instance of the named size."""
    size = SIZES[kind]
    rng = random.Random(f"{kind}-{seed}")
    start = dt.date(2026, 12, 7)  # a Monday
    days = size["days"]
    n_points, per_district = size["points"], size["district"]
    points = [{"id": f"P{p + 1:03d}", "name": f"Điểm hỗ trợ {p + 1}"} for p in range(n_points)]
    if kind == "hoian":
        points[0]["name"] = "Trung tâm Hành chính công Hội An"
    big = {p for p in range(n_points) if p % per_district == 0}  # one large point per district

    def at(day: dt.date, hhmm: str) -> str:
        return f"{day.isoformat()}T{hhmm}:00+07:00"

    shifts = []
    for p in range(n_points):
        morning_demand, afternoon_demand = size["demand"]
        if p not in big:
            morning_demand, afternoon_demand = max(2, morning_demand - 1), max(2, afternoon_demand - 1)
        for offset in range(days):
            day = start + dt.timedelta(days=offset)
            weekday = day.weekday()
            if weekday == 6:
                continue
            blocks = [("S", "07:30", "11:30", morning_demand)]
            if weekday < 5:
                blocks.append(("C", "13:30", "17:00", afternoon_demand))
            for code, begin, end, demand in blocks:
                skills = {"senior": 1}
                if code == "S" and p in big:
                    skills["vneid"] = 1
                shifts.append(
                    {
                        "id": f"{points[p]['id']}-{day.isoformat()}-{code}",
                        "point": points[p]["id"],
                        "start": at(day, begin),
                        "end": at(day, end),
                        "demand": demand,
                        "skills": skills,
                    }
                )

    n_districts = math.ceil(n_points / per_district)
    volunteers = []
    for i in range(size["volunteers"]):
        home = i % n_points
        district = home // per_district
        reach = {home}
        same = list(range(district * per_district, min(n_points, (district + 1) * per_district)))
        if len(same) > 1 and rng.random() < 0.5:
            reach.add(rng.choice(same))
        if n_districts > 1 and rng.random() < 0.1:
            neighbour = (district + rng.choice((-1, 1))) % n_districts
            lo = neighbour * per_district
            reach.add(rng.randrange(lo, min(n_points, lo + per_district)))
        # Every point's own team has its share of seniors (one in three); some others are trainees.
        vol_skills = ["senior"] if (i // n_points) % 3 == 0 else ["trainee"] if rng.random() < 0.2 else []
        if rng.random() < 0.4:
            vol_skills.append("vneid")
        unavailable = []
        if rng.random() < 0.5:
            for _ in range(rng.randint(1, 3)):
                day = start + dt.timedelta(days=rng.randrange(days))
                if rng.random() < 0.5:
                    unavailable.append(
                        {"start": at(day, "00:00"), "end": at(day + dt.timedelta(days=1), "00:00")}
                    )
                else:
                    unavailable.append({"start": at(day, "07:00"), "end": at(day, "12:00")})
        if rng.random() < 0.05:
            first = start + dt.timedelta(days=rng.randrange(max(1, days - 7)))
            unavailable.append(
                {"start": at(first, "00:00"), "end": at(first + dt.timedelta(days=7), "00:00")}
            )
        volunteers.append(
            {
                "id": f"V{i + 1:04d}",
                "name": f"Tình nguyện viên {i + 1}",
                "unit": f"U{district + 1:02d}",
                "points": [points[p]["id"] for p in sorted(reach)],
                "skills": vol_skills,
                "max_shifts_per_week": rng.choice((2, 3, 3, 4)),
                "unavailable": unavailable,
            }
        )
    return {
        "format": "xungkich-roster/1",
        "name": f"{kind}-2026-12",
        "start": start.isoformat(),
        "days": days,
        "timezone": TZ,
        "rules": {"max_shifts_per_day": 1, "min_rest_hours": 10},
        "service_points": points,
        "shifts": shifts,
        "volunteers": volunteers,
    }


# --- LP bound ----------------------------------------------------------------------------------------


def _lp_rows(instance: Instance) -> tuple[list[tuple[int, int]], list[tuple[list[int], list[float], float]]]:
    """Eligible pairs and the rows (indices, coefficients, upper bound) of the relaxation."""
    shifts, volunteers = instance.shifts, instance.volunteers
    cand = reachable(instance)
    pairs: list[tuple[int, int]] = []
    for s, people in enumerate(cand):
        pairs.extend((s, v) for v in people if volunteers[v].max_shifts_per_week != 0)
    rows: list[tuple[list[int], list[float], float]] = []
    by_shift: dict[int, list[int]] = defaultdict(list)
    by_vol: dict[int, list[int]] = defaultdict(list)
    for i, (s, v) in enumerate(pairs):
        by_shift[s].append(i)
        by_vol[v].append(i)
    for s, idx in by_shift.items():
        rows.append((idx, [1.0] * len(idx), float(shifts[s].demand)))
        seniors = [i for i in idx if volunteers[pairs[i][1]].is_senior]
        for i in idx:
            if volunteers[pairs[i][1]].is_trainee:
                rows.append(([i, *seniors], [1.0] + [-1.0] * len(seniors), 0.0))
    half = instance.rules.min_rest_hours * 1800.0
    tz = instance.timezone
    for v, idx in by_vol.items():
        spans = sorted(
            (shifts[pairs[i][0]].start.timestamp() - half, shifts[pairs[i][0]].end.timestamp() + half, i)
            for i in idx
        )
        active: list[tuple[float, int]] = []
        for j, (begin, end, i) in enumerate(spans):
            active = [(e, k) for e, k in active if e > begin]
            active.append((end, i))
            nxt = spans[j + 1][0] if j + 1 < len(spans) else math.inf
            if len(active) > 1 and any(e <= nxt for e, _k in active):
                rows.append(([k for _e, k in active], [1.0] * len(active), 1.0))
        days: dict[int, list[int]] = defaultdict(list)
        weeks: dict[int, list[int]] = defaultdict(list)
        for i in idx:
            local = (shifts[pairs[i][0]].start.astimezone(tz).date() - instance.start).days
            days[local].append(i)
            weeks[local // 7].append(i)
        for day_idx in days.values():
            rows.append((day_idx, [1.0] * len(day_idx), float(instance.rules.max_shifts_per_day)))
        cap = volunteers[v].max_shifts_per_week
        if cap is not None:
            for week_idx in weeks.values():
                rows.append((week_idx, [1.0] * len(week_idx), float(cap)))
    return pairs, rows


def lp_bound(instance: Instance, *, filled: int, covered: int) -> dict[str, Any]:
    """LP relaxation figures: the most places that can be filled; the most skill needs that can be
    met at that filling; and the lowest busiest load of any roster filling ``filled`` places and
    meeting ``covered`` needs (the CP-SAT roster's figures, so the bound is the one its fairness
    stage had to reach)."""
    pairs, rows = _lp_rows(instance)
    n = len(pairs)
    vols: dict[int, list[int]] = defaultdict(list)
    for i, (_s, v) in enumerate(pairs):
        vols[v].append(i)
    # Coverage columns n .. n+m-1: cov <= need, cov <= sum of holders on the shift.
    by_shift: dict[int, list[int]] = defaultdict(list)
    for i, (s, _v) in enumerate(pairs):
        by_shift[s].append(i)
    needs: list[int] = []
    cover_rows: list[tuple[list[int], list[float], float]] = []
    for s, shift in enumerate(instance.shifts):
        for skill, need in shift.skills.items():
            holders = [i for i in by_shift[s] if skill in instance.volunteers[pairs[i][1]].skills]
            col = n + len(needs)
            needs.append(need)
            cover_rows.append(([col, *holders], [1.0] + [-1.0] * len(holders), 0.0))
    m = len(needs)
    load_col = n + m
    width = n + m + 1
    lower = [0.0] * width
    upper = [1.0] * n + [float(k) for k in needs] + [1e9]
    all_x = list(range(n))
    all_cov = list(range(n, n + m))
    try:
        import highspy  # noqa: F401

        engine = "HiGHS"
        solve_lp = _highs
    except ImportError:
        engine = "GLOP"
        solve_lp = _glop
    started = time.monotonic()
    base = rows + cover_rows

    def objective(cols: list[int], sign: float) -> list[float]:
        cost = [0.0] * width
        for c in cols:
            cost[c] = sign
        return cost

    max_filled = -solve_lp(width, objective(all_x, -1.0), lower, upper, base)
    target = math.floor(max_filled + 1e-6)
    at_max = [*base, (all_x, [-1.0] * n, -float(target))]
    max_covered = -solve_lp(width, objective(all_cov, -1.0), lower, upper, at_max)
    fair = [
        *base,
        (all_x, [-1.0] * n, -float(filled)),
        (all_cov, [-1.0] * m, -float(covered)),
        *(([*idx, load_col], [1.0] * len(idx) + [-1.0], 0.0) for idx in vols.values()),
    ]
    min_max = solve_lp(width, objective([load_col], 1.0), lower, upper, fair)
    return {
        "engine": engine,
        "max_filled": max_filled,
        "integral": abs(max_filled - round(max_filled)) < 1e-6,
        "min_unmet": sum(needs) - max_covered,
        "min_max_load": min_max,
        "seconds": time.monotonic() - started,
    }


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    sys.stdout.flush()
    saved = os.dup(1)
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 1)
        try:
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)


def _highs(n: int, cost: list[float], lower: list[float], upper: list[float], rows: list[Any]) -> float:
    import highspy
    import numpy as np

    with _quiet_stdout():  # HiGHS prints its banner when the first instance is made
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    # Interior point (with crossover, for exact vertex values): on the province LP it takes about
    # half a minute where the dual simplex takes many minutes.
    h.setOptionValue("solver", "ipm")
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = len(rows)
    lp.col_cost_ = np.array(cost)
    lp.col_lower_ = np.array(lower)
    lp.col_upper_ = np.array(upper)
    lp.row_lower_ = np.full(len(rows), -highspy.kHighsInf)
    lp.row_upper_ = np.array([ub for _idx, _val, ub in rows])
    starts, index, value = [0], [], []
    for idx, val, _ub in rows:
        index.extend(idx)
        value.extend(val)
        starts.append(len(index))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(value)
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = len(rows)
    h.passModel(lp)
    h.run()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"HiGHS: {h.modelStatusToString(status)}")
    return float(h.getInfo().objective_function_value)


def _glop(n: int, cost: list[float], lower: list[float], upper: list[float], rows: list[Any]) -> float:
    from ortools.linear_solver import pywraplp

    lp = pywraplp.Solver.CreateSolver("GLOP")
    xs = [lp.NumVar(lo, hi, "") for lo, hi in zip(lower, upper, strict=True)]
    for idx, val, ub in rows:
        row = lp.Constraint(-lp.infinity(), ub)
        for i, c in zip(idx, val, strict=True):
            row.SetCoefficient(xs[i], c)
    objective = lp.Objective()
    for var, c in zip(xs, cost, strict=True):
        objective.SetCoefficient(var, c)
    objective.SetMinimization()
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        raise RuntimeError("GLOP: not optimal")
    return float(objective.Value())


# --- comparison --------------------------------------------------------------------------------------


def _measure(instance: Instance, pairs: list[tuple[str, str]]) -> dict[str, Any]:
    volunteers = {v.id: v for v in instance.volunteers}
    on_shift: dict[str, list[str]] = defaultdict(list)
    load: dict[str, int] = defaultdict(int)
    for s, v in pairs:
        on_shift[s].append(v)
        load[v] += 1
    unmet = 0
    for shift in instance.shifts:
        for skill, need in shift.skills.items():
            have = sum(1 for v in on_shift[shift.id] if skill in volunteers[v].skills)
            unmet += max(0, need - have)
    return {
        "filled": len(pairs),
        "unmet_skills": unmet,
        "max_load": max(load.values(), default=0),
        "squares": sum(n * n for n in load.values()),
        "violations": len(checker.check(instance, pairs)),
    }


def run(kind: str, *, time_limit: float | None, workers: int, write_to: Path | None) -> list[dict[str, Any]]:
    doc = generate(kind)
    if write_to is not None:
        write_to.mkdir(parents=True, exist_ok=True)
        (write_to / f"{kind}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    instance = load_instance(doc)
    slots = sum(s.demand for s in instance.shifts)
    needs = sum(sum(s.skills.values()) for s in instance.shifts)
    common: dict[str, Any] = {
        "instance": kind,
        "volunteers": len(instance.volunteers),
        "points": len(instance.service_points),
        "shifts": len(instance.shifts),
        "slots": slots,
        "needs": needs,
    }
    print(f"# {kind}: {common}", file=sys.stderr)

    started = time.monotonic()
    greedy_pairs = greedy_roster(instance)
    greedy_time = time.monotonic() - started
    greedy_row = common | {"method": "greedy", "first": greedy_time, "total": greedy_time}
    greedy_row |= _measure(instance, greedy_pairs)

    limit = time_limit if time_limit is not None else SIZES[kind]["limit"]
    first: list[float] = []

    def progress(stage: str, objective: float, elapsed: float) -> None:
        if stage == "greedy":
            first.append(elapsed)
        print(f"  [{elapsed:7.2f}s] {stage:<9} {objective:g}", file=sys.stderr)

    started = time.monotonic()
    solution = solver.solve(instance, time_limit=limit, num_workers=workers, on_progress=progress)
    total = time.monotonic() - started
    cp_row = common | {
        "method": f"CP-SAT ({limit:g} s)",
        "first": first[0] if first else total,
        "total": total,
    }
    cp_row |= _measure(instance, solution.assignments)
    cp_row["stages"] = solution.stats["stages"]

    cp_covered = needs - cp_row["unmet_skills"]
    bound = lp_bound(instance, filled=cp_row["filled"], covered=cp_covered)
    lp_row = common | {
        "method": f"LP bound ({bound['engine']})",
        "first": bound["seconds"],
        "total": bound["seconds"],
        "filled": bound["max_filled"],
        "integral": bound["integral"],
        "max_load": bound["min_max_load"],
        "unmet_skills": bound["min_unmet"],
        "violations": None,
    }
    for row in (greedy_row, cp_row):
        row["lp_filled"] = bound["max_filled"]
        row["lp_load"] = bound["min_max_load"]
    return [cp_row, greedy_row, lp_row]


def table(rows: list[dict[str, Any]]) -> str:
    head = (
        "| instance | method | filled / slots | vs LP max | unmet skill needs | busiest (vs LP bound) "
        "| load Σ² | violations | first roster | total |\n|---|---|---|---|---|---|---|---|---|---|"
    )
    lines = [head]
    for row in rows:
        size = f"{row['instance']} ({row['volunteers']} v, {row['points']} p, {row['shifts']} shifts)"
        if row["method"].startswith("LP"):
            filled = f"{row['filled']:.2f} / {row['slots']}" + (" (integral)" if row["integral"] else "")
            versus = "—"
            unmet = f"≥ {row['unmet_skills']:.2f}"
            busiest = f"≥ {row['max_load']:.2f} (→ {math.ceil(row['max_load'] - 1e-6)})"
            violations = "—"
            squares = "—"
        else:
            filled = f"{row['filled']} / {row['slots']}"
            versus = f"{row['filled'] - math.floor(row['lp_filled'] + 1e-6):+d}"
            unmet = f"{row['unmet_skills']} / {row['needs']}"
            lower = math.ceil(row["lp_load"] - 1e-6)
            busiest = f"{row['max_load']} ({row['max_load'] - lower:+d})"
            violations = str(row["violations"])
            squares = str(row["squares"])
        lines.append(
            f"| {size} | {row['method']} | {filled} | {versus} | {unmet} | {busiest} | {squares} "
            f"| {violations} | {row['first']:.2f} s | {row['total']:.2f} s |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", nargs="*", choices=list(SIZES), default=list(SIZES))
    parser.add_argument("--time-limit", type=float, default=None, help="override every solver time limit")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--write-instances", type=Path, default=None)
    args = parser.parse_args(argv)
    rows: list[dict[str, Any]] = []
    for kind in args.only:
        rows.extend(
            run(kind, time_limit=args.time_limit, workers=args.workers, write_to=args.write_instances)
        )
    print(table(rows))
    print()
    for row in rows:
        if "stages" in row:
            stages = ", ".join(
                f"{st['stage']} {st['status'].lower()} {st['objective']:g} in {st['seconds']:.1f} s"
                for st in row["stages"]
            )
            print(f"- {row['instance']}: {stages}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
