"""The program view: one line per pair for the terminal, --json, --csv, and the HTML page.
Everything here comes from the pairs' figures and the program's own words; names and
labels are shown literally (HTML-escaped in the page, guarded in CSV)."""

from __future__ import annotations

from dataclasses import asdict, fields
from html import escape
from typing import Any

from mentorkit.domain.program import (
    PairFigures,
    PairRow,
    PairSeen,
    ProgramView,
    Trend,
    figures_to_data,
)
from mentorkit.output import Line, literal, pad, width

_STYLE = {
    "stalled": "bold red",
    "attention": "yellow",
    "healthy": "green",
    "unreadable": "magenta",
    "not started": "dim",
    "ended": "dim",
    "withheld": "dim",
}


def _cut(text: str, cells: int) -> str:
    text = literal(" ".join(text.split()))
    if width(text) <= cells:
        return text
    out = ""
    for char in text:
        if width(out + char) > cells - 1:
            break
        out += char
    return out + "…"


def _pair_of(a: int | None, b: int | None) -> str:
    if a is None and b is None:
        return "-"
    return f"{'-' if a is None else a}/{'-' if b is None else b}"


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def _yes(value: bool | None) -> str:
    return "-" if value is None else ("yes" if value else "no")


def summary(view: ProgramView) -> str:
    counts = ", ".join(f"{n} {v}" for v, n in view.verdicts.items() if n)
    total = sum(view.verdicts.values())
    return f"{total} pair{'s' * (total != 1)}" + (f": {counts}" if counts else "")


_COLUMNS = (
    ("pair", 28),
    ("health", 11),
    ("agreed", 9),
    ("met", 7),
    ("quiet", 6),
    ("next", 11),
    ("open", 6),
    ("overdue", 8),
    ("on time", 10),
    ("feedback", 9),
    ("contacts", 10),
    ("KPIs", 5),
)


def _cells(view: ProgramView, row: PairRow) -> list[str]:
    f, pair = row.pair.figures, row.pair
    if f is None:
        return [_cut(pair.label, 27), "unreadable"] + [""] * (len(_COLUMNS) - 2)
    quiet = view.quiet(row)
    agreed = (
        "-"
        if f.agreed_by_both is None
        else ("both" + ("" if f.agreement_complete else "*") if f.agreed_by_both else "no")
    )
    return [
        _cut(pair.label, 27),
        row.health.verdict,
        agreed,
        _pair_of(f.meetings_held, f.meetings_scheduled),
        "-" if quiet is None else f"{quiet}d",
        str(f.next_meeting) if f.next_meeting else "-",
        _pair_of(f.open_mentor, f.open_mentee),
        _pair_of(f.overdue_mentor, f.overdue_mentee),
        f"{_rate(f.on_time_mentor)}/{_rate(f.on_time_mentee)}"
        if "actions" not in f.withheld
        else "-",
        _pair_of(f.feedback_to_mentee, f.feedback_to_mentor),
        _pair_of(f.contacts_to_mentee, f.contacts_to_mentor)
        + (f" {f.replies_overdue}!" if f.replies_overdue else ""),
        "-" if f.kpis is None else f"{f.kpis_on_track}/{f.kpis}",
    ]


LEGEND = (
    "met: meetings held/scheduled so far; quiet: days since the last meeting held; "
    "open, overdue, on time: mentor/mentee; feedback in four weeks: to the mentee/to "
    "the mentor; contacts between meetings in four weeks: to the mentee/to the mentor, "
    "with N! replies overdue; KPIs: on track/all; agreed: both*, agreed by both with gaps "
    "in it; "
    "-: withheld by the pair or nothing to count"
)


_NARROW = ("pair", "health", "quiet", "next", "overdue")  # on a terminal under WIDE cells
WIDE = sum(cells for _, cells in _COLUMNS) + 30


def status_lines(view: ProgramView, width: int | None = None) -> list[Line]:
    """The table; on a terminal narrower than WIDE, only the columns in _NARROW (every
    column is in --csv and --json)."""
    lead = f", led by {view.lead}" if view.lead else ""
    lines: list[Line] = [
        [(f"Program {view.name}", "bold"), (f"{lead}, on {view.today}", "")],
        f"  {summary(view)}",
        "",
    ]
    narrow = width is not None and width < WIDE
    chosen = [i for i, (name, _) in enumerate(_COLUMNS) if not narrow or name in _NARROW]
    header = "".join(pad(_COLUMNS[i][0], _COLUMNS[i][1]) for i in chosen) + "why"
    lines.append([(header, "bold")])
    for row in view.rows:
        cells = _cells(view, row)
        segments: list[tuple[str, str]] = []
        for (_, cells_wide), text in ((_COLUMNS[i], cells[i]) for i in chosen):
            style = _STYLE.get(text, "") if text == row.health.verdict else ""
            segments.append((pad(text, cells_wide), style))
        segments.append((row.health.reason, "red" if row.pair.figures is None else ""))
        lines.append(segments)
    if not view.rows:
        lines.append("  (no pair to show)")
    lines += ["", f"  {LEGEND}"]
    if narrow:
        lines.append("  (a wider terminal shows every column; --csv and --json hold them all)")
    return lines


def _row_data(view: ProgramView, row: PairRow) -> dict[str, Any]:
    pair = row.pair
    return {
        "label": pair.label,
        "where": pair.where,
        "branch": pair.branch,
        "names": {"mentor": pair.names[0], "mentee": pair.names[1]} if pair.names else None,
        "health": row.health.verdict,
        "reasons": list(row.health.reasons),
        "days_without_meeting": view.quiet(row),
        "figures": figures_to_data(pair.figures) if pair.figures else None,
        "problem": pair.problem,
        "fetched": pair.fetched,
    }


def _trend_data(trend: Trend) -> dict[str, Any]:
    return {"name": trend.name, "weeks": trend.weeks, "counts": trend.counts}


def status_json(view: ProgramView) -> dict[str, Any]:
    """The documented --json shape of `program status` (README: Running a program)."""
    return {
        "program": view.name,
        "lead": view.lead,
        "today": view.today,
        "rules": asdict(view.rules),
        "counts": view.verdicts,
        "median_days_without_meeting": view.median_days_without_meeting,
        "pairs": [_row_data(view, row) for row in view.rows],
        "distributions": {name: dict(rows) for name, rows in view.distributions.items()},
        "trends": [_trend_data(t) for t in view.trends],
    }


# Every count and date of the figures, in their order (the quarter's days are in --json).
_CSV_FIELDS = tuple(
    f.name
    for f in fields(PairFigures)
    if f.name not in ("withheld", "term_start", "term_end") and not f.name.endswith("_days")
)


def _cell(value: Any) -> str:
    """A spreadsheet cell that is only ever text: one starting with = + - @ (a formula to
    Excel, LibreOffice, Sheets) gets a leading apostrophe."""
    text = "" if value is None else str(value)
    text = literal(" ".join(text.split())) if isinstance(value, str) else text
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_text(view: ProgramView) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    head = ["pair", "where", "branch", "mentor", "mentee", "health", "reasons"]
    writer.writerow([*head, "days_without_meeting", *_CSV_FIELDS, "withheld"])
    for row in view.rows:
        pair, f = row.pair, row.pair.figures
        names = pair.names or ("", "")
        values: list[Any] = [
            pair.label,
            pair.where,
            pair.branch,
            names[0],
            names[1],
            row.health.verdict,
            row.health.reason,
            view.quiet(row),
        ]
        values += [getattr(f, name) if f else None for name in _CSV_FIELDS]
        values.append(" ".join(f.withheld) if f else "")
        writer.writerow([_cell(v) for v in values])
    return out.getvalue()


# --------------------------------------------------------------------------- the page

_BAR = 'fill="#3b6ea8" stroke="none"'
_TEXT = 'fill="#555555" font-size="11" font-family="sans-serif"'
_PROGRAM_CSS = """
body { max-width: 84rem; } td.num { white-space: nowrap; } td.why { min-width: 16rem; }
.health-stalled { color: #b00020; font-weight: 600; } .health-attention { color: #b26a00; }
.health-healthy { color: #2e7d32; } .health-unreadable { color: #7b1fa2; }
.bars td.bar { width: 60%; } .bars svg { display: block; }
"""


def _bars(rows: list[tuple[str, int]], title: str) -> str:
    top = max([n for _, n in rows] + [1])
    out = [f'<table class="bars" aria-label="{escape(title)}">']
    for label, count in rows:
        length = round(300 * count / top, 1)
        out.append(
            f'<tr><td>{escape(label)}</td><td class="num">{count}</td><td class="bar">'
            f'<svg width="310" height="12" viewBox="0 0 310 12" role="img" '
            f'aria-label="{escape(label)}: {count}" xmlns="http://www.w3.org/2000/svg">'
            f'<rect x="0" y="1" width="{length}" height="10" {_BAR}/></svg></td></tr>'
        )
    out.append("</table>")
    return "\n".join(out)


def _trend_chart(trend: Trend) -> str:
    w, h, left, bottom = 560, 150, 30, 28
    top = max([*trend.counts, 1])
    step = (w - left - 10) / max(1, len(trend.counts))
    total = sum(trend.counts)
    parts = [
        f'<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        f'aria-label="{escape(trend.name)} per week: {total} in {len(trend.counts)} weeks" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<text x="{left - 4}" y="14" text-anchor="end" {_TEXT}>{top}</text>',
        f'<text x="{left - 4}" y="{h - bottom}" text-anchor="end" {_TEXT}>0</text>',
    ]
    for i, (week, count) in enumerate(zip(trend.weeks, trend.counts, strict=True)):
        bar = (h - bottom - 10) * count / top
        x = round(left + i * step + 2, 1)
        parts.append(
            f'<rect x="{x}" y="{round(h - bottom - bar, 1)}" width="{round(step - 4, 1)}" '
            f'height="{round(bar, 1)}" {_BAR}><title>week of {week}: {count}</title></rect>'
        )
        if i % 3 == 0:
            parts.append(
                f'<text x="{x}" y="{h - bottom + 14}" {_TEXT}>{week.strftime("%d %b")}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _table(view: ProgramView, rows: list[PairRow]) -> str:
    heads = [name for name, _ in _COLUMNS] + ["why"]
    out = ["<table>", "<thead><tr>" + "".join(f"<th>{h}</th>" for h in heads) + "</tr></thead>"]
    for row in rows:
        cells = _cells(view, row)
        cells[0] = _cut(row.pair.label, 60)
        tds = [f"<td>{escape(cells[0])}</td>"]
        verdict = row.health.verdict.replace(" ", "-")
        tds.append(f'<td class="health-{verdict}">{escape(cells[1])}</td>')
        tds += [f'<td class="num">{escape(c)}</td>' for c in cells[2:]]
        tds.append(f'<td class="why">{escape(literal(row.health.reason))}</td>')
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</table>")
    out.append(f'<p class="muted">{escape(LEGEND)}.</p>')
    return "\n".join(out)


def _who(pair: PairSeen) -> str:
    return f"{pair.names[0]} (mentor) and {pair.names[1]} (mentee)" if pair.names else ""


def html(view: ProgramView) -> str:
    """One self-contained page (inline CSS and SVG, no script, no network)."""
    from mentorkit.views.review import page_start

    title = f"Program {view.name}"
    needing = [r for r in view.rows if r.health.verdict in ("stalled", "attention", "unreadable")]
    median = view.median_days_without_meeting
    out = [
        *page_start(literal(title), _PROGRAM_CSS),
        f"<h1>{escape(literal(title))}</h1>",
        f'<p class="muted">{escape(literal(f"Led by {view.lead}; " if view.lead else ""))}'
        f"as of {view.today}; {escape(summary(view))}."
        + (f" Median days since a pair last met: {median:g}." if median is not None else "")
        + "</p>",
        '<p class="muted">Counted from dates, numbers and states only: no notes, feedback, '
        "titles, KPI values or agreement text. A dash is a figure the pair withholds, or "
        "nothing to count.</p>",
        "<h2>Health</h2>",
        _bars([(v, n) for v, n in view.verdicts.items()], "pairs by health"),
        "<h2>Pairs needing attention</h2>",
        _table(view, needing) if needing else '<p class="empty">None.</p>',
        "<h2>Distributions</h2>",
    ]
    for name, rows in view.distributions.items():
        out += [f"<h3>{escape(name)}</h3>", _bars(rows, name)]
    first = view.trends[0].weeks[0] if view.trends else view.today
    out.append(
        f'<h2>The quarter, week by week</h2><p class="muted">From {first} to {view.today}, across all pairs.</p>'
    )
    for trend in view.trends:
        out += [f"<h3>{escape(trend.name)}</h3>", f"<figure>{_trend_chart(trend)}</figure>"]
    out += ["<h2>Every pair</h2>", _table(view, view.rows)]
    people = [(r.pair.label, _who(r.pair)) for r in view.rows if r.pair.names]
    if people:
        out.append("<h2>Who is in each pair</h2><ul>")
        out += [
            f"<li>{escape(literal(label))}: {escape(literal(who))}</li>" for label, who in people
        ]
        out.append("</ul>")
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out)
