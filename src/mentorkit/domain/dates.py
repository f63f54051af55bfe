"""Dates in the words people type: `2026-12-04`, `Dec 4`, `4 December 2026`, `friday`,
`next tuesday`, `tomorrow`, `+3d`, `-2w`, `in 2 weeks`, `3 days ago`, `last month`,
`before next meeting`. Anything else is an error, never a guess."""

from __future__ import annotations

import re
from datetime import date, timedelta

from mentorkit.errors import UsageProblem
from mentorkit.file.model import WEEKDAYS

_UNITS = {"d": 1, "day": 1, "days": 1, "w": 7, "week": 7, "weeks": 7}
_MONTH_UNITS = {"m": 1, "month": 1, "months": 1}
_WORD_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_DAY_NAMES = {day: i for i, day in enumerate(WEEKDAYS)} | {
    day[:3]: i for i, day in enumerate(WEEKDAYS)
}
_DAY_NAMES |= {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}

_MONTHS = {
    name: number
    for number, full in enumerate(
        (
            "january", "february", "march", "april", "may", "june", "july", "august",
            "september", "october", "november", "december",
        ),
        start=1,
    )
    for name in (full, full[:3], "sept" if full == "september" else full[:3])
}  # fmt: skip

EXAMPLES = (
    "2026-12-04, Dec 4, 4 December 2026, today, tomorrow, friday, next tuesday, +3d, -2w, "
    "in 2 weeks, last month, before next meeting"
)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def parse_when(text: str, today: date, next_meeting: date | None = None) -> date:
    """The date `text` stands for, seen from `today`; `next_meeting` answers 'next meeting'."""
    phrase = " ".join(text.strip().lower().split())
    found = _parse(phrase, today, next_meeting)
    if found is None:
        raise UsageProblem(f"cannot read the date {text!r}; say for instance {EXAMPLES}")
    return found


def _parse(phrase: str, today: date, next_meeting: date | None) -> date | None:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", phrase):
        try:
            return date.fromisoformat(phrase)
        except ValueError:
            raise UsageProblem(f"{phrase!r} is not a date in the calendar") from None
    if re.fullmatch(r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}", phrase):
        raise UsageProblem(f"{phrase!r} could be day/month or month/day; write dates as YYYY-MM-DD")
    simple = {"today": 0, "tomorrow": 1, "yesterday": -1, "next week": 7, "last week": -7}
    if phrase in simple:
        return today + timedelta(days=simple[phrase])
    if phrase in ("next month", "last month"):
        return add_months(today, 1 if phrase == "next month" else -1)
    named = _month_name(phrase, today)
    if named is not None:
        return named
    if phrase in ("end of month", "eom"):
        return add_months(today.replace(day=1), 1) - timedelta(days=1)
    if phrase in ("end of week", "eow"):
        return today + timedelta(days=(4 - today.weekday()) % 7)
    if phrase in ("next meeting", "at next meeting", "before next meeting", "by next meeting"):
        if next_meeting is None:
            raise UsageProblem(f"{phrase!r} needs a scheduled next meeting, and there is none")
        return next_meeting - timedelta(days=1) if phrase == "before next meeting" else next_meeting
    match = re.fullmatch(r"(?:(?:next|this|on|by) )?([a-z]+)", phrase)
    if match and match.group(1) in _DAY_NAMES:
        # 'friday', 'next friday' and 'this friday' all mean the first Friday after today.
        ahead = (_DAY_NAMES[match.group(1)] - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    sign = 1
    match = re.fullmatch(r"\+(\d+)\s*([a-z]+)", phrase) or re.fullmatch(
        r"in (\d+|a|an|one|two|three|four|five|six) ([a-z]+)", phrase
    )
    if match is None:
        sign = -1
        match = re.fullmatch(r"-(\d+)\s*([a-z]+)", phrase) or re.fullmatch(
            r"(\d+|a|an|one|two|three|four|five|six) ([a-z]+) ago", phrase
        )
    if match:
        amount_text, unit = match.groups()
        amount = sign * (int(amount_text) if amount_text.isdigit() else _WORD_NUMBERS[amount_text])
        if abs(amount) > 3650:
            return None
        if unit in _UNITS:
            return today + timedelta(days=amount * _UNITS[unit])
        if unit in _MONTH_UNITS:
            return add_months(today, amount)
    return None


def _month_name(phrase: str, today: date) -> date | None:
    """`dec 4`, `december 4th, 2026`, `4 dec`, `4th of december 2026`. Without a year, the
    one nearest today: `dec 4` in January is the December just gone, in November the
    coming one."""
    phrase = phrase.replace(",", " ")
    match = re.fullmatch(
        r"([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?(?: (\d{4}))?", " ".join(phrase.split())
    )
    if match:
        month_text, day_text, year_text = match.groups()
    else:
        match = re.fullmatch(
            r"(\d{1,2})(?:st|nd|rd|th)? (?:of )?([a-z]+)\.?(?: (\d{4}))?", " ".join(phrase.split())
        )
        if not match:
            return None
        day_text, month_text, year_text = match.groups()
    if month_text not in _MONTHS:
        return None
    month, day = _MONTHS[month_text], int(day_text)
    years = [int(year_text)] if year_text else [today.year - 1, today.year, today.year + 1]
    candidates = []
    for year in years:
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        raise UsageProblem(f"{phrase!r} is not a date in the calendar")
    return min(candidates, key=lambda found: abs((found - today).days))
