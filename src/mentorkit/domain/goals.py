"""Goals, their KPIs, and how far each KPI has come."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from mentorkit.domain import ids
from mentorkit.domain.corrections import Corrections
from mentorkit.domain.wording import amount, because, one_line, plural, quoted
from mentorkit.errors import UsageProblem
from mentorkit.file.model import (
    DIRECTIONS,
    Goal,
    Kpi,
    Measurement,
    Mentorship,
    Number,
    Role,
    one_of,
)


def find_goal(m: Mentorship, prefix: str) -> Goal:
    return ids.find(m.goals, prefix, "goal")


def find_kpi(m: Mentorship, prefix: str) -> tuple[Goal, Kpi]:
    kpi = ids.find([kpi for _, kpi in m.kpis()], prefix, "KPI")
    goal = next(goal for goal in m.goals if kpi in goal.kpis)
    return goal, kpi


def add_goal(
    m: Mentorship,
    competency: str,
    *,
    why: str | None,
    strategies: list[str],
    by: Role | None,
    today: date,
    rng: random.Random | None = None,
) -> tuple[Goal, str]:
    if not competency.strip():
        raise UsageProblem("a goal needs the competency it develops")
    goal = Goal(
        id=ids.new_id(m.all_ids(), rng),
        competency=one_line(competency, "the competency"),
        why=why or None,
        strategies=[s.strip() for s in strategies if s.strip()],
        created=today,
        set_by=by,
    )
    m.goals.append(goal)
    return goal, f"{by or 'someone'} set goal {goal.id} {quoted(goal.competency)}"


def edit_goal(
    m: Mentorship,
    prefix: str,
    *,
    competency: str | None = None,
    why: str | None = None,
    add_strategies: list[str] | None = None,
    remove_strategies: list[int] | None = None,
    by: Role | None = None,
) -> tuple[Goal, str]:
    goal = find_goal(m, prefix)
    changed = []
    if competency is not None and competency.strip() and competency.strip() != goal.competency:
        goal.competency = one_line(competency, "the competency")
        changed.append("competency")
    if why is not None and (why or None) != goal.why:
        goal.why = why or None
        changed.append("why")
    for number in sorted(remove_strategies or [], reverse=True):
        if not 1 <= number <= len(goal.strategies):
            raise UsageProblem(
                f"goal {goal.id} has {len(goal.strategies)} strategies; there is no number {number}"
            )
        del goal.strategies[number - 1]
        changed.append("strategies")
    for strategy in add_strategies or []:
        if strategy.strip():
            goal.strategies.append(strategy.strip())
            changed.append("strategies")
    if not changed:
        raise UsageProblem(
            "nothing to change; give --competency, --why, --strategy or --remove-strategy"
        )
    fields = ", ".join(dict.fromkeys(changed))
    return goal, f"{by or 'someone'} edited goal {goal.id} {quoted(goal.competency)} ({fields})"


def achieve_goal(m: Mentorship, prefix: str, *, when: date, by: Role | None) -> tuple[Goal, str]:
    goal = find_goal(m, prefix)
    if goal.status == "achieved":
        raise UsageProblem(f"goal {goal.id} was already achieved on {goal.achieved}")
    goal.status, goal.achieved, goal.dropped, goal.drop_reason = "achieved", when, None, None
    return goal, f"{by or 'someone'} marked goal {goal.id} {quoted(goal.competency)} achieved"


def drop_goal(
    m: Mentorship, prefix: str, *, reason: str | None, when: date, by: Role | None
) -> tuple[Goal, str]:
    goal = find_goal(m, prefix)
    if goal.status == "dropped":
        raise UsageProblem(f"goal {goal.id} was already dropped on {goal.dropped}")
    goal.status, goal.dropped, goal.drop_reason, goal.achieved = (
        "dropped",
        when,
        reason or None,
        None,
    )
    return goal, f"{by or 'someone'} dropped goal {goal.id} {quoted(goal.competency)}"


def add_kpi(
    m: Mentorship,
    goal_prefix: str,
    *,
    name: str,
    baseline: Number,
    target: Number,
    unit: str | None,
    direction: str | None,
    due: date | None,
    by: Role | None,
    rng: random.Random | None = None,
) -> tuple[Kpi, str]:
    goal = find_goal(m, goal_prefix)
    if not name.strip():
        raise UsageProblem("a KPI needs a name")
    if direction is None:
        direction = "lower" if target < baseline else "higher"
    better = one_of(direction, DIRECTIONS)
    if better is None:
        raise UsageProblem(f"direction is higher or lower (which is better), not {direction!r}")
    if (better == "higher" and target < baseline) or (better == "lower" and target > baseline):
        raise UsageProblem(
            f"with {direction} is better, a target of {target} moves away from the baseline {baseline}"
        )
    kpi = Kpi(
        id=ids.new_id(m.all_ids(), rng),
        name=one_line(name, "the KPI's name"),
        unit=unit or None,
        baseline=baseline,
        target=target,
        direction=better,
        due=due,
    )
    goal.kpis.append(kpi)
    return kpi, f"{by or 'someone'} added KPI {kpi.id} {quoted(kpi.name)} to goal {goal.id}"


def record_measurement(
    m: Mentorship,
    prefix: str,
    value: Number,
    *,
    when: date,
    note: str | None,
    by: Role | None,
) -> tuple[Kpi, str]:
    """Add a dated value; the series stays in date order."""
    _, kpi = find_kpi(m, prefix)
    measurement = Measurement(date=when, value=value, note=note or None, by=by)
    position = len(kpi.measurements)
    while position > 0 and kpi.measurements[position - 1].date > when:
        position -= 1
    kpi.measurements.insert(position, measurement)
    return (
        kpi,
        f"{by or 'someone'} recorded {amount(value, kpi.unit)} for KPI {kpi.id} "
        f"{quoted(kpi.name)} ({when})",
    )


def implausible(kpi: Kpi, value: Number, when: date | None) -> list[str]:
    """Why a value looks like a typo: far outside the baseline–target range, over 100 for a
    percentage, or a second value on a date that already has one (`when`; None where the
    value replaces the one on its date)."""
    reasons = _out_of_range(kpi, value, kpi.unit)
    same_day = [s for s in kpi.measurements if s.date == when]
    if same_day:
        reasons.append(
            f"{kpi.name} already has {same_day[0].value} on {when}; "
            f"to correct it use `mentorkit kpi fix {kpi.id} {when} VALUE`"
        )
    return reasons


def _out_of_range(kpi: Kpi, value: Number, unit: str | None, what: str = "") -> list[str]:
    reasons = []
    low, high = sorted((kpi.baseline, kpi.target))
    span = max(high - low, abs(high), abs(low), 1)
    if value > high + 2 * span or value < low - 2 * span:
        reasons.append(
            f"{what}{value} is far outside the range from {kpi.baseline} to {kpi.target}"
        )
    if (unit or "").strip() in ("%", "percent") and not 0 <= value <= 100:
        reasons.append(f"{what}{value} is not a percentage between 0 and 100")
    elif value < 0 <= low:
        reasons.append(f"{what}{value} is below zero, and the baseline and target are not")
    return reasons


def implausible_definition(
    kpi: Kpi, *, baseline: Number | None, target: Number | None, unit: str | None
) -> list[str]:
    """Why a corrected baseline or target looks like a typo, as `implausible` judges a
    measurement: far from the range so far, or outside 0–100 for a percentage."""
    unit = kpi.unit if unit is None else unit
    reasons = []
    for what, value in (("baseline", baseline), ("target", target)):
        if value is not None:
            reasons += _out_of_range(kpi, value, unit, f"a {what} of ")
    return reasons


def edit_kpi(
    m: Mentorship,
    prefix: str,
    *,
    name: str | None = None,
    unit: str | None = None,
    baseline: Number | None = None,
    target: Number | None = None,
    direction: str | None = None,
    due: date | None = None,
    reason: str | None = None,
    by: Role | None,
) -> tuple[Kpi, str]:
    """Correct a KPI's definition; its measurements stay."""
    _, kpi = find_kpi(m, prefix)
    changes = Corrections(kpi)
    if name is not None:
        if not name.strip():
            raise UsageProblem("the new name is empty")
        changes.set("name", one_line(name, "the KPI's name"))
    if unit is not None:
        changes.set("unit", unit.strip() or None)
    if baseline is not None:
        changes.set("baseline", baseline)
    if target is not None:
        changes.set("target", target)
    if direction is not None:
        if direction not in ("higher", "lower"):
            raise UsageProblem(f"direction is higher or lower, not {direction!r}")
        changes.set("direction", direction, quote=False)
    if due is not None:
        changes.set("due", due)
    if (kpi.direction == "higher" and kpi.target < kpi.baseline) or (
        kpi.direction == "lower" and kpi.target > kpi.baseline
    ):
        raise UsageProblem(
            f"with {kpi.direction} is better, a target of {kpi.target} moves away from the "
            f"baseline {kpi.baseline}"
        )
    return kpi, changes.sentence(
        by, "KPI", kpi.name, reason,
        options="--name, --unit, --baseline, --target, --direction or --due",
    )  # fmt: skip


def drop_kpi(m: Mentorship, prefix: str, *, reason: str, by: Role | None) -> tuple[Kpi, str]:
    """Remove a KPI and its measurements from the file; git history keeps them."""
    goal, kpi = find_kpi(m, prefix)
    if not reason.strip():
        raise UsageProblem("say why the KPI is dropped (--reason)")
    goal.kpis.remove(kpi)
    count = len(kpi.measurements)
    return kpi, (
        f"{by or 'someone'} dropped KPI {kpi.id} {quoted(kpi.name)} from goal {goal.id} "
        f"with its {plural(count, 'measurement')}{because(reason)}"
    )


def _measurement_on(kpi: Kpi, when: date) -> Measurement:
    found = [s for s in kpi.measurements if s.date == when]
    if not found:
        dates = ", ".join(str(s.date) for s in kpi.measurements[-6:]) or "none yet"
        raise UsageProblem(f"KPI {kpi.id} has no measurement on {when} (latest dates: {dates})")
    if len(found) > 1:
        values = ", ".join(str(s.value) for s in found)
        raise UsageProblem(
            f"KPI {kpi.id} has {len(found)} measurements on {when} ({values}); "
            f"remove the extra one with `mentorkit kpi unrecord {kpi.id} {when} --value VALUE "
            "--reason WHY`"
        )
    return found[0]


def fix_measurement(
    m: Mentorship,
    prefix: str,
    when: date,
    value: Number,
    *,
    reason: str | None,
    by: Role | None,
) -> tuple[Kpi, str]:
    """Correct the value recorded on one date."""
    _, kpi = find_kpi(m, prefix)
    measurement = _measurement_on(kpi, when)
    if measurement.value == value:
        raise UsageProblem(f"KPI {kpi.id} already has {value} on {when}")
    before, measurement.value = measurement.value, value
    return kpi, (
        f"{by or 'someone'} corrected the {when} measurement of KPI {kpi.id} {quoted(kpi.name)}: "
        f"{amount(before, kpi.unit)} → {amount(value, kpi.unit)}{because(reason)}"
    )


def unrecord_measurement(
    m: Mentorship, prefix: str, when: date, *, value: Number | None, reason: str, by: Role | None
) -> tuple[Kpi, str]:
    """Remove a measurement recorded by mistake. Where a date has two values, `value` says
    which one goes."""
    _, kpi = find_kpi(m, prefix)
    if not reason.strip():
        raise UsageProblem("say why the measurement is removed (--reason)")
    if value is None:
        gone = _measurement_on(kpi, when)
    else:
        matching = [s for s in kpi.measurements if s.date == when and s.value == value]
        if not matching:
            raise UsageProblem(f"KPI {kpi.id} has no measurement of {value} on {when}")
        gone = matching[-1]
    kpi.measurements.remove(gone)
    return kpi, (
        f"{by or 'someone'} removed the {when} measurement of {amount(gone.value, kpi.unit)} from KPI "
        f"{kpi.id} {quoted(kpi.name)}{because(reason)}"
    )


# --------------------------------------------------------------------------- progress


@dataclass
class KpiProgress:
    """Where a KPI stands and where its trend leads."""

    latest: Number
    latest_date: date | None
    progress: float  # 0 at the baseline, 1 at the target; may lie outside
    reached: bool
    slope_per_day: float | None  # the trend, from a least-squares line through the series
    projected: date | None  # when the trend reaches the target
    on_track: bool | None  # None where there is too little data to tell
    verdict: str


def kpi_progress(kpi: Kpi, today: date) -> KpiProgress:
    series = sorted(kpi.measurements, key=lambda s: s.date)
    latest = series[-1].value if series else kpi.baseline
    latest_date = series[-1].date if series else None
    span = kpi.target - kpi.baseline
    progress = 1.0 if span == 0 else (latest - kpi.baseline) / span
    better = 1 if kpi.direction == "higher" else -1
    reached = (latest - kpi.target) * better >= 0
    slope = _slope(series)
    projected: date | None = None
    on_track: bool | None = None
    if reached:
        verdict, on_track = "target reached", True
    elif slope is None:
        verdict = (
            "no measurements yet"
            if not series
            else "one measurement so far"
            if len(series) == 1
            else f"{len(series)} measurements, all on {series[0].date}"
        )
        if kpi.due is not None and kpi.due < today:
            verdict, on_track = f"{verdict}; the due date {kpi.due} has passed", False
    elif slope * better <= 0:
        verdict, on_track = "not moving towards the target", False
    else:
        days = (kpi.target - latest) / slope
        projected = (latest_date or today) + timedelta(days=min(days, 36500))
        if projected < today:
            verdict = (
                f"at this rate reached around {projected}, but nothing measured since "
                f"{latest_date}; record a new value"
            )
            on_track = None
        elif kpi.due is None:
            verdict = f"at this rate, reached around {projected}"
        else:
            on_track = projected <= kpi.due
            verdict = (
                f"on track: reached around {projected}, due {kpi.due}"
                if on_track
                else f"off track: at this rate reached around {projected}, after the due date {kpi.due}"
            )
    return KpiProgress(latest, latest_date, progress, reached, slope, projected, on_track, verdict)


def _slope(series: list[Measurement]) -> float | None:
    if len(series) < 2:
        return None
    xs = [(s.date - series[0].date).days for s in series]
    ys = [float(s.value) for s in series]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return None
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def goals_off_track(m: Mentorship, today: date) -> list[tuple[Goal, Kpi, KpiProgress]]:
    found = []
    for goal in m.goals:
        if goal.status != "active":
            continue
        for kpi in goal.kpis:
            progress = kpi_progress(kpi, today)
            if progress.on_track is False:
                found.append((goal, kpi, progress))
    return found
