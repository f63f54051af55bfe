"""The accountability record: the file's versions in git turned back into a timeline.

Events come from comparing each version of the file with the one before (not from
commit messages), so hand edits count too. Each version is parsed once; the events of
each pair of versions are cached inside .git, keyed by the two blob ids, so a second
`history` reads no YAML at all.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from mentorkit import git
from mentorkit.wording import quoted

Change = tuple[str, str | None, str]  # (kind, item id, sentence without the subject)
_CACHE_VERSION = 4  # bump whenever compare() words things differently


@dataclass
class Event:
    """One line of the timeline."""

    when: datetime
    who: str
    role: str | None
    commit: str
    kind: str
    item: str | None
    text: str


# --------------------------------------------------------------------------- comparing versions


def _items(raw: Any, key: str) -> dict[str, dict[str, Any]]:
    items = raw.get(key) if isinstance(raw, dict) else None
    if not isinstance(items, list):
        return {}
    return {i["id"]: i for i in items if isinstance(i, dict) and isinstance(i.get("id"), str)}


def _text(value: Any, limit: int = 60) -> str:
    text = " ".join(str(value).split()) if value is not None else "(none)"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _lateness(completed: Any, due: Any) -> str:
    from mentorkit.actions import timeliness

    done, due_date = _as_date(completed), _as_date(due)
    if done is None:
        return ""
    return f" (due {due_date}, {timeliness(done, due_date)})" if due_date else ""


def compare(old: Any, new: Any) -> list[Change]:
    """What changed from one version of the file to the next, in the record's words."""
    old = old if isinstance(old, dict) else {}
    new = new if isinstance(new, dict) else {}
    found: list[Change] = []
    found += _agreement(old.get("agreement"), new.get("agreement"))
    found += _schedule(old.get("schedule"), new.get("schedule"))
    found += _goals(old, new)
    found += _actions(old, new)
    found += _simple(old, new)
    return found


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return quoted(_text(", ".join(str(v) for v in value)))
    return quoted(_text(value))


def _agreement(old: Any, new: Any) -> list[Change]:
    if not isinstance(old, dict) or not old:
        return []  # a new file: its rules are agreed, not changed
    new = new if isinstance(new, dict) else {}
    found: list[Change] = []
    for key in dict.fromkeys([*old, *new]):
        if key == "agreed" or old.get(key) == new.get(key):
            continue
        before, after = old.get(key), new.get(key)
        if isinstance(before, dict) and isinstance(after, dict):
            for part in dict.fromkeys([*before, *after]):
                if before.get(part) != after.get(part):
                    text = f"changed the {key} {part} to {_shown(after.get(part))}"
                    found.append(("agreement.changed", None, text))
            continue
        text = f"changed the rule {key.replace('_', ' ')} to {_shown(after)}"
        found.append(("agreement.changed", None, text))
    old_agreed = old.get("agreed") if isinstance(old.get("agreed"), dict) else {}
    new_agreed = new.get("agreed") if isinstance(new.get("agreed"), dict) else {}
    for role in ("mentor", "mentee"):
        if new_agreed.get(role) and new_agreed.get(role) != old_agreed.get(role):
            text = f"recorded that the {role} agreed to the ground rules"
            found.append(("agreement.agreed", None, text))
    return found


def _schedule(old: Any, new: Any) -> list[Change]:
    if not isinstance(old, dict) or not old:
        return []  # a new file: its schedule is agreed, not changed
    new = new if isinstance(new, dict) else {}
    found: list[Change] = []
    changed = [
        k
        for k in dict.fromkeys([*old, *new])
        if k not in ("changes", "revision") and old.get(k) != new.get(k)
    ]
    if changed and old:
        found.append(
            ("schedule.changed", None, f"changed the meeting schedule ({', '.join(changed)})")
        )
    before = [c for c in old.get("changes") or [] if isinstance(c, dict)]
    for change in new.get("changes") or []:
        if not isinstance(change, dict) or change in before:
            continue
        kind = change.get("kind")
        reason = f": {change['reason']}" if change.get("reason") else ""
        if kind == "moved":
            found.append(
                (
                    "meeting.moved",
                    None,
                    f"moved the meeting of {change.get('date')} to {change.get('to')}{reason}",
                )
            )
        elif kind == "cancelled":
            found.append(
                (
                    "meeting.cancelled",
                    None,
                    f"cancelled the meeting of {change.get('date')}{reason}",
                )
            )
        elif kind == "added":
            found.append(("meeting.added", None, f"added a meeting on {change.get('to')}{reason}"))
    return found


def _goals(old: Any, new: Any) -> list[Change]:
    found: list[Change] = []
    before, after = _items(old, "goals"), _items(new, "goals")
    for gid, goal in after.items():
        name = quoted(goal.get("competency"))
        previous = before.get(gid)
        if previous is None:
            found.append(("goal.set", gid, f"set goal {gid} {name}"))
            previous = {}
        elif goal.get("status") != previous.get("status"):
            word = {"achieved": "achieved", "dropped": "dropped", "active": "reopened"}.get(
                str(goal.get("status")), "changed"
            )
            found.append((f"goal.{word}", gid, f"{word} goal {gid} {name}"))
        old_kpis, new_kpis = _items(previous, "kpis"), _items(goal, "kpis")
        for kid, kpi in new_kpis.items():
            if kid not in old_kpis and gid in before:
                found.append(
                    ("kpi.added", kid, f"added KPI {kid} {quoted(kpi.get('name'))} to goal {gid}")
                )
            seen = [m for m in (old_kpis.get(kid) or {}).get("measurements") or []]
            unit = f" {kpi['unit']}" if kpi.get("unit") else ""
            for measurement in kpi.get("measurements") or []:
                if isinstance(measurement, dict) and measurement not in seen:
                    found.append((
                        "kpi.measured", kid,
                        f"recorded {measurement.get('value')}{unit} for KPI {kid} {quoted(kpi.get('name'))} ({measurement.get('date')})",
                    ))  # fmt: skip
    for gid in before.keys() - after.keys():
        found.append(
            ("goal.removed", gid, f"removed goal {gid} {quoted(before[gid].get('competency'))}")
        )
    return found


def _actions(old: Any, new: Any) -> list[Change]:
    found: list[Change] = []
    before, after = _items(old, "actions"), _items(new, "actions")
    for aid, action in after.items():
        title = quoted(action.get("title"))
        previous = before.get(aid)
        if previous is None:
            due = f", due {action.get('due')}" if action.get("due") else ""
            found.append(
                (
                    "action.created",
                    aid,
                    f"created action {aid} {title} for the {action.get('owner')}{due}",
                )
            )
            previous = {"status": "open", "due": action.get("due")}
        status, was = action.get("status", "open"), previous.get("status", "open")
        if status != was:
            if status == "done":
                lateness = _lateness(action.get("completed"), action.get("due"))
                found.append(("action.completed", aid, f"completed action {aid} {title}{lateness}"))
            elif status == "dropped":
                reason = f": {action['drop_reason']}" if action.get("drop_reason") else ""
                found.append(("action.dropped", aid, f"dropped action {aid} {title}{reason}"))
            elif status == "open":
                found.append(("action.reopened", aid, f"reopened action {aid} {title}"))
        if previous.get("due") != action.get("due") and aid in before:
            was_due, now_due = _as_date(previous.get("due")), _as_date(action.get("due"))
            if was_due and now_due and now_due > was_due:
                found.append(
                    (
                        "action.moved",
                        aid,
                        f"moved action {aid} {title} from {was_due} to {now_due}, {(now_due - was_due).days} days later",
                    )
                )
            else:
                found.append(
                    (
                        "action.moved",
                        aid,
                        f"moved action {aid} {title} from {previous.get('due')} to {action.get('due')}",
                    )
                )
        old_updates = previous.get("updates") or []
        for update in action.get("updates") or []:
            if isinstance(update, dict) and update not in old_updates:
                found.append(
                    (
                        "action.updated",
                        aid,
                        f"added an update to action {aid} {title}: {quoted(_text(update.get('text')))}",
                    )
                )
    for aid in before.keys() - after.keys():
        found.append(
            ("action.removed", aid, f"removed action {aid} {quoted(before[aid].get('title'))}")
        )
    return found


def _simple(old: Any, new: Any) -> list[Change]:
    found: list[Change] = []
    before, after = _items(old, "resources"), _items(new, "resources")
    for rid, resource in after.items():
        title = quoted(resource.get("title"))
        if rid not in before:
            found.append(("resource.shared", rid, f"shared {resource.get('kind')} {rid} {title}"))
        elif resource.get("status") == "done" and before[rid].get("status") != "done":
            found.append(
                ("resource.done", rid, f"worked through {resource.get('kind')} {rid} {title}")
            )
    given_before = _items(old, "feedback")
    for fid, feedback in _items(new, "feedback").items():
        if fid not in given_before:
            found.append(
                (
                    "feedback.given",
                    fid,
                    f"gave {feedback.get('kind', 'feedback')} {fid} from the {feedback.get('from')} to the {feedback.get('to')}",
                )
            )
    logged_before = _items(old, "meetings")
    for mid, meeting in _items(new, "meetings").items():
        if mid not in logged_before:
            found.append(
                (
                    "meeting.logged",
                    mid,
                    f"logged the meeting of {meeting.get('date')} as {meeting.get('status', 'held')}",
                )
            )
    before, after = _items(old, "agenda"), _items(new, "agenda")
    for pid, point in after.items():
        if pid not in before:
            found.append(
                ("agenda.added", pid, f"added talking point {pid} {quoted(point.get('text'))}")
            )
        elif point.get("status") == "done" and before[pid].get("status") != "done":
            found.append(
                ("agenda.closed", pid, f"closed talking point {pid} {quoted(point.get('text'))}")
            )
    return found


# --------------------------------------------------------------------------- the timeline


def _cache_path(work_tree: Path) -> Path:
    return git.git_dir(work_tree) / "mentorkit" / f"history-v{_CACHE_VERSION}.json"


def _load_cache(path: Path) -> dict[str, list[list[Any]]]:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _save_cache(path: Path, pairs: dict[str, list[list[Any]]]) -> None:
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(pairs, separators=(",", ":")), encoding="utf-8")
        os.replace(temporary, path)


def _parse_blob(data: bytes) -> Any:
    """A version's raw data, or None where it cannot be read (a broken hand edit)."""
    from mentorkit.errors import InvalidFile
    from mentorkit.yamltext import parse_text

    try:
        return parse_text(data.decode("utf-8").removeprefix("\ufeff"), "revision", lines=False).raw
    except (InvalidFile, UnicodeDecodeError):
        return None


Step = tuple[str | None, str | None]  # (blob before, blob after)


def _compare_steps(steps: list[Step], contents: dict[str, bytes]) -> list[list[Change]]:
    """The changes of consecutive steps; each version is parsed once (the last few are
    kept, since a step's "before" is usually the previous step's "after")."""
    recent: dict[str, Any] = {}

    def parsed(blob: str) -> Any:
        if blob not in recent:
            if len(recent) > 4:
                recent.pop(next(iter(recent)))
            recent[blob] = _parse_blob(contents[blob])
        return recent[blob]

    found: list[list[Change]] = []
    for old_blob, new_blob in steps:
        if new_blob is None:
            found.append([("file.removed", None, "removed the mentorship file")])
            continue
        new = parsed(new_blob)
        if new is None:
            found.append(
                [("file.unreadable", None, "left the file in a state mentorkit cannot read")]
            )
        elif old_blob is None:
            found.append([("file.created", None, "started the mentorship file"), *compare({}, new)])
        else:
            found.append(compare(parsed(old_blob) or {}, new))
    return found


def _compare_chunk(job: tuple[list[Step], dict[str, bytes]]) -> list[list[Change]]:
    return _compare_steps(*job)


def _compare_all(steps: list[Step], contents: dict[str, bytes]) -> list[list[Change]]:
    """Parsing dominates a cold history, so long histories are split into contiguous
    chunks parsed on every core (one extra parse per chunk, at its first step)."""
    workers = min(os.cpu_count() or 1, 8)
    if workers < 2 or len(steps) < 32:
        return _compare_steps(steps, contents)
    import multiprocessing
    import sys
    from concurrent.futures import ProcessPoolExecutor

    size = -(-len(steps) // (workers * 2))
    chunks = [steps[i : i + size] for i in range(0, len(steps), size)]
    jobs = [(chunk, {b: contents[b] for step in chunk for b in step if b}) for chunk in chunks]
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return [changes for result in pool.map(_compare_chunk, jobs) for changes in result]


def timeline(path: Path, people: dict[str, str]) -> list[Event]:
    """Every change to the file in its git history, oldest first. `people` maps lower-case
    emails to roles, to say who (mentor or mentee) made each commit."""
    work_tree = git.toplevel(path.parent)
    if work_tree is None:
        return []
    relative = os.path.relpath(path.resolve(), work_tree)
    revisions = git.revisions(work_tree, relative)
    cache_file = _cache_path(work_tree)
    pairs = _load_cache(cache_file)
    missing = [r for r in revisions if f"{r.old_blob}:{r.new_blob}" not in pairs]
    if missing:
        needed = sorted({b for r in missing for b in (r.old_blob, r.new_blob) if b})
        contents = git.read_blobs(work_tree, needed)
        steps = [(r.old_blob, r.new_blob) for r in missing]
        for (old_blob, new_blob), changes in zip(steps, _compare_all(steps, contents), strict=True):
            pairs[f"{old_blob}:{new_blob}"] = [list(c) for c in changes]
        _save_cache(cache_file, pairs)
    events = []
    for r in revisions:
        role = people.get(r.email.lower())
        for kind, item, text in pairs[f"{r.old_blob}:{r.new_blob}"]:
            events.append(Event(r.when, r.author, role, r.commit, kind, item, text))
    return events


def select(
    events: Iterable[Event],
    *,
    since: date | None = None,
    until: date | None = None,
    item: str | None = None,
    who: str | None = None,
) -> list[Event]:
    return [
        e
        for e in events
        if (since is None or e.when.date() >= since)
        and (until is None or e.when.date() <= until)
        and (item is None or (e.item or "").startswith(item.lower()))
        and (who is None or e.role == who)
    ]


def revision_on(path: Path, day: date) -> str | None:
    """The last commit of the file made on or before `day`."""
    work_tree = git.toplevel(path.parent)
    if work_tree is None:
        from mentorkit.errors import GitProblem

        raise GitProblem(f"{path.name} is not in a git repository")
    relative = os.path.relpath(path.resolve(), work_tree)
    return git.last_commit_before(work_tree, relative, f"{day}T23:59:59")


def changes_between(path: Path, old_rev: str, new_rev: str | None) -> list[Change]:
    """What changed between two revisions (None: the file as it is now)."""
    work_tree = git.toplevel(path.parent)
    if work_tree is None:
        from mentorkit.errors import GitProblem

        raise GitProblem(f"{path.name} is not in a git repository")
    relative = os.path.relpath(path.resolve(), work_tree)
    git.resolve(work_tree, old_rev)
    old_blob = git.blob_at(work_tree, old_rev, relative)
    old = _parse_blob(git.read_blobs(work_tree, [old_blob])[old_blob]) if old_blob else {}
    if new_rev is None:
        from mentorkit.storage import read_text

        new = _parse_blob(read_text(path).encode("utf-8"))
    else:
        git.resolve(work_tree, new_rev)
        new_blob = git.blob_at(work_tree, new_rev, relative)
        new = _parse_blob(git.read_blobs(work_tree, [new_blob])[new_blob]) if new_blob else {}
    return compare(old or {}, new or {})


def flatten(raw: Any, prefix: str = "") -> list[str]:
    """One line per field, each naming the item it belongs to: for `git log -p` (textconv)."""
    lines: list[str] = []
    if isinstance(raw, dict):
        for key, value in raw.items():
            lines += flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(raw, list):
        if not raw:
            lines.append(f"{prefix}: []")
        for i, value in enumerate(raw):
            label = (
                value.get("id")
                if isinstance(value, dict) and isinstance(value.get("id"), str)
                else i
            )
            lines += flatten(value, f"{prefix}[{label}]")
    else:
        text = raw.isoformat() if isinstance(raw, date) else raw
        lines.append(f"{prefix}: {json.dumps(text, ensure_ascii=False, default=str)}")
    return lines
