"""Time zone look-ups by IANA name."""

from __future__ import annotations

from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mentorkit.errors import UsageProblem


@cache
def zone(name: str) -> ZoneInfo:
    try:
        if not name or name.startswith(("/", ".")) or ".." in name:
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as err:
        raise UsageProblem(
            f"{name!r} is not a known time zone; use an IANA name like Europe/London"
        ) from err


def is_timezone(name: str) -> bool:
    try:
        zone(name)
    except UsageProblem:
        return False
    return True
