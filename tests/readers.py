"""Independent calendar readers, each listing the meetings it sees in an .ics export.

Every reader returns the start instants (UTC) of the meetings a calendar would show between
two instants, cancelled ones left out: icalendar with recurring-ical-events, vobject (on
dateutil, reading the file's VTIMEZONE itself), allenporter's ical, and ical.js, the library
Thunderbird uses, on node.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

NODE_FOLDER = Path(__file__).resolve().parent / "node"


def _is_meeting(uid: str) -> bool:
    return "-meeting" in uid


def recurring_ical_events_reader(data: bytes, low: datetime, high: datetime) -> list[datetime]:
    import icalendar
    import recurring_ical_events

    calendar = icalendar.Calendar.from_ical(data)
    return sorted(
        e["DTSTART"].dt.astimezone(UTC)
        for e in recurring_ical_events.of(calendar).between(low, high)
        if e.name == "VEVENT"
        and _is_meeting(str(e["UID"]))
        and str(e.get("STATUS", "")) != "CANCELLED"
    )


def vobject_reader(data: bytes, low: datetime, high: datetime) -> list[datetime]:
    """vobject gives the series (RRULE, EXDATE) with the file's own time zones; a calendar
    then puts each RECURRENCE-ID override in place of the meeting it replaces."""
    import vobject

    calendar = vobject.readOne(data.decode("utf-8"))
    starts: list[datetime] = []
    overrides: dict[str, list[tuple[datetime, datetime, bool]]] = {}
    masters = []
    for event in getattr(calendar, "vevent_list", []):
        uid = event.uid.value
        if not _is_meeting(uid):
            continue
        cancelled = getattr(event, "status", None) and event.status.value == "CANCELLED"
        if hasattr(event, "recurrence_id"):
            overrides.setdefault(uid, []).append(
                (event.recurrence_id.value.astimezone(UTC), event.dtstart.value, bool(cancelled))
            )
        elif hasattr(event, "rrule"):
            masters.append(event)
        elif not cancelled:
            starts.append(event.dtstart.value.astimezone(UTC))
    for event in masters:
        replaced = {was for was, _, _ in overrides.get(event.uid.value, [])}
        for when in event.getrruleset(addRDate=True).between(low, high, inc=True):
            if when.astimezone(UTC) not in replaced:
                starts.append(when.astimezone(UTC))
        starts += [
            new.astimezone(UTC) for _, new, off in overrides.get(event.uid.value, []) if not off
        ]
    return sorted(s for s in starts if low <= s <= high)


def ical_reader(data: bytes, low: datetime, high: datetime) -> list[datetime]:
    from ical.calendar_stream import IcsCalendarStream

    calendar = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    return sorted(
        e.dtstart.astimezone(UTC)
        for e in calendar.timeline_tz(UTC).overlapping(low, high)
        if _is_meeting(e.uid or "")
        and str(e.status or "") not in ("CANCELLED", "EventStatus.CANCELLED")
        and low <= e.dtstart.astimezone(UTC) <= high
    )


class _IcalJs:
    """ical.js on one node process for every calendar the tests read: starting node costs
    about 0.4 s, reading one calendar a few milliseconds (expand.mjs --serve)."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None

    def read(self, data: bytes, low: datetime, high: datetime) -> list[dict]:  # type: ignore[type-arg]
        import tempfile

        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen(
                ["node", str(NODE_FOLDER / "expand.mjs"), "--serve"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        assert self.process.stdin is not None and self.process.stdout is not None
        with tempfile.NamedTemporaryFile(suffix=".ics") as handle:
            handle.write(data)
            handle.flush()
            job = {"file": handle.name, "from": low.isoformat(), "to": high.isoformat()}
            self.process.stdin.write(json.dumps(job) + "\n")
            self.process.stdin.flush()
            answer = json.loads(self.process.stdout.readline() or '{"error": "node stopped"}')
        if "error" in answer:
            raise RuntimeError(f"ical.js could not read the calendar: {answer['error']}")
        return answer["found"]  # type: ignore[no-any-return]


_ICALJS = _IcalJs()


def icaljs_reader(data: bytes, low: datetime, high: datetime) -> list[datetime]:
    return sorted(
        datetime.fromisoformat(item["start"].replace("Z", "+00:00"))
        for item in _ICALJS.read(data, low, high)
        if _is_meeting(item["uid"]) and item["status"] != "CANCELLED"
    )


def icaljs_missing() -> str | None:
    """Why ical.js cannot run here, or None (CI installs it with `npm ci` in tests/node)."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not (NODE_FOLDER / "node_modules" / "ical.js").is_dir():
        return "ical.js is not installed: run `npm ci` in tests/node"
    return None


def need_icaljs() -> None:
    """Skip, saying why, where ical.js cannot run; in CI, where `.ci/run` installs it with
    npm, its absence fails instead (CI without node skips, as `.ci/run` says it will)."""
    import pytest

    missing = icaljs_missing()
    if missing is None:
        return
    if os.environ.get("CI") and shutil.which("npm"):
        pytest.fail(f"ical.js cannot run in CI: {missing}")
    pytest.skip(f"ical.js cannot run: {missing}")


READERS: dict[str, Callable[[bytes, datetime, datetime], list[datetime]]] = {
    "recurring-ical-events": recurring_ical_events_reader,
    "vobject": vobject_reader,
    "ical": ical_reader,
    "ical.js": icaljs_reader,
}
