"""The progress review as a self-contained HTML page (inline SVG charts and CSS, no
JavaScript, no network) or as Markdown with text sparklines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from mentorkit.domain.report import KpiReport, Report
from mentorkit.domain.resources import still_to_do
from mentorkit.domain.stats import PersonStats
from mentorkit.domain.wording import amount
from mentorkit.file.model import Meeting


def escape(text: str) -> str:
    """`html.escape`, imported only for the HTML review (its module builds every named
    character reference, which the Markdown review does not need)."""
    from html import escape as html_escape

    return html_escape(text)


WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 56, 64, 16, 36


@dataclass
class Scale:
    """Maps dates and values onto the chart's pixels."""

    first: date
    last: date
    low: float
    high: float

    def x(self, day: date) -> float:
        span = max(1, (self.last - self.first).days)
        return round(LEFT + (day - self.first).days / span * (WIDTH - LEFT - RIGHT), 2)

    def y(self, value: float) -> float:
        span = (self.high - self.low) or 1.0
        return round(TOP + (self.high - value) / span * (HEIGHT - TOP - BOTTOM), 2)


def chart_scale(item: KpiReport, start: date, end: date) -> Scale:
    kpi, progress = item.kpi, item.progress
    days = [s.date for s in item.series] + [start, end]
    if kpi.due:
        days.append(kpi.due)
    if progress.projected and progress.projected <= end + timedelta(days=366):
        days.append(progress.projected)
    values = [float(s.value) for s in item.series] + [float(kpi.baseline), float(kpi.target)]
    low, high = min(values), max(values)
    pad = (high - low) * 0.08 or 1.0
    return Scale(min(days), max(days), low - pad, high + pad)


# The charts' colours as SVG presentation attributes, so that a chart keeps them wherever it
# is shown: copied out of the page, printed, or rendered by a PDF tool that ignores the page's
# CSS (a chart whose colours come only from CSS prints as a black box there).
_PAINT = {
    "period": 'fill="#f3f6fa" stroke="none"',
    "baseline": 'stroke="#999999" stroke-width="1" stroke-dasharray="4 3" fill="none"',
    "target": 'stroke="#2e7d32" stroke-width="1" stroke-dasharray="6 3" fill="none"',
    "due": 'stroke="#b26a00" stroke-width="1" stroke-dasharray="2 3" fill="none"',
    "series": 'fill="none" stroke="#3b6ea8" stroke-width="2"',
    "point": 'fill="#3b6ea8" stroke="none"',
    "projection": 'stroke="#3b6ea8" stroke-width="1" stroke-dasharray="5 4" stroke-opacity="0.6" fill="none"',
    "label": 'fill="#555555" font-size="11" font-family="sans-serif"',
    "target label": 'fill="#2e7d32" font-size="11" font-family="sans-serif"',
}


def _fmt(value: float) -> str:
    return f"{value:g}"


def chart(item: KpiReport, start: date, end: date, ident: str) -> str:
    """One KPI as an SVG line chart: the measurements against baseline and target, the
    due date marked, the projection dashed. Titled and described for screen readers."""
    kpi, progress = item.kpi, item.progress
    if not item.series:
        return f'<p class="empty">No measurements of “{escape(kpi.name)}” yet.</p>'
    s = chart_scale(item, start, end)
    unit = f" {kpi.unit}" if kpi.unit else ""
    summary = (
        f"{kpi.name}: from a baseline of {_fmt(kpi.baseline)} towards a target of "
        f"{amount(kpi.target, kpi.unit)}; "
        f"{len(item.series)} measurement{'s' * (len(item.series) != 1)}, latest {_fmt(progress.latest)} "
        f"on {progress.latest_date}. {_capital(progress.verdict)}."
    )
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" data-first="{s.first}" data-last="{s.last}" '
        f'data-low="{s.low!r}" data-high="{s.high!r}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-title">{escape(kpi.name)}</title>',
        f'<desc id="{ident}-desc">{escape(summary)}</desc>',
        f'<rect class="period" x="{s.x(max(start, s.first))}" y="{TOP}" '
        f'width="{max(0.0, s.x(min(end, s.last)) - s.x(max(start, s.first)))}" height="{HEIGHT - TOP - BOTTOM}" '
        f"{_PAINT['period']}/>",
    ]
    for label, value, css in (
        ("baseline", kpi.baseline, "baseline"),
        ("target", kpi.target, "target"),
    ):
        y = s.y(float(value))
        parts.append(
            f'<line class="{css}" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}" {_PAINT[css]}/>'
        )
        parts.append(
            f'<text class="label" x="{LEFT - 6}" y="{y + 4}" text-anchor="end" {_PAINT["label"]}>'
            f"{escape(_fmt(value))}</text>"
        )
        parts.append(
            f'<text class="label {css}" x="{WIDTH - RIGHT}" y="{y - 4}" text-anchor="end" '
            f"{_PAINT['target label' if css == 'target' else 'label']}>{label}</text>"
        )
    if kpi.due and s.first <= kpi.due <= s.last:
        x = s.x(kpi.due)
        parts.append(
            f'<line class="due" x1="{x}" x2="{x}" y1="{TOP}" y2="{HEIGHT - BOTTOM}" {_PAINT["due"]}/>'
        )
        parts.append(
            f'<text class="label" x="{x}" y="{HEIGHT - BOTTOM + 28}" text-anchor="middle" '
            f"{_PAINT['label']}>due {kpi.due}</text>"
        )
    for day in (s.first, s.last):
        anchor = "start" if day == s.first else "end"
        parts.append(
            f'<text class="label" x="{s.x(day)}" y="{HEIGHT - BOTTOM + 14}" text-anchor="{anchor}" '
            f"{_PAINT['label']}>{day}</text>"
        )
    last = item.series[-1]
    if progress.projected and progress.projected > last.date and progress.projected <= s.last:
        parts.append(
            f'<line class="projection" x1="{s.x(last.date)}" y1="{s.y(float(last.value))}" '
            f'x2="{s.x(progress.projected)}" y2="{s.y(float(kpi.target))}" {_PAINT["projection"]}/>'
        )
    points = " ".join(f"{s.x(m.date)},{s.y(float(m.value))}" for m in item.series)
    if len(item.series) > 1:
        parts.append(f'<polyline class="series" points="{points}" {_PAINT["series"]}/>')
    for m in item.series:
        parts.append(
            f'<circle class="point" cx="{s.x(m.date)}" cy="{s.y(float(m.value))}" r="4" '
            f'data-date="{m.date}" data-value="{_fmt(float(m.value))}" {_PAINT["point"]}><title>{m.date}: {escape(_fmt(float(m.value)))}{escape(unit)}</title></circle>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def _rate(p: PersonStats) -> str:
    return "-" if p.on_time_rate is None else f"{p.on_time_rate * 100:.0f}%"


def _late(p: PersonStats) -> str:
    return "-" if p.median_days_late is None else f"{p.median_days_late:g} days"


def _given(p: PersonStats, what: str, book: str) -> int:
    months = p.feedback_given if book == "given" else p.feedback_received
    return sum(month.get(what, 0) for month in months.values())


_CSS = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d1d1f;
       max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ddd; }
.muted, .label { color: #555; } .label { font-size: 11px; fill: #555; }
table { border-collapse: collapse; margin: .5rem 0 1rem; } th, td { padding: .25rem .6rem; border-bottom: 1px solid #e5e5e5; text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.term { background: #eee; height: .6rem; border-radius: .3rem; overflow: hidden; width: 100%; }
.term span { display: block; height: 100%; background: #3b6ea8; }
.term, .term span { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.chart { max-width: 100%; height: auto; }
.chart .period { fill: #f3f6fa; } .chart .baseline { stroke: #999; stroke-dasharray: 4 3; }
.chart .target { stroke: #2e7d32; stroke-dasharray: 6 3; } .chart .target.label { fill: #2e7d32; }
.chart .due { stroke: #b26a00; stroke-dasharray: 2 3; } .chart .series { fill: none; stroke: #3b6ea8; stroke-width: 2; }
.chart .point { fill: #3b6ea8; } .chart .projection { stroke: #3b6ea8; stroke-dasharray: 5 4; opacity: .6; }
.verdict.off { color: #b00020; } .verdict.on { color: #2e7d32; } .empty { color: #555; font-style: italic; }
blockquote { margin: .3rem 0 .8rem; padding-left: .8rem; border-left: 3px solid #2e7d32; }
@page { size: A4; margin: 15mm 14mm; }
@media print { body { margin: 0; max-width: none; font-size: 10pt; } h2 { break-after: avoid; }
  figure, table, .meeting { break-inside: avoid; } figure { margin: .5rem 0; }
  table { width: 100%; font-size: 8.5pt; } th, td { padding: .2rem .3rem; }
  thead th { hyphens: auto; } .chart { width: 100%; } }
"""


_NO_KPI = "No KPI yet: nothing says how progress on this goal is measured (`mentorkit kpi add`)."


def _term_progress(r: Report) -> str:
    """How far into the term the figures go; a period not over yet says so."""
    share = f"{r.term_elapsed * 100:.0f}% of the way through the term"
    if r.through < r.end:
        return f"the period runs to {r.end}; the figures go up to {r.through}, {share}."
    return f"the period ends {share}."


def _meeting_line(meeting: Meeting) -> str:
    decisions = "; ".join(" ".join(d.split()) for d in meeting.decisions)
    return f"{meeting.date} ({meeting.status})" + (f": {decisions}" if decisions else "")


def page_start(title: str, css: str = "") -> list[str]:
    """The opening of a self-contained page in the review's style, up to <main>."""
    return [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{_CSS}{css}</style>",
        "</head>",
        "<body>",
        "<main>",
    ]


def html(r: Report) -> str:
    m, names = r.m, r.m.people.names()
    term = m.agreement.term
    out = [
        *page_start(f"Mentorship review, {r.title}"),
        f"<h1>Mentorship review: {escape(r.title)}</h1>",
        f'<p class="muted">{escape(names["mentor"])} (mentor) and {escape(names["mentee"])} (mentee), '
        f"{r.start} to {r.end}</p>",
        "<h2>The agreement</h2>",
        "<dl>",
    ]
    for label, value in (
        ("What the mentee wants", m.agreement.mentee_wants),
        ("What the mentor wants", m.agreement.mentor_wants),
        (
            "Meetings",
            f"{m.schedule.cadence}, {m.schedule.time} {m.schedule.timezone}, by {m.schedule.channel}",
        ),
        ("Accountability", m.agreement.accountability),
    ):
        if value:
            out.append(f"<dt>{label}</dt><dd>{escape(value)}</dd>")
    out.append("</dl>")
    out.append(
        f"<p>Term {term.start} to {term.end or 'open'}, review {term.review or '-'}; "
        f"{escape(_term_progress(r))}</p>"
        f'<div class="term" role="img" aria-label="{r.term_elapsed * 100:.0f}% of the term">'
        f'<span style="width: {r.term_elapsed * 100:.1f}%"></span></div>'
    )
    out.append("<h2>Goals</h2>")
    for note in r.notes:
        out.append(f'<p class="empty">{escape(note)}</p>')
    for number, g in enumerate(r.goals, 1):
        goal = g.goal
        out.append(
            f'<h3>{escape(goal.competency)} <small class="muted">({goal.status})</small></h3>'
        )
        if goal.why:
            out.append(f"<p>{escape(goal.why)}</p>")
        if goal.strategies:
            out.append("<ul>" + "".join(f"<li>{escape(x)}</li>" for x in goal.strategies) + "</ul>")
        if not g.kpis:
            out.append(f'<p class="empty">{_NO_KPI}</p>')
        for k_number, item in enumerate(g.kpis, 1):
            p = item.progress
            css = "on" if p.reached or p.on_track else ("off" if p.on_track is False else "")
            out.append("<figure>")
            out.append(chart(item, r.start, r.end, f"kpi-{number}-{k_number}"))
            out.append(
                f"<figcaption><strong>{escape(item.kpi.name)}</strong>: {_fmt(item.kpi.baseline)} → "
                f"{_fmt(p.latest)} of {escape(amount(item.kpi.target, item.kpi.unit))} "
                f"({p.progress * 100:.0f}%), "
                f'{item.in_period} measured in this period. <span class="verdict {css}">{escape(_capital(p.verdict))}</span>'
                "</figcaption>"
            )
            out.append("</figure>")
    out.append("<h2>Accountability</h2>")
    out.append(
        '<table><thead><tr><th scope="col">Person</th><th class="num" scope="col">Completed</th>'
        '<th class="num" scope="col">On time</th><th class="num" scope="col">Median days late</th>'
        '<th class="num" scope="col">Due dates moved</th><th class="num" scope="col">Open</th>'
        '<th class="num" scope="col">Overdue now</th><th class="num" scope="col">Feedback given / received</th>'
        '<th class="num" scope="col">Recognition given / received</th></tr></thead><tbody>'
    )
    for role, person in r.stats.people.items():
        out.append(
            f'<tr><th scope="row">{escape(names[role])} ({role})</th><td class="num">{person.completed}</td>'
            f'<td class="num">{_rate(person)}</td><td class="num">{_late(person)}</td><td class="num">{person.due_dates_moved}</td>'
            f'<td class="num">{person.open}</td><td class="num">{person.overdue_now}</td>'
            f'<td class="num">{_given(person, "feedback", "given")} / {_given(person, "feedback", "received")}</td>'
            f'<td class="num">{_given(person, "recognition", "given")} / {_given(person, "recognition", "received")}</td></tr>'
        )
    out.append("</tbody></table>")
    out.append(f"<p>Meetings held: {escape(r.stats.meetings)}.</p>")
    between = _between(r)
    if between:
        out.append("<h2>Between meetings</h2><ul>")
        out += [f"<li>{escape(line)}</li>" for line in between]
        out.append("</ul>")
    out.append("<h2>Meetings</h2>")
    if r.meetings:
        out.append("<ul>")
        for meeting in r.meetings:
            decisions = "".join(f"<li>{escape(d)}</li>" for d in meeting.decisions)
            out.append(
                f'<li class="meeting">{meeting.date} ({meeting.status})'
                + (f"<ul>{decisions}</ul>" if decisions else ": no decisions recorded")
                + "</li>"
            )
        out.append("</ul>")
    else:
        out.append('<p class="empty">No meeting logged in this period.</p>')
    if r.resources_open:
        out.append("<h2>Resources still open</h2><ul>")
        out += [
            f'<li>{escape(x.title)} <span class="muted">({x.kind}, {still_to_do(x.kind)}, shared '
            f"{x.shared})</span></li>"
            for x in r.resources_open
        ]
        out.append("</ul>")
    out.append("<h2>Highlights</h2>")
    if r.achieved:
        out.append(
            "<p>Goals achieved: "
            + ", ".join(f"{escape(g.competency)} ({g.achieved})" for g in r.achieved)
            + ".</p>"
        )
    if r.resources_done:
        out.append(
            "<p>Resources worked through: "
            + ", ".join(f"{escape(x.title)}" for x in r.resources_done)
            + ".</p>"
        )
    for f in r.recognition:
        out.append(
            f"<blockquote><p>{escape(f.text)}</p><footer>{escape(names[f.from_])} to {escape(names[f.to])}, {f.date}</footer></blockquote>"
        )
    if not (r.achieved or r.resources_done or r.recognition):
        out.append('<p class="empty">Nothing to highlight in this period yet.</p>')
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out)


def markdown(r: Report) -> str:
    from mentorkit.output import md
    from mentorkit.views.terminal import sparkline

    m, names = r.m, r.m.people.names()
    term = m.agreement.term
    out = [
        f"# Mentorship review: {md(r.title)}",
        "",
        f"{md(names['mentor'])} (mentor) and {md(names['mentee'])} (mentee), {r.start} to {r.end}.",
        f"Term {term.start} to {term.end or 'open'}, review {term.review or '-'}; {_term_progress(r)}",
        "",
        "## Goals",
        "",
    ]
    out += [f"_{md(note)}_" for note in r.notes]
    for g in r.goals:
        out += [f"### {md(g.goal.competency)} ({g.goal.status})", ""]
        out += [f"- {md(x)}" for x in g.goal.strategies]
        if g.goal.strategies:
            out.append("")
        if not g.kpis:
            out += [f"_{_NO_KPI}_", ""]
        if g.kpis:
            out += [
                "| KPI | trend | baseline | latest | target | progress | verdict |",
                "| --- | --- | ---: | ---: | ---: | ---: | --- |",
            ]
        for item in g.kpis:
            p = item.progress
            trend = sparkline([float(x.value) for x in item.series]) or "no measurements"
            out.append(
                f"| {md(item.kpi.name)} | {trend} | {_fmt(item.kpi.baseline)} | {_fmt(p.latest)} | "
                f"{_fmt(item.kpi.target)} | {p.progress * 100:.0f}% | {p.verdict} |"
            )
        out.append("")
    out += ["## Accountability", "", "| person | completed | on time | median days late | due dates moved | open | overdue now | feedback given / received | recognition given / received |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]  # fmt: skip
    for role, person in r.stats.people.items():
        out.append(
            f"| {md(names[role])} ({role}) | {person.completed} | {_rate(person)} | {_late(person)} | {person.due_dates_moved} | {person.open} | "
            f"{person.overdue_now} | {_given(person, 'feedback', 'given')} / {_given(person, 'feedback', 'received')} | "
            f"{_given(person, 'recognition', 'given')} / {_given(person, 'recognition', 'received')} |"
        )
    out += [
        "",
        f"Meetings held: {r.stats.meetings}.",
        "",
    ]
    between = _between(r)
    if between:
        out += ["## Between meetings", "", *[f"- {md(line)}" for line in between], ""]
    out += ["## Meetings", ""]
    out += [f"- {md(_meeting_line(x))}" for x in r.meetings] or [
        "_No meeting logged in this period._"
    ]
    if r.resources_open:
        out += ["", "## Resources still open", ""]
        out += [f"- {md(x.title)} ({x.kind}, {still_to_do(x.kind)})" for x in r.resources_open]
    out += ["", "## Highlights", ""]
    out += [f"- Goal achieved: {md(g.competency)} ({g.achieved})" for g in r.achieved]
    out += [f"- Worked through: {md(x.title)}" for x in r.resources_done]
    out += [
        f"- Recognition from {md(names[f.from_])} to {md(names[f.to])} ({f.date}): {md(f.text)}"
        for f in r.recognition
    ]
    if not (r.achieved or r.resources_done or r.recognition):
        out.append("_Nothing to highlight in this period yet._")
    return "\n".join(out) + "\n"


def _between(r: Report) -> list[str]:
    """The contacts between meetings in the period: counts by direction and channel, reply
    times, and those still unanswered by channel and date, never their topics or links (a
    review may be shown beyond the pair)."""
    from mentorkit.views.terminal import between_meetings

    b = r.between
    if b is None or not (b.total or b.unanswered):
        return []
    lines = between_meetings(b)
    for a in b.unanswered:
        c = a.contact
        state = "overdue since" if a.overdue else "due"
        lines.append(
            f"unanswered: {c.channel} {c.id} from the {c.from_} of {c.sent:%Y-%m-%d}, "
            f"reply {state} {a.due:%Y-%m-%d %H:%M %Z}"
        )
    return lines


def _capital(sentence: str) -> str:
    """A verdict starting a sentence: 'One measurement so far'."""
    return sentence[:1].upper() + sentence[1:]
