"""Meeting cadences in the words people use, turned into RFC 5545 recurrence rules."""

from __future__ import annotations

import re
from datetime import date, timedelta

from mentorkit.errors import UsageProblem
from mentorkit.file.model import WEEKDAYS
from mentorkit.file.rrule import rrule_problem, rule_parts

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
        nth_day = int(match.group(1))
        if not 1 <= nth_day <= 31:
            raise ValueError(text)
        return _month_day(nth_day)
    if text in ("last day", "last day of the month", "last day of each month"):
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
        phrased = _parse_phrase(phrase)
    except ValueError:
        phrased = None
    if phrased is None:
        raise UsageProblem(
            f"cannot read the cadence {text!r}; say for instance 'monthly', 'monthly on the "
            "first tuesday', 'every 2 weeks on thursday', 'quarterly', 'weekly on friday', "
            "or give an RRULE such as FREQ=MONTHLY;BYDAY=1TU"
        )
    return phrased


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


_SHORT_MONTHS = (
    "the 29th and 30th are missing from some months, and calendar apps skip those months; "
    "say 'monthly on the last day' or a day up to the 28th"
)


def _month_day(day: int) -> str:
    """The 31st means the last day of every month (what calendar apps all read alike:
    BYSETPOS, the other way to say it, is ignored by ical.js)."""
    if day == 31:
        return "BYMONTHDAY=-1"
    if day > 28:
        raise UsageProblem(_SHORT_MONTHS)
    return f"BYMONTHDAY={day}"


def anchored(rule: str, first: date) -> str:
    """A monthly or yearly rule that takes its day from the first meeting, made explicit
    when some month of the series lacks that day: a first meeting on a month's last day
    means the last day of every month (RFC 5545 would skip the short ones: quarterly
    from 31 August gave 31 August, 31 May, 31 August)."""
    import calendar

    parts = rule_parts(rule)
    if parts.get("FREQ") not in ("MONTHLY", "YEARLY") or first.day <= 28:
        return rule
    if {"BYDAY", "BYMONTHDAY", "BYSETPOS"} & parts.keys():
        return rule
    step = int(parts.get("INTERVAL", "1")) * (12 if parts["FREQ"] == "YEARLY" else 1)
    months = {(first.month - 1 + k * step) % 12 + 1 for k in range(12)}
    if all(first.day <= calendar.monthrange(2027, month)[1] for month in months):
        return rule  # every month of the series has that day (February 29th aside)
    if first.day != calendar.monthrange(first.year, first.month)[1]:
        raise UsageProblem(_SHORT_MONTHS)
    if parts["FREQ"] == "YEARLY" and "BYMONTH" not in parts:
        parts["BYMONTH"] = str(first.month)
    return ";".join([*(f"{k}={v}" for k, v in parts.items()), "BYMONTHDAY=-1"])


def month_end_note(rule: str) -> str | None:
    """What the schedule says about a rule that falls on a month's last day."""
    if "BYMONTHDAY=-1" not in rule.split(";"):
        return None
    return "on the last day of the month: the 28th, 29th or 30th in shorter months"


def monthly_cadence_for(first: date) -> tuple[str, str]:
    """The default cadence: monthly on the same weekday of the month as the first meeting."""
    nth = (first.day - 1) // 7 + 1
    if (first + timedelta(days=7)).month != first.month and nth >= 4:
        nth = -1
    weekday = WEEKDAYS[first.weekday()]
    phrase = f"monthly on the {_ORDINAL_WORDS[nth]} {weekday}"
    return phrase, f"FREQ=MONTHLY;BYDAY={nth}{_DAY_CODES[weekday]}"
