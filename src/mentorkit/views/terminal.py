"""Views: results turned into lines for `output`. Text people typed goes in as it is;
`output` makes it literal."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING

from mentorkit.output import Line, pad

if TYPE_CHECKING:
    from mentorkit.domain.contacts import Awaiting, BetweenMeetings, UrgentNow
    from mentorkit.domain.goals import KpiProgress
    from mentorkit.domain.stats import Stats
    from mentorkit.domain.status import MeetingTimes, Status
    from mentorkit.file.model import (
        ActionItem,
        Contact,
        Feedback,
        Goal,
        Kpi,
        Mentorship,
        Resource,
        Role,
        TalkingPoint,
    )
    from mentorkit.git.history import Event


def moment(at: datetime) -> str:
    return f"{at:%a} {at.day} {at:%b %Y, %H:%M} {at.tzname()}"


def day(value: date | None) -> str:
    return value.isoformat() if value else "-"


def relative_days(days: int) -> str:
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"  # |days| >= 2 here


# --------------------------------------------------------------------------- status


def meeting_lines(
    meeting: MeetingTimes, names: Mapping[Role, str], indent: str = "  "
) -> list[Line]:
    head: list[tuple[str, str]] = [
        (indent, ""),
        (moment(meeting.start), "bold"),
        (f"  ({relative_days(meeting.days_away)}, {meeting.minutes} min, {meeting.channel})", ""),
    ]
    if meeting.status == "moved":
        head.append((f"  [moved from {meeting.original}]", "yellow"))
    elif meeting.status == "added":
        head.append(("  [extra meeting]", "yellow"))
    if meeting.reason:
        head.append((f"  {meeting.reason}", "dim"))
    lines: list[Line] = [head]
    for role, local in meeting.local.items():
        line = [(f"{indent}  for the {role}, {names[role]}: {moment(local)}", "")]
        if role in meeting.odd_hours:
            line.append((f"  ⚠ {meeting.odd_hours[role]}", "yellow"))
        lines.append(line)
    if meeting.link:
        lines.append(f"{indent}  {meeting.link}")
    return lines


def status(result: Status) -> list[Line]:
    names = {p.role: p.name for p in result.people}
    lines: list[Line] = [
        [
            ("Mentorship ", "bold"),
            (names["mentor"], ""),
            (" (mentor) and ", ""),
            (names["mentee"], ""),
            (" (mentee)", ""),
        ]
    ]
    for person in result.people:
        lines.append(
            f"  {person.role:<7} {person.name}, {person.timezone}, now {person.local:%a %H:%M}"
        )
    lines += ["", [("Next meeting", "bold")]]
    if result.next_meeting is None:
        lines.append("  none scheduled (`mentorkit schedule set`)")
    else:
        lines += meeting_lines(result.next_meeting, names)
    if result.feedback_day:
        lines.append(f"  feedback day: {result.feedback_day}")
    if result.kpis:
        lines += ["", [("Goals", "bold")]]
        for item in result.kpis:
            p = item.progress
            style = "green" if p.reached else ("red" if p.on_track is False else "")
            lines.append(
                [
                    (f"  {bar(p.progress, 12)} ", style),
                    (f"{p.progress * 100:>3.0f}%  ", ""),
                    (f"{item.kpi} ", ""),
                    (f"({item.goal})", "dim"),
                ]
            )
            if p.on_track is False:
                lines.append([(f"                     {p.verdict}", "red")])
    if result.goals_without_kpis:
        if not result.kpis:
            lines += ["", [("Goals", "bold")]]
        for goal in result.goals_without_kpis:
            lines.append([("  no KPI yet      ", "yellow"), (f"{goal.competency} ", ""),
                          (f"({goal.id}; `mentorkit kpi add {goal.id}`)", "dim")])  # fmt: skip
    lines += ["", [("Action items", "bold")]]
    for role, counts in result.actions.items():
        line = [(f"  {role:<7} {counts.open} open", "")]
        if counts.overdue:
            line.append((f", {counts.overdue} overdue", "bold red"))
        line.append((f", {counts.done} done", ""))
        lines.append(line)
        shown = result.open_actions[role][:5]
        lines += [[("    ", ""), *row] for row in action_rows(shown, result.today)]
        if len(result.open_actions[role]) > len(shown):
            lines.append(
                f"    ... and {len(result.open_actions[role]) - len(shown)} more (`mentorkit action list`)"
            )
    if result.unread_resources:
        lines += ["", [("Resources to work through", "bold")]]
        lines += [f"  {r.id}  {r.kind:<8}  {r.title}" for r in result.unread_resources[:5]]
        if len(result.unread_resources) > 5:
            lines.append(
                f"  ... and {len(result.unread_resources) - 5} more (`mentorkit resource list`)"
            )
    if result.replies_awaiting:
        lines += ["", [("Between meetings", "bold")]]
        lines += awaiting_lines(result.replies_awaiting)
    if result.nudges or result.notes:
        lines.append("")
    lines += [[("feedback: " + nudge, "yellow")] for nudge in result.nudges]
    lines += [[("note: " + note, "yellow")] for note in result.notes]
    return lines


# --------------------------------------------------------------------------- rules


def rules(m: Mentorship, today: date) -> list[Line]:
    from mentorkit.domain.agreement import agreed_on
    from mentorkit.domain.schedule import feedback_day_text

    agreement = m.agreement
    rows = [
        ("mentee wants", agreement.mentee_wants),
        ("mentor wants", agreement.mentor_wants),
        ("initiates contact", agreement.initiates_contact),
        ("accountability", agreement.accountability),
        ("formal channel", agreement.formal_channel),
        ("informal channels", ", ".join(agreement.informal_channels)),
        ("response time", agreement.response_time),
        ("urgent concerns", agreement.urgent_concerns),
        *(
            [("urgent response", agreement.urgent_response_time)]
            if agreement.urgent_response_time
            else []
        ),
        ("confidentiality", agreement.confidentiality),
        ("cancellations", agreement.cancellations),
        ("meetings", f"{m.schedule.cadence}, {m.schedule.time} {m.schedule.timezone}"),
        ("feedback day", feedback_day_text(m, today) or "-"),
        (
            "term",
            f"{day(agreement.term.start)} to {day(agreement.term.end)}, "
            f"review {day(agreement.term.review)}",
        ),
        (
            "agreed",
            f"mentor {day(agreed_on(m, 'mentor'))}, mentee {day(agreed_on(m, 'mentee'))}",
        ),
    ]
    lines: list[Line] = []
    for label, value in rows:
        text = (value or "-").rstrip("\n")
        first, *rest = text.split("\n")
        lines.append([(pad(label, 19), "bold"), (first, "")])
        lines += [" " * 19 + more for more in rest]
    return lines


# --------------------------------------------------------------------------- goals and KPIs

_BLOCKS = "▁▂▃▄▅▆▇█"


def bar(fraction: float, cells: int = 20) -> str:
    filled = round(max(0.0, min(1.0, fraction)) * cells)
    return "█" * filled + "░" * (cells - filled)


def sparkline(values: list[float]) -> str:
    if not values:
        return ""
    low, high = min(values), max(values)
    if high == low:
        return _BLOCKS[3] * len(values)
    return "".join(_BLOCKS[round((v - low) / (high - low) * (len(_BLOCKS) - 1))] for v in values)


def number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def kpi_lines(kpi: Kpi, progress: KpiProgress, indent: str = "  ") -> list[Line]:
    from mentorkit.domain.wording import amount

    style = "green" if progress.reached else ("red" if progress.on_track is False else "")
    values = [float(s.value) for s in kpi.measurements]
    return [
        [(f"{indent}{kpi.id}  ", "dim"), (kpi.name, "bold")],
        [
            (f"{indent}      {bar(progress.progress)} ", style),
            (f"{progress.progress * 100:.0f}%  ", ""),
            (
                f"{number(kpi.baseline)} → {number(progress.latest)} of "
                f"{amount(kpi.target, kpi.unit)}",
                "",
            ),
            (f"  ({kpi.direction} is better)", "dim"),
        ],
        [
            (f"{indent}      trend {sparkline(values) or '-'}  ", ""),
            (progress.verdict, style),
        ],
    ]


def goal_summary(goal: Goal, progress: dict[str, KpiProgress]) -> list[Line]:
    status_style = {"active": "", "achieved": "green", "dropped": "dim"}[goal.status]
    lines: list[Line] = [
        [(f"{goal.id}  ", "dim"), (goal.competency, "bold"), (f"  [{goal.status}]", status_style)]
    ]
    for kpi in goal.kpis:
        lines += kpi_lines(kpi, progress[kpi.id])
    return lines


def goal_list(goals: list[Goal], progress: dict[str, KpiProgress]) -> list[Line]:
    lines: list[Line] = []
    for goal in goals:
        lines += goal_summary(goal, progress)
    return lines or ["no goals yet (`mentorkit goal add`)"]


def goal_detail(
    goal: Goal,
    progress: dict[str, KpiProgress],
    actions: list[ActionItem],
    resources: list[Resource],
) -> list[Line]:
    lines = goal_summary(goal, progress)[:1]
    if goal.why:
        lines.append(f"  why: {goal.why}")
    lines.append(f"  set {day(goal.created)}" + (f" by the {goal.set_by}" if goal.set_by else ""))
    if goal.achieved:
        lines.append([(f"  achieved {goal.achieved}", "green")])
    if goal.dropped:
        lines.append(
            f"  dropped {goal.dropped}" + (f": {goal.drop_reason}" if goal.drop_reason else "")
        )
    if goal.strategies:
        lines += ["", [("Strategies", "bold")]]
        lines += [f"  {i}. {s}" for i, s in enumerate(goal.strategies, 1)]
    if goal.kpis:
        lines += ["", [("KPIs", "bold")]]
        for kpi in goal.kpis:
            lines += kpi_lines(kpi, progress[kpi.id])
    if actions:
        lines += ["", [("Action items", "bold")]]
        lines += [
            f"  {a.id}  {a.status:<7} {a.owner:<6} due {day(a.due)}  {a.title}" for a in actions
        ]
    if resources:
        lines += ["", [("Resources", "bold")]]
        lines += [f"  {r.id}  {r.kind:<8} {r.status:<6} {r.title}" for r in resources]
    return lines


def kpi_detail(goal: Goal, kpi: Kpi, progress: KpiProgress) -> list[Line]:
    from mentorkit.domain.wording import amount

    lines: list[Line] = [
        [
            (f"{kpi.id}  ", "dim"),
            (kpi.name, "bold"),
            (f"  (goal {goal.id}: {goal.competency})", "dim"),
        ],
        f"  baseline {amount(kpi.baseline, kpi.unit)}, target {amount(kpi.target, kpi.unit)}, "
        f"{kpi.direction} is better, due {day(kpi.due)}",
        "",
    ]
    previous: float | None = None
    for s in kpi.measurements:
        change = "" if previous is None else f"{s.value - previous:+g}"
        note = f"  {s.note}" if s.note else ""
        lines.append(f"  {s.date}  {number(s.value):>8}  {change:>6}{note}")
        previous = s.value
    if not kpi.measurements:
        lines.append("  no measurements yet (`mentorkit kpi record`)")
    lines.append("")
    lines += kpi_lines(kpi, progress)[1:]
    return lines


# --------------------------------------------------------------------------- action items


def action_rows(actions: list[ActionItem], today: date) -> list[Line]:
    """One pre-formatted line per item: a rich Table of 2,000 rows takes ~700 ms to render."""
    from mentorkit.domain.actions import is_overdue

    lines: list[Line] = []
    for a in actions:
        overdue = is_overdue(a, today)
        if a.status == "done":
            state, style = f"done {day(a.completed)}", "green"
        elif a.status == "dropped":
            state, style = "dropped", "dim"
        elif overdue and a.due is not None:
            state, style = f"overdue {(today - a.due).days}d", "bold red"
        else:
            state, style = "open", ""
        goal = f"  [{a.goal}]" if a.goal else ""
        lines.append(
            [
                (f"{a.id}  ", "dim"),
                (f"{day(a.due):<10}  ", "red" if overdue else ""),
                (f"{a.owner:<6}  ", ""),
                (f"{state:<15}  ", style),
                (a.title, ""),
                (goal, "dim"),
            ]
        )
    return lines


def action_list(actions: list[ActionItem], today: date) -> list[Line]:
    if not actions:
        return ["no action items match"]
    lines = action_rows(actions, today)
    from mentorkit.domain.actions import is_overdue

    overdue = sum(1 for a in actions if is_overdue(a, today))
    summary = f"{len(actions)} action item{'s' if len(actions) != 1 else ''}"
    lines.append([(summary, "dim"), (f", {overdue} overdue" if overdue else "", "red")])
    return lines


def action_detail(a: ActionItem, today: date) -> list[Line]:
    from mentorkit.domain.actions import timeliness

    lines: list[Line] = action_rows([a], today)
    lines.append(
        f"  owner {a.owner}, added {a.created}"
        + (f" by the {a.created_by}" if a.created_by else "")
    )
    if a.goal:
        lines.append(f"  goal {a.goal}")
    if a.completed:
        lines.append(f"  completed {a.completed} ({timeliness(a.completed, a.due)})")
    if a.dropped:
        lines.append(f"  dropped {a.dropped}: {a.drop_reason or ''}")
    for move in a.moves:
        by = f" by the {move.by}" if move.by else ""
        lines.append(f"  moved on {move.moved}{by}; it was due {move.was}")
    for update in a.updates:
        first, *rest = update.text.split("\n")
        lines.append(f"  {update.date} {update.by}: {first}")
        lines += [f"      {more}" for more in rest]
    return lines


# --------------------------------------------------------------------------- resources, feedback, agenda


def resource_list(resources: list[Resource]) -> list[Line]:
    from mentorkit.domain.resources import still_to_do

    lines: list[Line] = []
    for r in resources:
        state = f"done {r.completed}" if r.status == "done" else still_to_do(r.kind)
        lines.append(
            [
                (f"{r.id}  ", "dim"),
                (f"{r.kind:<8}  ", ""),
                (f"{state:<15}  ", "green" if r.status == "done" else "yellow"),
                (r.title, "bold"),
                (f"  (from the {r.shared_by}, {r.shared})", "dim"),
            ]
        )
        if r.url:
            lines.append(f"      {r.url}")
        if r.notes:
            lines += [f"      {note}" for note in r.notes.split("\n")]
    return lines or ["no resources match"]


def feedback_list(items: list[Feedback]) -> list[Line]:
    lines: list[Line] = []
    for f in items:
        style = "green" if f.kind == "recognition" else "cyan"
        lines.append(
            [
                (f"{f.id}  ", "dim"),
                (f"{f.date}  ", ""),
                (f"{f.from_} → {f.to}  ", ""),
                (f.kind, style),
            ]
        )
        lines += [f"      {line}" for line in f.text.rstrip("\n").split("\n")]
    return lines or ["no feedback matches"]


def agenda_list(points: list[TalkingPoint]) -> list[Line]:
    lines: list[Line] = [
        [(f"{p.id}  ", "dim"), (f"{(p.added_by or '-'):<6}  ", ""), (p.text, "")] for p in points
    ]
    return lines or ["no open talking points (`mentorkit agenda add`)"]


def schedule(m: Mentorship, meetings: list[MeetingTimes], today: date) -> list[Line]:
    """`schedule`: the cadence, the feedback day, a month-end rule's note, the next meetings."""
    from mentorkit.domain.cadence import month_end_note
    from mentorkit.domain.schedule import feedback_day_text

    lines: list[Line] = [f"{m.schedule.cadence}, {m.schedule.time} {m.schedule.timezone}"]
    feedback = feedback_day_text(m, today)
    if feedback:
        lines.append(f"feedback day: {feedback}")
    note = month_end_note(m.schedule.rrule)
    lines += [f"({note})", ""] if note else [""]
    return lines + upcoming(meetings, m.people.names())


def upcoming(meetings: list[MeetingTimes], names: Mapping[Role, str]) -> list[Line]:
    lines: list[Line] = []
    for meeting in meetings:
        if meeting.status == "cancelled":
            reason = f": {meeting.reason}" if meeting.reason else ""
            lines.append(
                [
                    ("  ", ""),
                    (moment(meeting.start), "dim strike"),
                    (f"  [cancelled{reason}]", "red"),
                ]
            )
            continue
        lines += meeting_lines(meeting, names)
    return lines or ["no meetings ahead (`mentorkit schedule set`)"]


# --------------------------------------------------------------------------- the record


def timeline(events: list[Event], zone: tzinfo | None = None, total: int = 0) -> list[Line]:
    """The events with their times in `zone` (None: the machine's), the zone named once."""
    lines: list[Line] = []
    name = getattr(zone, "key", None) or "local time"
    if events:
        lines.append([(f"times in {name}", "dim")])
    for e in events:
        who = f"{e.role} ({e.who})" if e.role else e.who
        lines.append(
            [
                (f"{e.when.astimezone(zone):%Y-%m-%d %H:%M %Z}  ", "dim"),
                (f"{e.commit[:7]}  ", "yellow"),
                (f"{who} ", "bold"),
                (e.text, ""),
            ]
        )
    if not events:
        lines.append(
            f"no events match these filters (of {total} in the history)"
            if total
            else "no history: the file has no commits in git yet"
        )
    return lines


def stats(result: Stats, names: Mapping[Role, str]) -> list[Line]:
    from mentorkit.domain.wording import plural

    lines: list[Line] = []
    for role, p in result.people.items():
        rate = "-" if p.on_time_rate is None else f"{p.on_time_rate * 100:.0f}%"
        late = "-" if p.median_days_late is None else f"{p.median_days_late:g} days"
        lines += [
            [(f"{role} ({names[role]})", "bold")],
            f"  actions completed {p.completed}, on time {rate} (against the first agreed due "
            f"date), median lateness when late {late}",
            f"  of those completed, {p.completed_after_moves} had their due date moved "
            f"({plural(p.moves_before_completion, 'move')} in all)",
            f"  due dates they moved {p.due_dates_moved} ({p.moved_later} later, "
            f"{p.moved_earlier} earlier), dropped {p.dropped}, open {p.open}, "
            f"overdue now {p.overdue_now}",
        ]
        if p.contacts_sent or p.replied or p.replies_overdue_now:
            median = (
                ""
                if p.median_reply_hours is None
                else (
                    f" in a median of {p.median_reply_hours:g} hours"
                    f" ({p.replied_within_agreed} within the agreed time)"
                )
            )
            lines.append(
                f"  between meetings: sent {plural(p.contacts_sent, 'contact')}, replied to "
                f"{p.replied}{median}, replies overdue now {p.replies_overdue_now}"
            )
        for month in sorted(set(p.feedback_given) | set(p.feedback_received)):
            given, got = p.feedback_given.get(month, {}), p.feedback_received.get(month, {})
            lines.append(
                f"  {month}: gave {given.get('feedback', 0)} feedback, "
                f"{given.get('recognition', 0)} recognition; received {got.get('feedback', 0)} "
                f"feedback, {got.get('recognition', 0)} recognition"
            )
        lines.append("")
    lines.append(f"meetings held {result.meetings}")
    return lines


# --------------------------------------------------------------------------- between meetings


def contact_rows(m: Mentorship, contacts: list[Contact], now: datetime) -> list[Line]:
    """One line a contact (sent, in the sender's own time), its link below it."""
    from mentorkit.domain.contacts import state

    lines: list[Line] = []
    for c in contacts:
        shown = state(m, c, now)
        style = "bold red" if "overdue" in shown else ("green" if "answered" in shown else "")
        lines.append(
            [
                (f"{c.id}  ", "dim"),
                (f"{_sent_local(m, c):%Y-%m-%d %H:%M %Z}  ", ""),
                (f"{c.from_} → {c.to}  ", ""),
                (f"{c.channel:<13}  ", ""),
                ("urgent  " if c.urgent else "", "bold red"),
                (c.topic, "bold"),
                (f"  ({shown})", style),
            ]
        )
        if c.reply_to:
            lines.append(f"      answers {c.reply_to}")
        if c.link:
            lines.append(f"      {c.link}")
    return lines


def _sent_local(m: Mentorship, c: Contact) -> datetime:
    from mentorkit.timezones import zone

    return c.sent.astimezone(zone(m.people.of(c.from_).timezone))


def contact_list(m: Mentorship, contacts: list[Contact], now: datetime) -> list[Line]:
    if not contacts:
        return ["no contacts match (`mentorkit note TOPIC` logs one)"]
    from mentorkit.domain.contacts import awaiting

    lines = contact_rows(m, contacts, now)
    shown = {c.id for c in contacts}
    late = sum(1 for a in awaiting(m, now) if a.overdue and a.contact.id in shown)
    summary = f"{len(contacts)} contact{'s' if len(contacts) != 1 else ''}"
    lines.append(
        [
            (summary, "dim"),
            (f", {late} {'reply' if late == 1 else 'replies'} overdue" if late else "", "red"),
        ]
    )
    return lines


def awaiting_lines(waiting: list[Awaiting], indent: str = "  ") -> list[Line]:
    """Contacts waiting for a reply: overdue ones in red, with the due time in the
    recipient's zone."""
    from mentorkit.domain.contacts import due_text, span_text

    lines: list[Line] = []
    for a in waiting:
        c = a.contact
        when = due_text(a.due, c.sent)
        state = f"overdue by {span_text(a.late_by)} (due {when})" if a.overdue else f"due {when}"
        lines.append(
            [
                (indent, ""),
                (f"reply {state}", "bold red" if a.overdue else ""),
                (f": the {c.to} to answer {c.channel} {c.id} from the {c.from_}", ""),
                (", urgent" if c.urgent else "", "bold red"),
                (": ", ""),
                (c.topic, ""),
            ]
        )
    return lines


def between_meetings(result: BetweenMeetings) -> list[str]:
    """The contacts of a period in lines: by direction and channel, reply times."""
    from mentorkit.domain.wording import plural

    if not result.total and not result.unanswered:
        return ["no contacts between meetings recorded (`mentorkit note TOPIC`)"]
    directions = ", ".join(f"{k} {v}" for k, v in result.by_direction.items())
    channels = ", ".join(f"{k} {v}" for k, v in result.by_channel.items())
    lines = [f"{plural(result.total, 'contact')}: {directions}; {channels or 'none'}"]
    if result.urgent:
        lines.append(f"urgent: {result.urgent}")
    for role, times in result.replies.items():
        if not times.replied and not times.unanswered:
            continue
        said = f"the {role} replied to {plural(times.replied, 'contact')}"
        if times.median_hours is not None:
            said += (
                f" in a median of {times.median_hours:g} hours ({times.within_agreed} "
                "within the agreed time)"
            )
        lines.append(said + (f"; {times.unanswered} unanswered" if times.unanswered else ""))
    return lines


def urgent(found: UrgentNow, you: Role) -> list[Line]:
    """`mentorkit urgent`: the other person's channel now, in both local times."""
    lines: list[Line] = [
        [("Urgent: ", "bold"), (f"{found.name} ({found.role})", "bold")],
        f"  their time  {moment(found.their_now)}",
        f"  your time   {moment(found.your_now)} ({you})",
        f"  their working hours: {found.hours}",
    ]
    if found.inside_hours:
        lines.append([("  inside their working hours now", "green")])
    else:
        lines.append([("  outside their working hours now", "yellow")])
        if found.next_start is not None:
            theirs = found.next_start.astimezone(found.their_now.tzinfo)
            yours = found.next_start.astimezone(found.your_now.tzinfo)
            lines.append(f"  they start again {moment(theirs)} ({moment(yours)} for you)")
    if found.channel:
        lines.append([("  reach them: ", "bold"), (found.channel, "")])
    else:
        shown = ", ".join(found.fallback) or "the agreed channels"
        lines.append(
            f"  reach them: no urgent contact in the file; {shown} "
            f"(`mentorkit availability set --for {found.role} --urgent-contact ...`)"
        )
    due_theirs = found.reply_due.astimezone(found.their_now.tzinfo)
    due_yours = found.reply_due.astimezone(found.your_now.tzinfo)
    lines.append(
        f"  an urgent message now expects a reply within {found.response}: by "
        f"{moment(due_theirs)} ({moment(due_yours)} for you)"
    )
    if found.what_counts:
        first, *rest = found.what_counts.rstrip("\n").split("\n")
        lines.append(f"  what counts as urgent: {first}")
        lines += [f"    {more}" for more in rest]
    return lines


def availability(m: Mentorship) -> list[Line]:
    """Both people's urgent contact and working week, and the agreed response times."""
    from mentorkit.domain.contacts import response_time
    from mentorkit.domain.workingtime import week_of

    lines: list[Line] = []
    for role in ("mentor", "mentee"):
        person = m.people.of(role)
        lines += [
            [(f"{role} ({person.name})", "bold")],
            f"  urgent contact  {person.urgent_contact or '-'}",
            f"  working hours   {week_of(person).describe()} ({person.timezone})",
        ]
    a = m.agreement
    lines += [
        "",
        f"response time         {response_time(m, urgent=False)}"
        + (f" (agreed: {a.response_time})" if a.response_time else ""),
        f"urgent response time  {response_time(m, urgent=True)}"
        + (f" (agreed: {a.urgent_response_time})" if a.urgent_response_time else ""),
    ]
    return lines
