"""A calendar sync: the connected collection comes to hold exactly what `export ics` makes
of the file, item by item (created, updated, deleted by stable UIDs, with If-Match on the
ETag each had), and nothing else in it is touched. An item changed in the calendar since
the last sync is not overwritten: it is reported, with what differs, until the file's
version is asked for (`overwrite`)."""

from __future__ import annotations

import functools
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from mentorkit.dav import resources, state
from mentorkit.dav.connection import (
    Answer,
    Collection,
    Connection,
    Listing,
    connected,
    password_for,
)
from mentorkit.errors import CalendarSettingsProblem, Interrupted, MentorkitError

if TYPE_CHECKING:
    from mentorkit.dav.resources import Resource
    from mentorkit.file.model import Mentorship


_LOGIN = "login"  # beside the tokens in the state: who asked for them


@dataclass
class Report:
    """What a sync did (or, dry, would do)."""

    connection: Connection
    dry_run: bool = False
    done: list[tuple[str, str]] = field(default_factory=list)  # (verb, item)
    conflicts: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    behind: list[str] = field(default_factory=list)  # written from a newer file elsewhere
    foreign: list[str] = field(default_factory=list)  # written from another repository
    unchanged: int = 0
    events_only: bool = False

    @property
    def left(self) -> list[str]:
        """What was not synced."""
        return [*self.conflicts, *self.refused, *self.behind, *self.foreign]

    def count(self, verb: str) -> int:
        return sum(1 for done, _ in self.done if done == verb)


def required(work_tree: Path) -> Connection:
    found = connected(work_tree)
    if found is None:
        raise CalendarSettingsProblem(
            "no calendar is connected in this clone: mentorkit calendar connect URL"
        )
    return found


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def sync(
    work_tree: Path,
    m: Mentorship,
    today: date,
    *,
    dry_run: bool = False,
    overwrite: bool = False,
    timeout: float = 20.0,
    budget: float | None = 300.0,
    wait: float = 30.0,
    collection: Collection | None = None,
) -> Report:
    """Sync the connected collection with the file. Raises CalendarConflict-worthy reports
    to the caller (`report.conflicts`); a failure part-way keeps what was done and leaves
    the rest pending for the next sync. `timeout`: seconds for each answer, `budget`:
    in all (a request still waiting then is cut off; the rest stays pending).
    A sync of a file with nothing new since the last complete sync asks only whether the
    collection changed since (its change tokens), and with no change, does nothing more.
    """
    from mentorkit.domain.agreement import mentorship_key
    from mentorkit.git import git

    connection = required(work_tree)
    git_dir = git.git_dir(work_tree)
    with state.locked(git_dir, wait):
        known = state.load(git_dir, connection.url)
        report = Report(connection, dry_run)
        run = _Run(known, report, overwrite, work_tree)
        source: str | None = None
        tokens: dict[str, str] | None = None
        try:
            if collection is None:
                password = password_for(work_tree, connection, timeout=timeout)
                began = time.monotonic()
                source = _source(m, connection, known.events_only)
                limit = timeout if budget is None else min(timeout, budget)
                if not overwrite and _unchanged(known, connection, password, source, limit):
                    report.unchanged = len(known.items)
                    report.events_only = known.events_only
                    tokens = known.tokens
                else:
                    collection = Collection(connection, password, timeout, work_tree, budget)
                    if budget is not None:  # the question above counts in the budget
                        collection.give_up = began + budget
            if collection is not None:
                run.collection = collection
                listing = collection.listing()
                report.events_only = not listing.takes_todos
                source = _source(m, connection, report.events_only)
                if not overwrite and run.as_before(listing, source, mentorship_key(m)):
                    report.unchanged = len(known.items)
                else:
                    want = resources.wanted(
                        m,
                        today,
                        connection.person,
                        todos_as_events=report.events_only,
                        origin=run.origin,
                    )
                    run.apply(listing, want, mentorship_key(m))
                if not dry_run and not report.left:
                    after = listing if not report.done else collection.relisted()
                    tokens = run.settled(after, listing)
        except BaseException as err:
            interrupted = isinstance(err, KeyboardInterrupt | SystemExit)
            problem = err.message if isinstance(err, MentorkitError) else "interrupted"
            if not dry_run:  # what reached the calendar is known; the rest is pending
                known.problem, known.tried, known.tokens = problem, _now(), None
                state.save(git_dir, known)
            made = 0 if dry_run else len(report.done)
            maybe = run.writing and not dry_run  # cut off during a write: it may be there
            reached = (
                f"{made} change{'s' if made != 1 else ''} reached the calendar"
                + (" (and perhaps the one under way)" if maybe else "")
                + ", the rest is pending"
            )
            if interrupted:
                from mentorkit.file.storage import PROGRESS

                outcome = PROGRESS.outcome().replace("nothing was changed", "the file is as it was")
                raise Interrupted(
                    f"interrupted; {outcome}; "
                    + (reached if made or maybe else "nothing had reached the calendar yet")
                ) from None
            if (made or maybe) and isinstance(err, MentorkitError):
                err.message += f"; {reached}"
            raise
        finally:
            if collection is not None:
                collection.close()
        if not dry_run:
            known.events_only = report.events_only
            known.tried = _now()
            if report.left:
                known.problem = (
                    f"{len(report.left)} item(s) not synced (see `mentorkit calendar sync`)"
                )
                known.tokens = None
            else:
                known.problem, known.synced = None, known.tried
                known.source, known.tokens = source, tokens
            state.save(git_dir, known)
    return report


def _unchanged(
    known: state.State,
    connection: Connection,
    password: str,
    source: str,
    timeout: float,
) -> bool:
    """Whether the last sync was complete, the file is as it was then, and the collection
    reports every change token it had once that sync was done (getctag and sync-token,
    whichever it gives), one of them able to tell it from a calendar made again under the
    same URL: then there is nothing to do (asked with the standard library: the caldav
    library is not even imported)."""
    if known.source != source or known.problem is not None:
        return False
    if not known.tokens or known.tokens.get(_LOGIN) != connection.user:
        return False
    from mentorkit.dav import token

    kept = {name: value for name, value in known.tokens.items() if name != _LOGIN}
    if not any(token.telling(value) for value in kept.values()):
        return False
    return token.current(connection.url, connection.user or "", password, timeout) == kept


def _source(m: Mentorship, connection: Connection, events_only: bool) -> str:
    """What the items are made from: the file's content as the export reads it (the
    model's repr holds every field; only the unknown keys kept for writing the file back
    are left out, and no export reads them), whose calendar, whether to-dos go in as
    events, and what else the export's text depends on: this build of mentorkit, of
    icalendar, and the time-zone rules of the zones the file names."""
    import hashlib

    from mentorkit import __version__

    shown = repr(m)
    made_of = hashlib.sha256(f"{__version__}\0{connection.person}\0{events_only}\0{shown}".encode())
    for part in _build():
        made_of.update(b"\0" + part)
    for zone in sorted({"UTC", *re.findall(r"'([A-Za-z_]+(?:/[A-Za-z0-9_+-]+)+)'", shown)}):
        made_of.update(b"\0" + zone.encode() + b"\0" + _rules(zone))
    return made_of.hexdigest()


@functools.cache
def _build() -> tuple[bytes, ...]:
    """Which files of mentorkit and icalendar this process runs (their sizes and times):
    an update of either, even without a new version number, makes the file new again."""
    import os

    import mentorkit

    found = []
    for folder in (Path(mentorkit.__file__).parent, _folder_of("icalendar")):
        if folder is None:
            continue
        for where, dirs, names in os.walk(folder):
            dirs[:] = [d for d in dirs if d not in ("tests", "__pycache__")]
            for name in names:
                if name.endswith(".py"):
                    status = os.stat(os.path.join(where, name))
                    found.append(f"{where}/{name}:{status.st_size}:{status.st_mtime_ns}")
    return tuple(line.encode() for line in sorted(found))


def _folder_of(package: str) -> Path | None:
    import importlib.util

    spec = importlib.util.find_spec(package)
    return Path(spec.origin).parent if spec is not None and spec.origin else None


def _rules(zone: str) -> bytes:
    """The zone's rules as this machine has them (the file Python's zoneinfo reads)."""
    import zoneinfo

    if ".." in zone.split("/"):
        return b""
    for folder in zoneinfo.TZPATH:
        try:
            return Path(folder, zone).read_bytes()
        except OSError:
            continue
    package = _folder_of("tzdata")
    if package is not None:
        try:
            return (package / "zoneinfo" / zone).read_bytes()
        except OSError:
            pass
    return b""


class _Run:
    def __init__(
        self, known: state.State, report: Report, overwrite: bool, work_tree: Path
    ) -> None:
        self.known = known
        self.report = report
        self.overwrite = overwrite
        self.work_tree = work_tree
        self.collection: Collection
        self._ancestors: dict[str, bool] = {}
        self.writing = False  # a write is under way: cut off, it may have reached the server

    @functools.cached_property
    def origin(self) -> resources.Origin:
        """This clone's repository (its first commit) and the commit it is at."""
        from mentorkit.git import git

        tree = self.work_tree
        head = git.run(["rev-parse", "--verify", "-q", "HEAD"], tree).stdout.strip()
        roots = git.run(["rev-list", "--max-parents=0", "HEAD"], tree).stdout.split()
        self._ancestors[head] = True
        return resources.Origin(min(roots) if roots else "", head)

    def as_before(self, listing: Listing, source: str, key: str) -> bool:
        """Whether the last sync was complete, the file is as it was then, and the calendar
        holds each item with the ETag it had then and nothing new named as this
        mentorship's items (another clone's): then there is nothing to do."""
        known = self.known
        if known.source != source or known.problem is not None:
            return False
        held = {item.path: item.etag for item in known.items.values()}
        if any(etag is None or listing.etags.get(path) != etag for path, etag in held.items()):
            return False
        return not any(
            path not in held and resources.owned_name(key, path.rsplit("/", 1)[-1])
            for path in listing.etags
        )

    def settled(self, listing: Listing | None, before: Listing) -> dict[str, str] | None:
        """The collection's change tokens, when `listing` (made after this sync's last
        write; `before` is the one it began with) holds exactly what this sync knows: each
        item with the ETag this clone recorded, and every other resource as this sync
        found it, nothing new (another clone's item, written meanwhile, would otherwise be
        taken as seen). The collection is then as this sync left it, and while it reports
        the same tokens, it still is."""
        if listing is None or not listing.tokens:
            return None
        if listing.takes_todos == self.report.events_only:
            return None
        ours = {}
        for item in self.known.items.values():
            if item.etag is None or listing.etags.get(item.path) != item.etag:
                return None
            ours[item.path] = item.etag
        for path, etag in listing.etags.items():
            if path not in ours and (etag is None or before.etags.get(path) != etag):
                return None
        return {**listing.tokens, _LOGIN: self.report.connection.user or ""}

    def apply(self, listing: Listing, want: dict[str, Resource], key: str) -> None:
        etags = listing.etags
        ours = {item.path for item in self.known.items.values()}
        ours |= {self.collection.href_for(r.name) for r in want.values()}
        for resource in want.values():
            self._one(resource, etags)
        for uid in [uid for uid in self.known.items if uid not in want]:
            self._gone(uid, etags)
        # left by a sync whose state was lost, or by another clone: named as mentorkit
        # names this mentorship's items, not wanted, and deleted only when what it holds
        # proves it is an older version of this file's item
        for path in sorted(etags):
            name = path.rsplit("/", 1)[-1]
            if path in ours or not resources.owned_name(key, name):
                continue
            held = resources.read(self.collection.get(path).text)
            if held.uid is None or resources.resource_name(held.uid) != name:
                continue  # someone's own item under a name like mentorkit's
            if self._may_change(held, held.uid, name, None, "deleted"):
                self._write("deleted", name, None, lambda p=path: self._delete(p, etags[p]))

    def _may_change(
        self,
        held: resources.Held,
        uid: str,
        what: str,
        item: state.Item | None,
        verb: str,
        detail: str = "",
    ) -> bool:
        """Whether the item the calendar holds may be overwritten or deleted: mentorkit wrote
        it, from this repository and from this file's history (not from a newer file of
        another clone), and it was not changed in the calendar since; or, written by an
        earlier version of mentorkit, it is as this clone's last sync left it. Otherwise
        it is reported and left."""
        not_done = "not deleted" if verb == "deleted" else "not overwritten"
        if held.uid != uid:
            self.report.refused.append(
                f"{what}: the calendar holds another item ({held.uid!r}) under its name; left"
            )
            return False
        origin = held.origin
        if origin is not None and origin.repo != self.origin.repo:
            self.report.foreign.append(what)
            return False
        if self.overwrite:
            return True
        if origin is None:
            if item is not None and resources.digest(held.shown) == item.digest:
                return True
            self.report.conflicts.append(
                f"{what}: not written by mentorkit, or changed in the calendar{detail}; {not_done}"
            )
            return False
        if held.edited:
            self.report.conflicts.append(
                f"{what}: changed in the calendar since mentorkit wrote it{detail}; {not_done}"
            )
            return False
        if not self._ancestor(origin.commit):
            self.report.behind.append(what)
            return False
        return True

    def _ancestor(self, commit: str) -> bool:
        """Whether `commit` (from the calendar: untrusted) is in this clone's history."""
        if commit not in self._ancestors and commit != self.origin.commit:
            from mentorkit.git import git

            valid = re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", commit) is not None
            self._ancestors[commit] = (
                valid
                and git.run(
                    ["merge-base", "--is-ancestor", commit, "HEAD"], self.work_tree
                ).returncode
                == 0
            )
        return self._ancestors[commit]

    def _one(self, resource: Resource, etags: dict[str, str | None]) -> None:
        item = self.known.items.get(resource.uid)
        path = item.path if item else self.collection.href_for(resource.name)
        if item is not None and path not in etags:
            if self.overwrite:
                self._put("created", resource, path, None)
            else:
                self.report.conflicts.append(
                    f"{resource.what}: deleted in the calendar (or by a clone with a newer "
                    "file) since the last sync; not put back"
                )
            return
        if path not in etags:
            self._put("created", resource, path, None)
            return
        now = etags[path]
        if item is not None and now is not None and now == item.etag:
            if resource.sha == item.sha:
                self.report.unchanged += 1
            else:
                self._put("updated", resource, path, now)
            return
        # changed in the calendar since the last sync, or not known to this clone yet
        answer = self.collection.get(path)
        held = resources.read(answer.text)
        here = resources.shown(resource.body)
        etag = answer.etag or now
        if held.uid == resource.uid and resources.digest(held.shown) == resources.digest(here):
            self._adopt(resource, path, etag, here)
        else:
            detail = f" ({resources.differences(held.shown, here)})"
            if self._may_change(held, resource.uid, resource.what, item, "updated", detail):
                self._put("updated", resource, path, etag)

    def _gone(self, uid: str, etags: dict[str, str | None]) -> None:
        item = self.known.items[uid]
        what = item.what or uid
        if item.path not in etags:
            if not self.report.dry_run:
                del self.known.items[uid]
            return
        now = etags[item.path]
        if now != item.etag:
            held = resources.read(self.collection.get(item.path).text)
            if not self._may_change(held, uid, what, item, "deleted"):
                return
        self._write("deleted", what, uid, lambda: self._delete(item.path, now))

    def _adopt(self, resource: Resource, path: str, etag: str | None, here: dict) -> None:
        self.report.unchanged += 1
        if not self.report.dry_run:
            self.known.items[resource.uid] = state.Item(
                path, etag, resource.sha, resources.digest(here), resource.what
            )

    def _put(self, verb: str, resource: Resource, path: str, if_match: str | None) -> None:
        def put() -> bool:
            answer = self.collection.put(path, resource.body, if_match=if_match)
            if answer.status == 412:
                self.report.conflicts.append(
                    f"{resource.what}: changed in the calendar during the sync (412 "
                    "Precondition Failed); not overwritten"
                )
                return False
            if answer.status in (403, 409) and not if_match and "uid" in answer.text.lower():
                elsewhere = self.collection.find_uid(resource.uid)
                if elsewhere and elsewhere != path:
                    return self._take_over(resource, elsewhere)
            return self._done(resource, path, answer)

        self._write(verb, resource.what, resource.uid, put)

    def _take_over(self, resource: Resource, path: str) -> bool:
        """The calendar holds the item under a name of its own (an imported export): the
        same is adopted, anything else goes in only as any item would."""
        taken = self.collection.get(path)
        held = resources.read(taken.text)
        here = resources.shown(resource.body)
        if held.uid == resource.uid and resources.digest(held.shown) == resources.digest(here):
            self._adopt(resource, path, taken.etag, here)
            return False
        detail = f" ({resources.differences(held.shown, here)})"
        if not self._may_change(held, resource.uid, resource.what, None, "updated", detail):
            return False
        answer = self.collection.put(path, resource.body, if_match=taken.etag)
        return self._done(resource, path, answer)

    def _done(self, resource: Resource, path: str, answer: Answer) -> bool:
        if answer.status >= 300:
            self.report.refused.append(
                f"{resource.what}: the server refused it ({answer.status} {answer.reason})"
            )
            return False
        self.known.items[resource.uid] = state.Item(
            path, answer.etag, resource.sha, resource.shows, resource.what
        )
        return True

    def _delete(self, path: str, etag: str | None) -> bool:
        answer = self.collection.delete(path, if_match=etag)
        if answer.status == 412:
            self.report.conflicts.append(
                f"{path.rsplit('/', 1)[-1]}: changed in the calendar during the sync (412 "
                "Precondition Failed); not deleted"
            )
            return False
        if answer.status >= 300 and answer.status != 404:
            self.report.refused.append(
                f"{path.rsplit('/', 1)[-1]}: the server refused to delete it "
                f"({answer.status} {answer.reason})"
            )
            return False
        return True

    def _write(self, verb: str, what: str, uid: str | None, call: object) -> None:
        if self.report.dry_run:
            self.report.done.append((verb, what))
            return
        self.writing = True
        done = call()  # type: ignore[operator]  # a callable returning whether it was done
        self.writing = False
        if done:
            self.report.done.append((verb, what))
            if verb == "deleted" and uid is not None:
                self.known.items.pop(uid, None)


@dataclass
class Pending:
    """What the next sync would change, as far as this clone can tell without the server."""

    create: int = 0
    update: int = 0
    delete: int = 0


def pending(work_tree: Path, m: Mentorship, today: date) -> tuple[state.State, Pending]:
    from mentorkit.git import git

    connection = required(work_tree)
    known = state.load(git.git_dir(work_tree), connection.url)
    want = resources.wanted(m, today, connection.person, todos_as_events=known.events_only)
    waiting = Pending()
    for uid, resource in want.items():
        item = known.items.get(uid)
        if item is None:
            waiting.create += 1
        elif item.sha != resource.sha:
            waiting.update += 1
    waiting.delete = sum(1 for uid in known.items if uid not in want)
    return known, waiting
