"""RFC 5545 recurrence rules as the file keeps them: their parts, and whether a rule can be
used, checked without expanding it."""

from __future__ import annotations

import re
from datetime import date

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
                match = _BYDAY.fullmatch(text)
                if match is None:
                    raise ValueError(f"BYDAY: {text!r} is not a day like TU, 1TU or -1FR")
                sign, nth, name = match.groups()
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
