"""Each person's availability between meetings: their urgent contact, working hours and
working days, kept with them under `people` in the file."""

from __future__ import annotations

from datetime import time

from mentorkit.domain.wording import one_line
from mentorkit.domain.workingtime import days_text, parse_hours
from mentorkit.errors import UsageProblem
from mentorkit.file.model import WEEKDAYS, Mentorship, Role, Weekday


def weekdays_named(text: str) -> list[Weekday]:
    """'mon-fri', 'sun-thu', 'mon,tue,thu', 'monday to friday' -> the days, in week order."""
    from mentorkit.domain.agreement import weekday_named

    typed = text.strip().lower().replace(" to ", "-")
    days: list[Weekday] = []
    for part in (p.strip() for p in typed.replace(" ", ",").split(",")):
        if not part:
            continue
        if "-" in part:
            first, _, last = part.partition("-")
            a, b = WEEKDAYS.index(weekday_named(first)), WEEKDAYS.index(weekday_named(last))
            span = [WEEKDAYS[(a + i) % 7] for i in range((b - a) % 7 + 1)]
            days += [d for d in span if d not in days]
        else:
            day = weekday_named(part)
            if day not in days:
                days.append(day)
    if not days:
        raise UsageProblem(f"{text!r} names no working days; say for instance mon-fri")
    return sorted(days, key=WEEKDAYS.index)


def set_availability(
    m: Mentorship,
    whose: Role,
    *,
    urgent_contact: str | None = None,
    hours: str | None = None,
    days: str | None = None,
    by: Role | None,
) -> str:
    """Change a person's urgent contact ('-' for none), working hours or days."""
    person = m.people.of(whose)
    told: list[str] = []
    if urgent_contact is not None:
        value = (
            None
            if urgent_contact.strip() in ("", "-")
            else one_line(urgent_contact, "the urgent contact")
        )
        person.urgent_contact = value
        told.append(f"urgent contact {value or 'none'}")
    if hours is not None:
        start, end = parse_hours(hours)
        shown_end = "24:00" if end == time.max else f"{end:%H:%M}"
        person.working_hours = f"{start:%H:%M}-{shown_end}"
        told.append(f"working hours {person.working_hours}")
    if days is not None:
        person.working_days = weekdays_named(days)
        told.append(f"working days {days_text(person.working_days)}")
    if not told:
        raise UsageProblem("say what to set: --urgent-contact, --hours or --days")
    return f"{by or 'someone'} set the availability of the {whose}: {', '.join(told)}"
