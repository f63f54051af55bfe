"""The `--json` shapes (README: JSON output): items exactly as in the file, plus the
computed fields each command documents."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import date, datetime

    from mentorkit.domain.contacts import Awaiting
    from mentorkit.domain.goals import KpiProgress
    from mentorkit.domain.stats import Stats
    from mentorkit.domain.status import MeetingTimes, Status
    from mentorkit.file.model import ActionItem, Contact, Goal, Kpi, Mentorship
    from mentorkit.git.history import Event
    from mentorkit.git.narrator import Change


def raw_list(items: Any) -> list[Any]:
    from mentorkit.file.fileformat import to_raw

    return [to_raw(item) for item in items]


def action_json(action: ActionItem, today: date) -> dict[str, Any]:
    from mentorkit.domain.actions import is_overdue
    from mentorkit.file.fileformat import to_raw

    return {**to_raw(action), "overdue": is_overdue(action, today)}


def goal_json(goal: Goal, progress: dict[str, KpiProgress]) -> dict[str, Any]:
    from dataclasses import asdict

    from mentorkit.file.fileformat import to_raw

    data: dict[str, Any] = to_raw(goal)
    for kpi_data in data.get("kpis", []):
        kpi_data["progress"] = asdict(progress[kpi_data["id"]])
    return data


def status_json(result: Status) -> dict[str, object]:
    """The documented --json shape of `mentorkit status`."""
    from dataclasses import asdict

    from mentorkit.file.fileformat import to_raw

    return {
        "today": result.today,
        "people": [asdict(p) for p in result.people],
        "next_meeting": asdict(result.next_meeting) if result.next_meeting else None,
        "actions": {role: asdict(counts) for role, counts in result.actions.items()},
        "open_actions": {
            role: [action_json(a, result.today) for a in items]
            for role, items in result.open_actions.items()
        },
        "kpis": [asdict(k) for k in result.kpis],
        "unread_resources": [to_raw(r) for r in result.unread_resources],
        "goals_without_kpis": [
            {"id": g.id, "competency": g.competency} for g in result.goals_without_kpis
        ],
        "nudges": result.nudges,
        "notes": result.notes,
        "feedback_day": result.feedback_day,
        "contacts_awaiting_reply": awaiting_json(result.replies_awaiting),
    }


def rules_json(m: Mentorship) -> dict[str, Any]:
    """`rules --json`: the agreement as the file has it, and its gaps."""
    from mentorkit.domain.agreement import gaps
    from mentorkit.file.fileformat import mentorship_to_raw

    return {"agreement": mentorship_to_raw(m)["agreement"], "gaps": gaps(m)}


def kpi_json(goal: Goal, kpi: Kpi, progress: KpiProgress) -> dict[str, Any]:
    """`kpi show --json`: the KPI as in the file, its goal's ID and its progress."""
    from dataclasses import asdict

    from mentorkit.file.fileformat import to_raw

    return {**to_raw(kpi), "goal": goal.id, "progress": asdict(progress)}


def schedule_json(m: Mentorship, meetings: list[MeetingTimes]) -> dict[str, Any]:
    """`schedule --json`: the cadence, its rule and the next meetings."""
    from dataclasses import asdict

    return {
        "cadence": m.schedule.cadence,
        "rrule": m.schedule.rrule,
        "meetings": [asdict(x) for x in meetings],
    }


def stats_json(result: Stats) -> dict[str, Any]:
    """`stats --json`: the figures as computed."""
    from dataclasses import asdict

    return asdict(result)


def history_json(events: list[Event]) -> list[dict[str, Any]]:
    """`history --json`: one object an event, without the committer's email."""
    keys = ("when", "who", "role", "commit", "kind", "item", "text", "field", "was", "now")
    return [{k: getattr(e, k) for k in keys} for e in events]


def diff_json(changes: list[Change]) -> list[dict[str, Any]]:
    """`diff --json`: one object a change, in the words of `history`, with the field
    changed and its values before and after where it is one field's change."""
    return [c._asdict() for c in changes]


def contact_json(m: Mentorship, contact: Contact, now: datetime) -> dict[str, Any]:
    """A contact as in the file, plus `reply_due` (when its reply falls due, in the
    recipient's working time; null when it needs none) and `overdue`."""
    from mentorkit.domain.contacts import reply_due
    from mentorkit.file.fileformat import to_raw

    due = reply_due(m, contact)
    late = contact.reply == "needed" and due is not None and due <= now
    return {**to_raw(contact), "reply_due": due, "overdue": late}


def awaiting_json(waiting: list[Awaiting]) -> list[dict[str, Any]]:
    """Contacts waiting for a reply, as in `contact list --json`."""
    from mentorkit.file.fileformat import to_raw

    return [{**to_raw(a.contact), "reply_due": a.due, "overdue": a.overdue} for a in waiting]


def availability_json(m: Mentorship) -> dict[str, Any]:
    """`availability show --json`: each person's urgent contact and working week, and the
    response times as read."""
    from mentorkit.domain.contacts import response_time
    from mentorkit.domain.workingtime import week_of

    people = {}
    for role in ("mentor", "mentee"):
        person = m.people.of(role)
        week = week_of(person)
        people[role] = {
            "urgent_contact": person.urgent_contact,
            "timezone": person.timezone,
            "working_hours": week.describe().split(", ")[0],
            "working_days": list(week.days),
        }
    return {
        "people": people,
        "response_time": str(response_time(m, urgent=False)),
        "urgent_response_time": str(response_time(m, urgent=True)),
    }
