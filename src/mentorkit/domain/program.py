"""A mentoring program's view over many pairs, from dates, counts and states only.

Privacy by construction: `figures_of` is the one place that reads a pair's mentorship, and
what it returns, `PairFigures`, holds no text at all (numbers, dates, flags). Everything
else here (health, sorting, distributions, trends) sees only those figures, so notes,
feedback, titles, KPI values and the agreement's words cannot reach any output.
A new count (as the contacts between meetings were) is one field of `PairFigures` and
one line in `figures_of`.
"""

from __future__ import annotations

import dataclasses
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from mentorkit.file.model import SHARED_SETS, Mentorship, SharedSet
from mentorkit.file.programfile import HealthRules as Rules

if TYPE_CHECKING:
    from mentorkit.file.programcache import PairRead

FIGURES_VERSION = 3  # raised when figures are computed differently (the cache is dropped)
FEEDBACK_WINDOW = 28  # days: "feedback in the last four weeks"
TREND_WEEKS = 13  # a quarter
DAYS_AHEAD = 7  # figures computed when a file is read: today's and the next six days'


@dataclass(frozen=True)
class PairFigures:
    """What a program may know of one pair. Every field is a date, a number, a flag or None
    (withheld by the pair, or nothing to count); `withheld` names only field sets."""

    withheld: tuple[SharedSet, ...]
    term_start: date | None  # the term is the agreement's: withheld with it
    term_end: date | None
    agreed_by_both: bool | None
    agreement_complete: bool | None
    meetings_held: int | None
    meetings_scheduled: int | None
    last_meeting: date | None
    next_meeting: date | None
    open_mentor: int | None
    open_mentee: int | None
    overdue_mentor: int | None
    overdue_mentee: int | None
    on_time_mentor: float | None
    on_time_mentee: float | None
    feedback_to_mentee: int | None  # in the last four weeks
    feedback_to_mentor: int | None
    kpis_on_track: int | None
    kpis_off_track: int | None
    kpis: int | None
    # contacts between meetings in the last four weeks, by recipient, and the replies to
    # them overdue now (counts only: never a topic, a link or a channel's details)
    contacts_to_mentee: int | None = None
    contacts_to_mentor: int | None = None
    replies_overdue: int | None = None
    # for the quarter's trends: the days, within the last 13 weeks, of each event
    held_days: tuple[date, ...] = ()
    completed_days: tuple[date, ...] = ()
    feedback_days: tuple[date, ...] = ()


def figures_of(m: Mentorship, now: datetime, today: date) -> PairFigures:
    """The one reading of a pair's mentorship: counts and dates, honouring what the pair
    withholds (`program: withhold: [...]` in its file)."""
    from mentorkit.domain import schedule
    from mentorkit.domain.agreement import agreed_on
    from mentorkit.domain.goals import kpi_progress
    from mentorkit.domain.stats import compute

    withheld = tuple(s for s in SHARED_SETS if m.program and s in m.program.withhold)
    shares = {s: s not in withheld for s in SHARED_SETS}
    quarter_start = today - timedelta(weeks=TREND_WEEKS) + timedelta(days=1)

    def recent(days: list[date]) -> tuple[date, ...]:
        return tuple(sorted(d for d in days if quarter_start <= d <= today))

    stats = compute(m, now, today) if shares["meetings"] or shares["actions"] else None
    a = m.agreement
    held = [x.date for x in m.meetings if x.status == "held" and x.date <= today]
    upcoming = schedule.next_meeting(m.schedule, now) if shares["meetings"] else None
    window = [f for f in m.feedback if today - timedelta(days=FEEDBACK_WINDOW) < f.date <= today]
    kpis = [kpi_progress(k, today) for g in m.goals if g.status == "active" for k in g.kpis]
    people = stats.people if stats else None
    contacts = [
        c for c in m.contacts if today - timedelta(days=FEEDBACK_WINDOW) < c.sent.date() <= today
    ]
    return PairFigures(
        withheld=withheld,
        term_start=a.term.start if shares["agreement"] else None,
        term_end=a.term.end if shares["agreement"] else None,
        agreed_by_both=(
            agreed_on(m, "mentor") is not None and agreed_on(m, "mentee") is not None
            if shares["agreement"]
            else None
        ),
        agreement_complete=(
            all((a.mentee_wants, a.confidentiality, a.urgent_concerns, a.term.review))
            if shares["agreement"]
            else None
        ),
        meetings_held=stats.meetings_held if stats and shares["meetings"] else None,
        meetings_scheduled=stats.meetings_scheduled if stats and shares["meetings"] else None,
        last_meeting=max(held) if held and shares["meetings"] else None,
        next_meeting=upcoming.start.date() if upcoming else None,
        open_mentor=people["mentor"].open if people and shares["actions"] else None,
        open_mentee=people["mentee"].open if people and shares["actions"] else None,
        overdue_mentor=people["mentor"].overdue_now if people and shares["actions"] else None,
        overdue_mentee=people["mentee"].overdue_now if people and shares["actions"] else None,
        on_time_mentor=people["mentor"].on_time_rate if people and shares["actions"] else None,
        on_time_mentee=people["mentee"].on_time_rate if people and shares["actions"] else None,
        feedback_to_mentee=(
            sum(1 for f in window if f.to == "mentee") if shares["feedback"] else None
        ),
        feedback_to_mentor=(
            sum(1 for f in window if f.to == "mentor") if shares["feedback"] else None
        ),
        kpis_on_track=sum(1 for p in kpis if p.on_track) if shares["kpis"] else None,
        kpis_off_track=sum(1 for p in kpis if p.on_track is False) if shares["kpis"] else None,
        kpis=len(kpis) if shares["kpis"] else None,
        contacts_to_mentee=(
            sum(1 for c in contacts if c.to == "mentee") if shares["contacts"] else None
        ),
        contacts_to_mentor=(
            sum(1 for c in contacts if c.to == "mentor") if shares["contacts"] else None
        ),
        replies_overdue=len(_replies_overdue(m, now)) if shares["contacts"] else None,
        held_days=recent(held) if shares["meetings"] else (),
        completed_days=(
            recent([x.completed for x in m.actions if x.status == "done" and x.completed])
            if shares["actions"]
            else ()
        ),
        feedback_days=recent([f.date for f in m.feedback]) if shares["feedback"] else (),
    )


def _replies_overdue(m: Mentorship, now: datetime) -> list[Any]:
    if not m.contacts:
        return []
    from mentorkit.domain.contacts import overdue

    return overdue(m, now)


@dataclass(frozen=True)
class Dated:
    """A pair's figures on a day, and the moments between which they hold: a meeting's
    start or a reply's due time changes them within a day; None is no such moment."""

    day: date
    figures: PairFigures
    since: datetime | None
    until: datetime | None

    def holds(self, now: datetime, today: date) -> bool:
        return (
            self.day == today
            and (self.since is None or self.since <= now)
            and (self.until is None or now < self.until)
        )


def figures_ahead(m: Mentorship, now: datetime, today: date) -> list[Dated]:
    """The figures of today and of each of the next days (DAYS_AHEAD in all), each as
    `figures_of` gives them on that day at the same time of day, with the moments around
    it at which the time of day changes them."""
    start, end = now - timedelta(days=1), now + timedelta(days=DAYS_AHEAD + 1)
    moments = _moments(m, start, end)
    found = []
    for n in range(DAYS_AHEAD):
        at, day = now + timedelta(days=n), today + timedelta(days=n)
        since = max((t for t in moments if t <= at), default=None)
        until = min((t for t in moments if t > at), default=None)
        found.append(Dated(day, figures_of(m, at, day), since, until))
    return found


def _moments(m: Mentorship, start: datetime, end: datetime) -> list[datetime]:
    """When, between start and end, figures move with the time of day: meetings' starts,
    contacts sent and replies falling due."""
    from datetime import UTC

    from mentorkit.domain import schedule

    found = [o.start for o in schedule.occurrences(m.schedule, start, end)]
    if m.contacts:
        from mentorkit.domain.contacts import awaiting

        found += [c.sent for c in m.contacts] + [a.due for a in awaiting(m, end)]
    return sorted({t.astimezone(UTC) for t in found if start <= t <= end})


def dated_to_data(dated: Dated) -> dict[str, Any]:
    return {
        "since": dated.since.isoformat() if dated.since else None,
        "until": dated.until.isoformat() if dated.until else None,
        "figures": figures_to_data(dated.figures),
    }


def dated_from_data(day: str, data: Any) -> Dated | None:
    """A day's figures back from the cache; None for anything not exactly their shape."""
    if not isinstance(data, dict):
        return None
    figures = figures_from_data(data.get("figures"))
    try:
        since, until = (
            None if data[k] is None else datetime.fromisoformat(data[k]) for k in ("since", "until")
        )
        when = date.fromisoformat(day)
    except (KeyError, TypeError, ValueError):
        return None
    if figures is None or any(t is not None and t.tzinfo is None for t in (since, until)):
        return None
    return Dated(when, figures, since, until)


@dataclass(frozen=True)
class Counting:
    """A pair's figures as the program's cache (`file.programcache`) keeps them, at one
    moment: counted from the pair's mentorship for the coming days, as plain data by day,
    and read back from that data while they hold."""

    now: datetime
    today: date
    version: int = FIGURES_VERSION

    def count(
        self, m: Mentorship
    ) -> tuple[dict[str, Any], PairFigures | None, tuple[str, str] | None]:
        """The days' figures as data, today's figures, and the two names unless withheld."""
        ahead = figures_ahead(m, self.now, self.today)
        withheld = m.program is not None and "names" in m.program.withhold
        names = None if withheld else (m.people.mentor.name, m.people.mentee.name)
        days = {str(d.day): dated_to_data(d) for d in ahead}
        return days, ahead[0].figures if ahead else None, names

    def kept(self, days: Any) -> PairFigures | None:
        """The kept figures that hold now (this day, this time of day), if any."""
        key = self.today.isoformat()
        if not isinstance(days, dict) or key not in days:
            return None
        dated = dated_from_data(key, days[key])
        return dated.figures if dated and dated.holds(self.now, self.today) else None

    def unreadable(self, name: str, message: str, problems: list[str]) -> str:
        return invalid_file(name, message, problems)


def figures_to_data(figures: PairFigures) -> dict[str, Any]:
    """The figures as plain data (for the cache and --json): dates as ISO text."""

    def plain(value: Any) -> Any:
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, tuple):
            return [plain(v) for v in value]
        return value

    return {f.name: plain(getattr(figures, f.name)) for f in dataclasses.fields(figures)}


def figures_from_data(data: Any) -> PairFigures | None:
    """Figures back from the cache; None for anything that is not exactly their shape."""
    if not isinstance(data, dict):
        return None
    values: dict[str, Any] = {}
    try:
        for f in dataclasses.fields(PairFigures):
            raw = data[f.name]
            kind = str(f.type)
            if f.name == "withheld":
                if not all(s in SHARED_SETS for s in raw):
                    return None
                values[f.name] = tuple(raw)
            elif kind.startswith("tuple[date"):
                values[f.name] = tuple(date.fromisoformat(d) for d in raw)
            elif kind.startswith("date"):
                values[f.name] = None if raw is None else date.fromisoformat(raw)
            elif raw is None or type(raw) in (int, float, bool):
                values[f.name] = raw
            else:
                return None
    except (KeyError, TypeError, ValueError):
        return None
    return PairFigures(**values)


# --------------------------------------------------------------------------- health

Verdict = Literal[
    "unreadable", "stalled", "attention", "healthy", "not started", "ended", "withheld"
]
VERDICTS: tuple[Verdict, ...] = (
    "unreadable",
    "stalled",
    "attention",
    "healthy",
    "not started",
    "ended",
    "withheld",
)
# what the health verdict is judged from: a pair withholding all of these is "withheld"
JUDGED: tuple[SharedSet, ...] = ("agreement", "meetings", "actions", "feedback", "kpis")


@dataclass(frozen=True)
class Health:
    """A pair's verdict and why, in the program's own words (no text from the pair)."""

    verdict: Verdict
    reasons: tuple[str, ...]

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def days_without_meeting(f: PairFigures, today: date) -> int | None:
    """Days since the last meeting held, or since the start when none has been."""
    if "meetings" in f.withheld or (f.term_start and f.term_start > today):
        return None
    since = f.last_meeting or f.term_start
    return (today - since).days if since else None


def health(f: PairFigures, rules: Rules, today: date) -> Health:
    if all(s in f.withheld for s in JUDGED):
        return Health("withheld", ("the pair shares none of the figures health is judged by",))
    if f.term_start and f.term_start > today:
        return Health("not started", (f"starts on {f.term_start}",))
    if f.term_end is not None and f.term_end < today:
        return Health("ended", (f"the term ended on {f.term_end}",))
    stalled: list[str] = []
    attention: list[str] = []
    quiet = days_without_meeting(f, today)
    if quiet is not None and quiet > rules.stalled_after_days:
        stalled.append(
            f"no meeting for {quiet} days"
            if f.last_meeting
            else f"no meeting held in the {quiet} days since the start"
        )
    overdue = (f.overdue_mentor or 0) + (f.overdue_mentee or 0)
    if "actions" not in f.withheld and overdue >= rules.overdue_items:
        attention.append(
            f"{overdue} items overdue (mentor {f.overdue_mentor}, mentee {f.overdue_mentee})"
        )
    if rules.one_way_feedback and "feedback" not in f.withheld:
        to_mentee, to_mentor = f.feedback_to_mentee or 0, f.feedback_to_mentor or 0
        if to_mentee and not to_mentor:
            attention.append("feedback went only to the mentee in four weeks")
        elif to_mentor and not to_mentee:
            attention.append("feedback went only to the mentor in four weeks")
    if f.agreed_by_both is False:
        attention.append("the agreement is not agreed by both")
    if f.kpis_off_track is not None and f.kpis_off_track >= rules.kpis_off_track:
        attention.append(f"{f.kpis_off_track} of {f.kpis} KPIs off track")
    if stalled:
        return Health("stalled", tuple(stalled + attention))
    if attention:
        return Health("attention", tuple(attention))
    return Health("healthy", ())


# --------------------------------------------------------------------------- the view


@dataclass
class PairSeen:
    """One pair as the program sees it: its label and names (shown, as the pairs share
    them), its figures, or why it could not be read."""

    label: str
    where: str  # the URL or path, without any password in it
    branch: str
    names: tuple[str, str] | None
    figures: PairFigures | None
    problem: str | None = None
    fetched: bool = False  # fetched in this run (new or changed)


def pair_seen(read: PairRead) -> PairSeen:
    """A pair as the survey read it, as the program shows it: labelled by the program's
    name for it, else by the two names, else by its URL; no password in its URL or in
    git's words about it."""
    pair, names = read.pair, read.names
    label = pair.name or (f"{names[0]} & {names[1]}" if names else shown_url(pair.url))
    problem = without_credentials(read.problem, pair.url) if read.problem else None
    return PairSeen(
        label=label,
        where=shown_url(pair.url),
        branch=pair.branch,
        names=names,
        figures=read.figures,
        problem=problem,
        fetched=read.fetched,
    )


@dataclass
class PairRow:
    """A pair with its health."""

    pair: PairSeen
    health: Health


@dataclass
class Trend:
    """Counts per week over the quarter, across all pairs."""

    name: str
    weeks: list[date]  # the first day of each week
    counts: list[int]


@dataclass
class ProgramView:
    """Everything `program status` and `program report` show."""

    name: str
    lead: str | None
    today: date
    rules: Rules
    rows: list[PairRow]
    verdicts: dict[str, int] = field(default_factory=dict)
    distributions: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    trends: list[Trend] = field(default_factory=list)
    median_days_without_meeting: float | None = None

    @property
    def unreadable(self) -> list[PairRow]:
        return [r for r in self.rows if r.health.verdict == "unreadable"]

    def quiet(self, row: PairRow) -> int | None:
        f = row.pair.figures
        return days_without_meeting(f, self.today) if f else None


SORTS = ("health", "name", "quiet", "overdue", "on-time", "next")


def _sort_key(view: ProgramView, how: str) -> Any:
    order = {v: i for i, v in enumerate(VERDICTS)}

    def key(row: PairRow) -> Any:
        f = row.pair.figures
        label = row.pair.label.casefold()
        if how == "name":
            return (label,)
        if how == "quiet":
            quiet = view.quiet(row)
            return (quiet is None, -(quiet or 0), label)
        if how == "overdue":
            overdue = ((f.overdue_mentor or 0) + (f.overdue_mentee or 0)) if f else -1
            return (-overdue, label)
        if how == "on-time":
            rates = [r for r in (f.on_time_mentor, f.on_time_mentee) if r is not None] if f else []
            return (not rates, min(rates) if rates else 0.0, label)
        if how == "next":
            nxt = f.next_meeting if f else None
            return (nxt is None, nxt or date.max, label)
        return (order[row.health.verdict], -(view.quiet(row) or 0), label)

    return key


def build(
    name: str,
    lead: str | None,
    pairs: list[PairSeen],
    rules: Rules,
    today: date,
    *,
    sort: str = "health",
    only: tuple[str, ...] = (),
) -> ProgramView:
    """The program's view: each pair's health, sorted and filtered, with the figures
    across the program (over every pair, whatever the filter shows)."""
    rows = []
    for pair in pairs:
        if pair.figures is None:
            rows.append(PairRow(pair, Health("unreadable", (pair.problem or "not read",))))
        else:
            rows.append(PairRow(pair, health(pair.figures, rules, today)))
    view = ProgramView(name, lead, today, rules, rows)
    view.verdicts = {v: sum(1 for r in rows if r.health.verdict == v) for v in VERDICTS}
    view.distributions = _distributions(view)
    view.trends = _trends([r.pair.figures for r in rows if r.pair.figures], today)
    quiet = [q for r in rows if (q := view.quiet(r)) is not None]
    view.median_days_without_meeting = statistics.median(quiet) if quiet else None
    view.rows = sorted(
        (r for r in rows if not only or r.health.verdict in only), key=_sort_key(view, sort)
    )
    return view


def _bucket(value: float | None, edges: list[tuple[float, str]], none: str) -> str:
    if value is None:
        return none
    for limit, label in edges:
        if value <= limit:
            return label
    return edges[-1][1]


def _count(labels: list[str], order: list[str]) -> list[tuple[str, int]]:
    return [(label, labels.count(label)) for label in order]


def _distributions(view: ProgramView) -> dict[str, list[tuple[str, int]]]:
    figures = [(r, r.pair.figures) for r in view.rows if r.pair.figures]
    quiet_edges = [(7, "up to 7"), (14, "8-14"), (21, "15-21"), (42, "22-42"), (1e9, "over 42")]
    quiet = [_bucket(view.quiet(r), quiet_edges, "not counted") for r, _ in figures]
    overdue_edges = [(0, "none"), (2, "1-2"), (5, "3-5"), (1e9, "over 5")]
    overdue = [
        _bucket(
            None if "actions" in f.withheld else (f.overdue_mentor or 0) + (f.overdue_mentee or 0),
            overdue_edges,
            "withheld",
        )
        for _, f in figures
    ]
    rate_edges = [(0.499, "under 50%"), (0.799, "50-79%"), (1.0, "80-100%")]
    rates = [
        _bucket(rate, rate_edges, "none completed")
        for _, f in figures
        if "actions" not in f.withheld
        for rate in (f.on_time_mentor, f.on_time_mentee)
    ]
    agreement = [
        "withheld"
        if f.agreed_by_both is None
        else "agreed by both, complete"
        if f.agreed_by_both and f.agreement_complete
        else "agreed by both, with gaps"
        if f.agreed_by_both
        else "not agreed by both"
        for _, f in figures
    ]
    return {
        "Days since the last meeting": _count(quiet, [b for _, b in quiet_edges] + ["not counted"]),
        "Overdue items per pair": _count(overdue, [b for _, b in overdue_edges] + ["withheld"]),
        "On-time rate per person": _count(rates, [b for _, b in rate_edges] + ["none completed"]),
        "The agreement": _count(
            agreement,
            [
                "agreed by both, complete",
                "agreed by both, with gaps",
                "not agreed by both",
                "withheld",
            ],
        ),
    }


def _trends(figures: list[PairFigures], today: date) -> list[Trend]:
    first = today - timedelta(weeks=TREND_WEEKS) + timedelta(days=1)
    weeks = [first + timedelta(weeks=i) for i in range(TREND_WEEKS)]

    def per_week(days: list[date]) -> list[int]:
        counts = [0] * TREND_WEEKS
        for day in days:
            index = (day - first).days // 7
            if 0 <= index < TREND_WEEKS:
                counts[index] += 1
        return counts

    return [
        Trend("Meetings held", weeks, per_week([d for f in figures for d in f.held_days])),
        Trend("Feedback given", weeks, per_week([d for f in figures for d in f.feedback_days])),
        Trend(
            "Action items completed",
            weeks,
            per_week([d for f in figures for d in f.completed_days]),
        ),
    ]


def invalid_file(name: str, message: str, problems: list[str]) -> str:
    """Why a pair's file could not be read, without quoting any of it: how many problems
    and the first one's line, taken from where mentorkit writes them (a problem ends with
    "(line N)"; a YAML error starts "NAME, line N"), never from the file's own words."""
    import re

    first = problems[0] if problems else message
    line = re.search(r" \(line (\d+)\)$", first) or re.match(
        re.escape(name) + r", line (\d+)[,:]", message
    )
    what = (
        "is not UTF-8 text"
        if re.match(re.escape(name) + r", line \d+: the file is not UTF-8", message)
        else "is empty"
        if message.startswith(f"{name} is empty")
        else f"is not valid ({len(problems)} problems)"
        if len(problems) > 1
        else "is not valid"
    )
    where = (
        f", the first at line {line.group(1)}"
        if line and len(problems) > 1
        else (f", at line {line.group(1)}" if line else "")
    )
    return f"{name} {what}{where}; `mentorkit validate` in the pair's clone says what"


_USERINFO = r"([A-Za-z][A-Za-z0-9+.-]*://)[^/?#\s]*@"


def shown_url(url: str) -> str:
    """A pair's URL as shown: without a user name or password written into it (up to the
    last `@` before the host, as a password may hold one)."""
    import re

    return re.sub("^" + _USERINFO, r"\1", url)


def without_credentials(text: str, url: str) -> str:
    """git's words about a pair (or any text) without the pair's user name and password,
    whichever way git wrote them (`scheme://user:pw@host`, `user:pw@host`, the password
    alone)."""
    import re
    from urllib.parse import unquote

    text = re.sub(_USERINFO, r"\1", text)
    found = re.match(_USERINFO, url)
    if found:
        userinfo = url[len(found.group(1)) : found.end() - 1]
        secrets = {userinfo, unquote(userinfo)}
        for info in list(secrets):
            password = info.partition(":")[2]
            secrets |= {password} if password else set()
        for secret in sorted((s for s in secrets if s), key=len, reverse=True):
            text = text.replace(secret + "@", "").replace(secret, "…")
    return text
