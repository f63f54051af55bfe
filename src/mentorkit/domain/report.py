"""The progress review: how the mentorship went over a period, as data for the report."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from mentorkit.domain.contacts import BetweenMeetings, between_meetings
from mentorkit.domain.goals import KpiProgress, kpi_progress
from mentorkit.domain.stats import Stats, Told, compute
from mentorkit.errors import UsageProblem
from mentorkit.file.model import Feedback, Goal, Kpi, Measurement, Meeting, Mentorship, Resource


@dataclass
class KpiReport:
    """One KPI over the period: its series up to the end of the period, and where it stands."""

    kpi: Kpi
    series: list[Measurement]
    in_period: int
    progress: KpiProgress


@dataclass
class GoalReport:
    """A goal and its KPIs."""

    goal: Goal
    kpis: list[KpiReport]


@dataclass
class Report:
    """Everything the progress review shows."""

    m: Mentorship
    start: date
    end: date
    title: str
    through: date  # the last day the figures cover: the end of the period, or today if sooner
    term_elapsed: float  # how far into the term `through` falls, 0..1
    goals: list[GoalReport]
    stats: Stats
    recognition: list[Feedback]
    feedback: list[Feedback]
    achieved: list[Goal]
    resources_done: list[Resource]
    resources_open: list[Resource] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    between: BetweenMeetings | None = None  # the contacts between meetings in the period


def period(
    since: date | None, until: date | None, quarter: str | None, m: Mentorship, today: date
) -> tuple[date, date, str]:
    """The period: --quarter 2026Q1, or --since/--until (defaults: the start of the term, today)."""
    if quarter:
        match = re.fullmatch(r"(\d{4})\s*-?\s*[Qq]([1-4])", quarter.strip())
        if not match:
            raise UsageProblem(f"--quarter is written like 2026Q1, not {quarter!r}")
        year, number = int(match.group(1)), int(match.group(2))
        start = date(year, 3 * number - 2, 1)
        end = (date(year + (number == 4), (3 * number) % 12 + 1, 1)) - timedelta(days=1)
        return start, end, f"{year} Q{number}"
    start = since or m.agreement.term.start
    end = until or today
    if end < start:
        raise UsageProblem(f"the period ends ({end}) before it starts ({start})")
    return start, end, f"{start} to {end}"


def build(
    m: Mentorship,
    start: date,
    end: date,
    title: str,
    now: datetime,
    today: date,
    told: Told | None = None,
) -> Report:
    """`told`: the due dates' changes from the history (see `stats.compute`)."""
    moment = min(end, today)
    goals = []
    for goal in m.goals:
        if goal.created > end:
            continue
        kpis = []
        for kpi in goal.kpis:
            series = [s for s in kpi.measurements if s.date <= end]
            view = Kpi(**{**kpi.__dict__, "measurements": series})
            kpis.append(
                KpiReport(
                    kpi,
                    series,
                    sum(1 for s in series if s.date >= start),
                    kpi_progress(view, moment),
                )
            )
        goals.append(GoalReport(goal, kpis))
    term = m.agreement.term
    elapsed = 0.0
    if term.end and term.end > term.start:
        elapsed = max(0.0, min(1.0, (moment - term.start).days / (term.end - term.start).days))
    inside = [f for f in m.feedback if start <= f.date <= end]
    notes = []
    if not any(r.series for g in goals for r in g.kpis):
        notes.append("No KPI measurements up to the end of this period yet.")
    return Report(
        m=m,
        start=start,
        end=end,
        title=title,
        through=moment,
        term_elapsed=elapsed,
        goals=goals,
        stats=compute(m, now, today, start, end, told),
        recognition=[f for f in inside if f.kind == "recognition"],
        feedback=[f for f in inside if f.kind == "feedback"],
        achieved=[g for g in m.goals if g.achieved and start <= g.achieved <= end],
        resources_done=[r for r in m.resources if r.completed and start <= r.completed <= end],
        resources_open=[
            r
            for r in m.resources
            if r.shared <= moment and (r.completed is None or r.completed > moment)
        ],
        meetings=sorted((x for x in m.meetings if start <= x.date <= end), key=lambda x: x.date),
        notes=notes,
        between=between_meetings(m, now, start, end),
    )
