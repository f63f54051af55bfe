"""Meeting cadences in the words people use, turned into RFC 5545 recurrence rules."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from mentorkit.errors import UsageProblem
from mentorkit.model import WEEKDAYS

_DAY_CODES = {day: day[:2].upper() for day in WEEKDAYS}
_DAY_ALIASES = {day[:3]: day for day in WEEKDAYS} | {day: day for day in WEEKDAYS}
_DAY_ALIASES |= {"tues": "tuesday", "thur": "thursday", "thurs": "thursday", "weds": "wednesday"}
_ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "last": -1,
    "second last": -2,
    "second to last": -2,
}
_ORDINAL_WORDS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
_NUMBERS = {"two": 2, "three": 3, "four": 4, "six": 6, "other": 2}


def _days(text: str) -> list[str]:
    names = [part for part in re.split(r"\s*(?:,|\band\b)\s*", text.strip()) if part]
    days: list[str] = []
    for name in names:
        name = name.rstrip("s") if name.rstrip("s") in _DAY_ALIASES else name
        if name not in _DAY_ALIASES:
            raise ValueError(name)
        days.append(_DAY_CODES[_DAY_ALIASES[name]])
    return days


def _monthly_anchor(text: str) -> str:
    """'the first tuesday' -> BYDAY=1TU; 'the 15th' -> BYMONTHDAY=15."""
    text = re.sub(r"^the\s+", "", text.strip())
    match = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?(?: day)?", text)
    if match:
        day = int(match.group(1))
        if not 1 <= day <= 31:
            raise ValueError(text)
        return f"BYMONTHDAY={day}"
    if text in ("last day", "last day of the month"):
        return "BYMONTHDAY=-1"
    for words, number in sorted(_ORDINALS.items(), key=lambda kv: -len(kv[0])):
        if text.startswith(words + " "):
            (day,) = _days(text[len(words) + 1 :].removesuffix(" of the month"))
            return f"BYDAY={number}{day}"
    raise ValueError(text)


def parse_cadence(text: str) -> str:
    """Turn 'monthly on the first tuesday', 'every 2 weeks on thursday', 'quarterly' or a
    raw RRULE into an RRULE value (without the 'RRULE:' prefix). Anything else is an error."""
    phrase = " ".join(text.lower().split())
    if phrase.upper().startswith(("RRULE:", "FREQ=")):
        rule = text.strip().removeprefix("RRULE:").removeprefix("rrule:").upper()
        problem = rrule_problem(rule)
        if problem:
            raise UsageProblem(f"the rule {text.strip()!r} cannot be used: {problem}")
        return rule
    try:
        rule = _parse_phrase(phrase)
    except ValueError:
        rule = None
    if rule is None:
        raise UsageProblem(
            f"cannot read the cadence {text!r}; say for instance 'monthly', 'monthly on the "
            "first tuesday', 'every 2 weeks on thursday', 'quarterly', 'weekly on friday', "
            "or give an RRULE such as FREQ=MONTHLY;BYDAY=1TU"
        )
    return rule


def _parse_phrase(phrase: str) -> str | None:
    head, _, anchor = phrase.partition(" on ")
    head = head.strip()
    weekly = {"weekly": 1, "every week": 1, "biweekly": 2, "fortnightly": 2, "every fortnight": 2}
    monthly = {"monthly": 1, "every month": 1, "bimonthly": 2, "quarterly": 3, "every quarter": 3}
    monthly |= {"twice a year": 6, "half-yearly": 6, "semiannually": 6}
    match = re.fullmatch(r"every (\d+|two|three|four|six|other) (weeks?|months?)", head)
    if head in weekly:
        freq, interval = "WEEKLY", weekly[head]
    elif head in monthly:
        freq, interval = "MONTHLY", monthly[head]
    elif match:
        count = match.group(1)
        interval = int(count) if count.isdigit() else _NUMBERS[count]
        freq = "WEEKLY" if match.group(2).startswith("week") else "MONTHLY"
        if not 1 <= interval <= 52:
            return None
    else:
        return None
    parts = [f"FREQ={freq}"]
    if interval != 1:
        parts.append(f"INTERVAL={interval}")
    if anchor:
        if freq == "WEEKLY":
            parts.append("BYDAY=" + ",".join(_days(anchor)))
        else:
            parts.append(_monthly_anchor(anchor))
    return ";".join(parts)


def monthly_cadence_for(first: date) -> tuple[str, str]:
    """The default cadence: monthly on the same weekday of the month as the first meeting."""
    nth = (first.day - 1) // 7 + 1
    if (first + timedelta(days=7)).month != first.month and nth >= 4:
        nth = -1
    weekday = WEEKDAYS[first.weekday()]
    phrase = f"monthly on the {_ORDINAL_WORDS[nth]} {weekday}"
    return phrase, f"FREQ=MONTHLY;BYDAY={nth}{_DAY_CODES[weekday]}"


def rrule_problem(rule: str) -> str | None:
    """Why a stored RRULE cannot be used, or None when it can."""
    from dateutil.rrule import rrulestr

    if not re.fullmatch(r"[A-Z0-9=;,+\-:]+", rule or ""):
        return f"{rule!r} is not an RFC 5545 rule like FREQ=MONTHLY;BYDAY=1TU"
    if "FREQ=" not in rule:
        return "the rule has no FREQ"
    if re.search(r"FREQ=(SECONDLY|MINUTELY|HOURLY)", rule):
        return "meetings repeat daily at the most often"
    try:
        start = datetime(2026, 1, 1, 12, tzinfo=UTC)
        parsed = rrulestr(rule, dtstart=start)
        if parsed.after(start, inc=True) is None:
            return "the rule never produces a meeting"
    except (ValueError, TypeError) as err:
        return f"{err}"
    return None
