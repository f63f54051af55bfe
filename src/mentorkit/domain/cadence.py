"""Meeting cadences in the words people use, turned into RFC 5545 recurrence rules."""

from __future__ import annotations

import re
from datetime import date, timedelta

from mentorkit.errors import UsageProblem
from mentorkit.file.model import WEEKDAYS

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
        return _month_day(day)
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


_PARTS = {
    "FREQ",
    "INTERVAL",
    "COUNT",
    "UNTIL",
    "BYDAY",
    "BYMONTHDAY",
    "BYMONTH",
    "BYSETPOS",
    "WKST",
}
_FREQS = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_DAY_NAMES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_BYDAY = re.compile(r"([+-]?)([1-5]?)(MO|TU|WE|TH|FR|SA|SU)")
_ONLY_WITH = {  # which BY-parts each frequency may carry, so that every rule can progress
    "DAILY": set(),
    "WEEKLY": {"BYDAY"},
    "MONTHLY": {"BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS"},
    "YEARLY": {"BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS"},
}


def rule_parts(rule: str) -> dict[str, str]:
    """'FREQ=MONTHLY;BYDAY=1TU' -> {'FREQ': 'MONTHLY', 'BYDAY': '1TU'}; ValueError when the
    rule is not one mentorkit can expand safely."""
    parts: dict[str, str] = {}
    for item in rule.split(";"):
        name, sign, value = item.partition("=")
        if not sign or not value:
            raise ValueError(f"{item!r} is not NAME=VALUE")
        if name not in _PARTS:
            raise ValueError(f"{name} is not supported (use {', '.join(sorted(_PARTS))})")
        if name in parts:
            raise ValueError(f"{name} appears twice")
        parts[name] = value
    return parts


def _numbers(value: str, name: str, low: int, high: int, signed: bool = False) -> list[int]:
    found = []
    for text in value.split(","):
        if not re.fullmatch(r"[+-]?\d{1,4}" if signed else r"\d{1,5}", text):
            raise ValueError(f"{name}={value} is not a list of whole numbers")
        number = int(text)
        if not low <= abs(number) <= high or (not signed and number < low):
            raise ValueError(f"{name} takes {low} to {high}, not {number}")
        found.append(number)
    return found


def _check_until(value: str) -> None:
    """UNTIL as a date (20271231), a local time (20271231T170000) or UTC (...Z)."""
    from datetime import datetime

    try:
        if not re.fullmatch(r"\d{8}(T\d{6}Z?)?", value):
            raise ValueError(value)
        datetime.strptime(value.rstrip("Z"), "%Y%m%dT%H%M%S" if "T" in value else "%Y%m%d")
    except ValueError:
        raise ValueError(f"UNTIL={value} is not a date like 20271231") from None


def _check_parts(parts: dict[str, str]) -> None:
    freq = parts.get("FREQ")
    if freq is None:
        raise ValueError("the rule has no FREQ")
    if freq not in _FREQS:
        raise ValueError("meetings repeat daily at the most often, yearly at the least")
    extra = {k for k in parts if k.startswith("BY")} - _ONLY_WITH[freq]
    if extra:
        raise ValueError(f"{', '.join(sorted(extra))} cannot be used with FREQ={freq}")
    if "INTERVAL" in parts:
        _numbers(parts["INTERVAL"], "INTERVAL", 1, 99)
    if "COUNT" in parts:
        _numbers(parts["COUNT"], "COUNT", 1, 1000)
    if "COUNT" in parts and "UNTIL" in parts:
        raise ValueError("a rule has COUNT or UNTIL, not both")
    if "UNTIL" in parts:
        _check_until(parts["UNTIL"])
    if "WKST" in parts and parts["WKST"] not in _DAY_NAMES:
        raise ValueError(f"WKST={parts['WKST']} is not a day like MO")
    for text in parts.get("BYDAY", "").split(",") if "BYDAY" in parts else []:
        match = _BYDAY.fullmatch(text)
        if not match or (match.group(1) and not match.group(2)):
            raise ValueError(f"BYDAY={parts['BYDAY']} is not a list of days like 1TU,-1FR")
        if match.group(2) and (freq == "WEEKLY" or match.group(2) == "0"):
            raise ValueError(f"BYDAY={parts['BYDAY']}: a numbered day needs FREQ=MONTHLY")
    if "BYMONTHDAY" in parts:
        _numbers(parts["BYMONTHDAY"], "BYMONTHDAY", 1, 31, signed=True)
    if "BYMONTH" in parts:
        _numbers(parts["BYMONTH"], "BYMONTH", 1, 12)
    if "BYSETPOS" in parts:
        _numbers(parts["BYSETPOS"], "BYSETPOS", 1, 366, signed=True)


def _days_of(parts: dict[str, str], year: int, month: int | None, first: date) -> list[date]:
    """The days one MONTHLY (month given) or YEARLY period of the rule yields (RFC 5545 3.3.10),
    computed directly: dateutil searches up to the year 9999 for a rule that yields nothing."""
    import calendar

    months = [month] if month else [int(x) for x in parts.get("BYMONTH", "").split(",") if x]
    if month and "BYMONTH" in parts and month not in {int(x) for x in parts["BYMONTH"].split(",")}:
        return []
    found: set[date] = set()
    if not month and not months and ("BYDAY" in parts or "BYMONTHDAY" in parts):
        scopes = [list(range(1, 13))]  # the whole year; numbered days count within it
    else:
        scopes = [[m] for m in (months or [first.month])]
    for scope in scopes:
        days = [
            date(year, m, d) for m in scope for d in range(1, calendar.monthrange(year, m)[1] + 1)
        ]
        chosen = days
        if "BYMONTHDAY" in parts:
            wanted = [int(x) for x in parts["BYMONTHDAY"].split(",")]
            chosen = [
                d
                for d in chosen
                if any(
                    d.day == (w if w > 0 else calendar.monthrange(year, d.month)[1] + 1 + w)
                    for w in wanted
                )
            ]
        if "BYDAY" in parts:
            keep = set()
            for text in parts["BYDAY"].split(","):
                sign, nth, name = _BYDAY.fullmatch(text).groups()  # type: ignore[union-attr]
                same = [d for d in days if d.weekday() == _DAY_NAMES.index(name)]
                if nth:
                    index = int(nth) if sign != "-" else -int(nth)
                    if index <= len(same):
                        keep.add(same[index - 1 if index > 0 else index])
                else:
                    keep.update(same)
            chosen = [d for d in chosen if d in keep]
        if "BYMONTHDAY" not in parts and "BYDAY" not in parts:
            chosen = [d for d in chosen if d.day == first.day]
        found.update(chosen)
    ordered = sorted(found)
    if "BYSETPOS" in parts:
        positions = [int(x) for x in parts["BYSETPOS"].split(",")]
        ordered = sorted(
            {ordered[p - 1 if p > 0 else p] for p in positions if abs(p) <= len(ordered)}
        )
    return ordered


def _yields_something(parts: dict[str, str], first: date) -> bool:
    """Whether the rule yields a meeting within one full cycle of the calendar (weekdays and
    leap years repeat every 28 years; a period's days depend only on that)."""
    freq = parts["FREQ"]
    if freq in ("DAILY", "WEEKLY"):
        return True  # every day, or the listed weekdays of every week
    interval = int(parts.get("INTERVAL", "1"))
    if freq == "YEARLY":
        return any(_days_of(parts, first.year + k * interval, None, first) for k in range(28))
    index = first.year * 12 + first.month - 1
    for k in range(28 * 12):
        year, month = divmod(index + k * interval, 12)
        if year > 9000:
            break
        if _days_of(parts, year, month + 1, first):
            return True
    return False


def rrule_problem(rule: str, first: date | None = None) -> str | None:
    """Why a stored RRULE cannot be used, or None when it can. The rule is checked without
    expanding it, so that a rule that cannot progress (INTERVAL=0, or one that yields
    nothing) is refused in bounded time instead of hanging whoever reads the file."""
    if not re.fullmatch(r"[A-Z0-9=;,+\-]+", rule or ""):
        return f"{rule!r} is not an RFC 5545 rule like FREQ=MONTHLY;BYDAY=1TU"
    try:
        parts = rule_parts(rule)
        _check_parts(parts)
    except ValueError as err:
        return str(err)
    if not _yields_something(parts, first or date(2026, 1, 1)):
        return "the rule never produces a meeting"
    return _read_differently(parts)


def _read_differently(parts: dict[str, str]) -> str | None:
    """Why calendar apps would show other meetings than mentorkit for this rule: ical.js
    (Thunderbird) takes a yearly rule's days once a year unless BYMONTH names the months,
    and ignores BYSETPOS except with BYDAY in a monthly rule."""
    if (
        parts["FREQ"] == "YEARLY"
        and "BYMONTH" not in parts
        and {"BYDAY", "BYMONTHDAY"} & parts.keys()
    ):
        return (
            "a yearly rule with BYDAY or BYMONTHDAY needs BYMONTH (calendar apps read it "
            "differently without); for every month say FREQ=MONTHLY"
        )
    if "BYSETPOS" in parts and (
        parts["FREQ"] != "MONTHLY" or "BYDAY" not in parts or "BYMONTHDAY" in parts
    ):
        return (
            "BYSETPOS is read alike by calendar apps only in a monthly rule with BYDAY and "
            "no BYMONTHDAY"
        )
    return None
