"""CalDAV sync against a real server: Radicale on localhost with logins, read back with a
CalDAV client and compared with `mentorkit schedule --json`; updates in place, deletions,
changes made in the calendar reported and not overwritten, failures in one sentence with
the file untouched, and two clones each keeping their own calendar."""

from __future__ import annotations

import contextlib
import json
import subprocess
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from mentorkit.file import fileformat, storage
from mentorkit.file.model import ScheduleChange
from tests.caldavserver import (
    SCHEDULE_CHANGES,
    TWO_YEARS,
    USERS,
    Radicale,
    add_action_items,
    credential_helper,
)
from tests.conftest import INIT_FLAGS, git
from tests.readers import recurring_ical_events_reader
from tests.test_calendar_readers import listed
from tests.test_git_record import clone_pair, run_in

FILE = "mentorship.yaml"
TODAY = "2026-03-01"


@pytest.fixture(scope="module")
def radicale(tmp_path_factory):
    server = Radicale(tmp_path_factory.mktemp("radicale"))
    server.start()
    yield server
    server.stop()


def new_calendar(radicale: Radicale, user: str = "diane", components=None) -> str:
    name = f"cal{uuid.uuid4().hex[:10]}"
    radicale.calendar(user, name, components)
    return name


def two_year_mentorship(cli, folder: Path, actions: int = 100) -> Path:
    """The two-year mentorship (`caldavserver.TWO_YEARS`) with `actions` action items,
    committed."""
    git(folder, "init", "-q", "-b", "main")
    git(folder, "config", "user.email", "diane@example.com")
    git(folder, "config", "user.name", "Diane Whitaker")
    made = cli("--as", "mentor", "--today", TODAY, "init", "--no-input", *INIT_FLAGS, *TWO_YEARS)
    assert made.exit_code == 0, made.output
    for args in SCHEDULE_CHANGES:
        done = cli("--as", "mentor", "--today", TODAY, "-f", str(folder / FILE), "schedule", *args)
        assert done.exit_code == 0, done.output
    add_action_items(folder / FILE, actions)
    git(folder, "commit", "-qam", "Action items")
    return folder / FILE


def connect(cli, folder: Path, radicale: Radicale, name: str, user: str = "diane", *more: str):
    git(folder, "config", "credential.helper", credential_helper(user))
    return cli(
        "-f", str(folder / FILE), "--today", TODAY, "calendar", "connect",
        radicale.url(user, name), *more,
    )  # fmt: skip


def read_back(radicale: Radicale, user: str, name: str) -> dict[str, tuple[str, str]]:
    return radicale.objects(user, name)


def meetings_in(objects: dict[str, tuple[str, str]]) -> list[datetime]:
    """The meetings a calendar shows from what the server holds (every resource in one
    calendar, read by recurring-ical-events)."""
    import icalendar

    whole = icalendar.Calendar()
    whole.add("prodid", "-//test//EN")
    whole.add("version", "2.0")
    zones = set()
    for _, text in objects.values():
        for component in icalendar.Calendar.from_ical(text).subcomponents:
            if component.name == "VTIMEZONE":
                if str(component["TZID"]) in zones:
                    continue
                zones.add(str(component["TZID"]))
            whole.add_component(component)
    low, high = datetime(2026, 3, 1, tzinfo=UTC), datetime(2029, 1, 1, tzinfo=UTC)
    return recurring_ical_events_reader(whole.to_ical(), low, high)


def components(objects, kind: str) -> dict[str, object]:
    import icalendar

    found = {}
    for path, (_, text) in objects.items():
        for component in icalendar.Calendar.from_ical(text).walk(kind):
            if "RECURRENCE-ID" not in component:
                found[str(component["UID"])] = (path, component)
    return found


def uids(objects) -> list[str]:
    import icalendar

    return [
        str(next(c for c in icalendar.Calendar.from_ical(text).walk() if "UID" in c)["UID"])
        for _, text in objects.values()
    ]


def test_a_two_year_series_and_a_hundred_to_dos_reach_the_calendar_and_stay_current(
    cli, isolated, radicale
):
    path = two_year_mentorship(cli, isolated)
    name = new_calendar(radicale)
    # someone's own event in the same calendar: never touched
    own = radicale.client("diane").calendar(url=radicale.url("diane", name))
    own.save_event(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//me//EN\r\nBEGIN:VEVENT\r\nUID:dentist-1\r\n"
        "DTSTAMP:20260101T000000Z\r\nDTSTART:20260305T150000Z\r\nDTEND:20260305T160000Z\r\n"
        "SUMMARY:Dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    before = read_back(radicale, "diane", name)
    ((dentist_path, dentist),) = before.items()

    result = connect(cli, isolated, radicale, name)
    assert result.exit_code == 0, result.output
    assert "connected" in result.stdout and "104 created" in result.stdout, result.stdout
    held = read_back(radicale, "diane", name)
    assert held[dentist_path] == dentist
    assert len(held) == 1 + 1 + 2 + 1 + 100  # own, series, two extras, feedback day, to-dos
    assert sorted(uids(held)) == sorted(set(uids(held))), "a UID twice"
    # every occurrence the calendar shows is a meeting `schedule --json` lists, and back
    expected = [s for s in listed(cli, TODAY, 200) if s < datetime(2029, 1, 1, tzinfo=UTC)]
    assert meetings_in(held) == expected
    assert len(expected) > 50
    # every to-do is an action item, with its title, due date and state
    m = storage.load(path).mentorship
    todos = components(held, "VTODO")
    assert len(todos) == len([a for a in m.actions if a.due])
    for action in m.actions:
        if action.due is None:
            continue
        _, todo = next(
            t for uid, t in todos.items() if uid.endswith(f"-action-{action.id}@mentorkit")
        )
        assert todo.decoded("DUE") == action.due
        assert str(todo["SUMMARY"]).startswith(action.title)
        assert str(todo["STATUS"]) == {"open": "NEEDS-ACTION", "done": "COMPLETED"}[action.status]
    # the mentor's own calendar: the mentor accepted; the server sends no invitations
    series = next(
        c
        for uid, (_, c) in components(held, "VEVENT").items()
        if uid.endswith("-meetings@mentorkit")
    )
    for attendee in series.get("ATTENDEE"):
        assert attendee.params["SCHEDULE-AGENT"] == "CLIENT"

    # nothing new: nothing changes, not even an ETag
    again = cli("-f", str(path), "--today", TODAY, "calendar", "sync")
    assert again.exit_code == 0 and "105 unchanged" not in again.stdout, again.output
    assert "104 unchanged" in again.stdout, again.stdout
    assert read_back(radicale, "diane", name) == held

    # the file changes (by hand, with auto-sync off): a moved meeting, a new end to the
    # series, an extra meeting gone, a to-do done, a to-do gone, one new
    git(isolated, "config", "mentorkit.calendarAutoSync", "false")
    for args in (
        ["schedule", "move", "2026-05-12", "2026-05-13 12:00"],
        ["action", "done", todos_id(m, 1)],
    ):
        assert cli("--as", "mentor", "--today", TODAY, "-f", str(path), *args).exit_code == 0
    m = storage.load(path).mentorship
    m.schedule.changes = [
        c for c in m.schedule.changes if not (c.kind == "added" and c.to and c.to.year == 2027)
    ]
    gone = m.actions.pop(5)
    m.schedule.changes.append(ScheduleChange(kind="added", to=datetime(2026, 8, 4, 16, 0)))
    path.write_text(fileformat.dump_text(m), encoding="utf-8")
    git(isolated, "commit", "-qam", "By hand")
    assert read_back(radicale, "diane", name) == held  # auto-sync is off

    dry = cli("-f", str(path), "--today", TODAY, "calendar", "sync", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert (
        "would update" in dry.stdout
        and "would delete" in dry.stdout
        and "would create" in dry.stdout
    )
    assert "nothing was changed (--dry-run)" in dry.stdout
    assert read_back(radicale, "diane", name) == held

    synced = cli("-f", str(path), "--today", TODAY, "calendar", "sync")
    assert synced.exit_code == 0, synced.output
    after = read_back(radicale, "diane", name)
    assert after[dentist_path] == dentist
    assert sorted(uids(after)) == sorted(set(uids(after))), "a UID twice"
    kept = set(held) & set(after)
    gone_paths = set(held) - set(after)
    assert len(gone_paths) == 2  # the 2027 extra meeting and the action item no longer there
    assert all(f"-action-{gone.id}-" in p or "-meeting-20270505" in p for p in gone_paths)
    assert len(set(after) - set(held)) == 1  # the new extra meeting, and nothing else new
    changed = {p for p in kept if after[p] != held[p]}
    assert any("-meetings-mentorkit" in p for p in changed)  # updated in place: same path
    expected = [s for s in listed(cli, TODAY, 200) if s < datetime(2029, 1, 1, tzinfo=UTC)]
    assert meetings_in(after) == expected

    status = cli("-f", str(path), "--today", TODAY, "calendar", "status")
    assert status.exit_code == 0
    assert "pending     nothing" in status.stdout and "the mentor's calendar" in status.stdout


def todos_id(m, index: int) -> str:
    return [a for a in m.actions if a.status == "open"][index].id


def test_a_change_made_in_the_calendar_is_reported_and_not_overwritten(cli, isolated, radicale):
    path = two_year_mentorship(cli, isolated, actions=3)
    name = new_calendar(radicale)
    assert connect(cli, isolated, radicale, name).exit_code == 0
    client = radicale.client("diane")
    held = read_back(radicale, "diane", name)
    series_path = next(p for p in held if "-meetings-mentorkit" in p)
    etag, text = held[series_path]
    edited = text.replace(
        "SUMMARY:Mentoring: Diane Whitaker & Tomás Okonkwo-Reyes", "SUMMARY:Moved by me"
    )
    assert edited != text
    put = client.put(
        f"{radicale.base.rstrip('/')}{series_path}",
        edited,
        {"If-Match": etag, "Content-Type": "text/calendar"},
    )
    assert put.status in (200, 201, 204)
    theirs = read_back(radicale, "diane", name)[series_path]

    # the file did not change: the calendar's edit is reported, left as it is
    reported = cli("-f", str(path), "--today", TODAY, "calendar", "sync")
    assert reported.exit_code == 8, reported.output
    assert "the meeting series: changed in the calendar since mentorkit wrote it" in reported.stdout
    assert "title: 'Moved by me' in the calendar" in reported.stdout
    assert "--overwrite" in reported.stderr
    assert read_back(radicale, "diane", name)[series_path] == theirs

    # the file changes too: still not overwritten; everything else is synced
    moved = cli(
        "--as",
        "mentor",
        "--today",
        TODAY,
        "-f",
        str(path),
        "schedule",
        "move",
        "2026-05-12",
        "2026-05-13 12:00",
    )
    assert moved.exit_code == 0, moved.output
    assert "not overwritten" in moved.stderr and "calendar sync" in moved.stderr
    assert read_back(radicale, "diane", name)[series_path] == theirs
    status = cli("-f", str(path), "--today", TODAY, "calendar", "status")
    assert "1 to update" in status.stdout and "not synced" in status.stdout, status.stdout

    # asked for: the file's version goes back in, in place
    taken = cli("-f", str(path), "--today", TODAY, "calendar", "sync", "--overwrite")
    assert taken.exit_code == 0, taken.output
    now = read_back(radicale, "diane", name)
    assert set(now) == set(held)
    assert "SUMMARY:Mentoring: Diane Whitaker" in now[series_path][1].replace("\r\n ", "")
    assert cli("-f", str(path), "--today", TODAY, "calendar", "sync").exit_code == 0


def test_an_edit_between_listing_and_writing_is_refused_by_the_server_and_reported(
    cli, isolated, radicale
):
    """A real 412: the calendar changes an item after the sync read its ETag."""
    from mentorkit.dav import connection as dav
    from mentorkit.dav.sync import sync

    path = two_year_mentorship(cli, isolated, actions=3)
    name = new_calendar(radicale)
    assert connect(cli, isolated, radicale, name).exit_code == 0
    git(isolated, "config", "mentorkit.calendarAutoSync", "false")
    assert (
        cli(
            "--as", "mentor", "--today", TODAY, "-f", str(path), "schedule", "cancel", "2026-05-26"
        ).exit_code
        == 0
    )
    client = radicale.client("diane")

    class Meanwhile(dav.Collection):
        def listing(self):
            found = super().listing()
            for item_path in found.etags:
                if "-meetings-mentorkit" in item_path:
                    url = f"{radicale.base.rstrip('/')}{item_path}"
                    text = client.request(url, "GET").raw
                    client.put(
                        url,
                        text.replace("Formal mentoring", "Changed in the app"),
                        {"Content-Type": "text/calendar"},
                    )
            return found

    connection = dav.connected(isolated)
    meanwhile = Meanwhile(connection, USERS["diane"], 10.0, isolated)
    m = storage.load(path).mentorship
    report = sync(isolated, m, date.fromisoformat(TODAY), collection=meanwhile)
    assert len(report.conflicts) == 1 and "412 Precondition Failed" in report.conflicts[0]
    held = read_back(radicale, "diane", name)
    assert "Changed in the app" in next(
        t for p, (_, t) in held.items() if "-meetings-mentorkit" in p
    )
    status = cli("-f", str(path), "--today", TODAY, "calendar", "status")
    assert "1 to update" in status.stdout


def test_a_calendar_without_to_dos_gets_action_items_as_all_day_events(cli, isolated, radicale):
    path = two_year_mentorship(cli, isolated, actions=4)
    name = new_calendar(radicale, components=["VEVENT"])
    result = connect(cli, isolated, radicale, name)
    assert result.exit_code == 0, result.output
    assert "takes no to-dos: action items go in as all-day events" in result.stdout
    held = read_back(radicale, "diane", name)
    assert components(held, "VTODO") == {}
    events = components(held, "VEVENT")
    m = storage.load(path).mentorship
    for action in m.actions:
        _, event = next(
            e for uid, e in events.items() if uid.endswith(f"-action-{action.id}@mentorkit")
        )
        assert event.decoded("DTSTART") == action.due
    assert cli("-f", str(path), "--today", TODAY, "calendar", "sync").exit_code == 0


def test_failures_say_one_sentence_and_leave_the_file_as_it_was(cli, isolated, radicale):
    path = two_year_mentorship(cli, isolated, actions=2)
    before = path.read_bytes()
    name = new_calendar(radicale)
    # a wrong password: refused, nothing remembered
    git(isolated, "config", "credential.helper", credential_helper("diane", "wrong"))
    wrong = cli("-f", str(path), "calendar", "connect", radicale.url("diane", name))
    assert wrong.exit_code == 78, wrong.output
    assert "refused the login diane (401)" in wrong.stderr and len(wrong.stderr.splitlines()) == 1
    # someone else's calendar: 403
    theirs = new_calendar(radicale, "tomas")
    git(isolated, "config", "credential.helper", credential_helper("diane"))
    forbidden = cli(
        "-f", str(path), "calendar", "connect", radicale.url("tomas", theirs), "--user", "diane"
    )
    assert forbidden.exit_code == 78, forbidden.output
    assert "403 Forbidden" in forbidden.stderr and len(forbidden.stderr.splitlines()) == 1
    # nothing listening
    closed = f"http://127.0.0.1:{_closed_port()}/diane/{name}/"
    unreachable = cli("-f", str(path), "calendar", "connect", closed)
    assert unreachable.exit_code == 75, unreachable.output
    assert "could not reach the calendar server" in unreachable.stderr
    # plain http to another machine would send the password readable
    plain = cli("-f", str(path), "calendar", "connect", "http://calendar.example.com/dav/")
    assert plain.exit_code == 2 and "unencrypted" in plain.stderr
    # not a calendar
    notcal = cli("-f", str(path), "calendar", "connect", f"{radicale.base}diane/")
    assert notcal.exit_code == 78 and "not a calendar collection" in notcal.stderr, notcal.output
    remembered = subprocess.run(
        ["git", "config", "--get-regexp", "^mentorkit\\.calendar"],
        cwd=isolated,
        capture_output=True,
    )
    assert remembered.stdout == b""
    assert path.read_bytes() == before
    not_connected = cli("-f", str(path), "calendar", "sync")
    assert not_connected.exit_code == 78 and "no calendar is connected" in not_connected.stderr


def _closed_port() -> int:
    from tests.caldavserver import free_port

    return free_port()


def test_a_server_that_is_down_leaves_the_change_pending_and_the_next_sync_recovers(
    cli, isolated, tmp_path
):
    server = Radicale(tmp_path / "own-radicale")
    server.start()
    try:
        path = two_year_mentorship(cli, isolated, actions=2)
        name = new_calendar(server)
        assert connect(cli, isolated, server, name).exit_code == 0
        held = read_back(server, "diane", name)
    finally:
        server.stop()
    added = cli(
        "--as",
        "mentor",
        "--today",
        TODAY,
        "-f",
        str(path),
        "action",
        "add",
        "Call the adjuster",
        "--due",
        "2026-03-20",
    )
    assert added.exit_code == 0, added.output
    assert "the calendar was not updated: could not reach the calendar server" in added.stderr
    assert "retried at the next change or `mentorkit calendar sync`" in added.stderr
    assert len([line for line in added.stderr.splitlines() if line.strip()]) == 1
    assert "Call the adjuster" in git(isolated, "log", "-1", "--format=%s")
    status = cli("-f", str(path), "--today", TODAY, "calendar", "status")
    assert "1 to create" in status.stdout and "could not reach" in status.stdout, status.stdout
    down = cli("-f", str(path), "--today", TODAY, "calendar", "sync")
    assert down.exit_code == 75 and "try again later" in down.stderr, down.output
    server.start()
    try:
        up = cli("-f", str(path), "--today", TODAY, "calendar", "sync")
        assert up.exit_code == 0, up.output
        assert "1 created" in up.stdout
        now = read_back(server, "diane", name)
        assert set(held) < set(now) and len(now) == len(held) + 1
        assert (
            "pending     nothing"
            in cli("-f", str(path), "--today", TODAY, "calendar", "status").stdout
        )
    finally:
        server.stop()


def test_auto_sync_follows_each_change_and_can_be_turned_off(cli, isolated, radicale):
    path = two_year_mentorship(cli, isolated, actions=2)
    name = new_calendar(radicale)
    assert connect(cli, isolated, radicale, name).exit_code == 0
    count = len(read_back(radicale, "diane", name))
    added = cli(
        "--as",
        "mentor",
        "--today",
        TODAY,
        "-f",
        str(path),
        "action",
        "add",
        "Read the brief",
        "--due",
        "2026-03-09",
    )
    assert added.exit_code == 0, added.output
    assert "calendar updated: 1 created" in added.stdout
    assert len(read_back(radicale, "diane", name)) == count + 1
    # a change calendars do not show does not call the server
    quiet = cli(
        "--as",
        "mentor",
        "--today",
        TODAY,
        "-f",
        str(path),
        "feedback",
        "give",
        "Clear memo",
        "--to",
        "mentee",
    )
    assert quiet.exit_code == 0 and "calendar" not in quiet.output, quiet.output
    git(isolated, "config", "mentorkit.calendarAutoSync", "false")
    off = cli(
        "--as",
        "mentor",
        "--today",
        TODAY,
        "-f",
        str(path),
        "action",
        "add",
        "Second",
        "--due",
        "2026-03-09",
    )
    assert off.exit_code == 0 and "calendar" not in off.output
    assert len(read_back(radicale, "diane", name)) == count + 1
    assert "1 to create" in cli("-f", str(path), "--today", TODAY, "calendar", "status").stdout
    # disconnecting forgets the calendar here and leaves what is in it
    gone = cli("-f", str(path), "calendar", "disconnect")
    assert gone.exit_code == 0 and "stays" in gone.stdout
    assert "no calendar is connected" in cli("-f", str(path), "calendar", "status").stdout
    assert len(read_back(radicale, "diane", name)) == count + 1


def test_the_password_goes_to_git_credential_and_nowhere_else(cli, isolated, radicale):
    path = two_year_mentorship(cli, isolated, actions=1)
    name = new_calendar(radicale)
    store = isolated.parent / "credentials"
    git(isolated, "config", "credential.helper", credential_helper("diane"))
    git(isolated, "config", "--add", "credential.helper", f"store --file={store}")
    result = cli(
        "-f", str(path), "--today", TODAY, "calendar", "connect", radicale.url("diane", name)
    )
    assert result.exit_code == 0, result.output
    # approved: the person's own helper (here `store`) keeps it
    assert f"diane:{USERS['diane']}@127.0.0.1" in store.read_text()
    secret = USERS["diane"].encode()
    git_dir = Path(git(isolated, "rev-parse", "--absolute-git-dir").strip())
    for found in [git_dir / "config", *(git_dir / "mentorkit").rglob("*"), path]:
        if found.is_file():  # (the test's own helper in .git/config holds it, as a keychain would)
            lines = found.read_bytes().splitlines()
            assert not [x for x in lines if secret in x and not x.strip().startswith(b"helper =")]
    assert "calendar" not in git(isolated, "show", "HEAD", "--stat")
    kept = json.loads((git_dir / "mentorkit" / "calendar.json").read_text())
    assert kept["url"] == radicale.url("diane", name) and kept["problem"] is None
    assert all(item["etag"] for item in kept["items"].values())


def test_two_clones_keep_each_persons_own_calendar(cli, isolated, radicale):
    mentor, mentee = clone_pair(cli, isolated)
    assert run_in(cli, mentee, "git", "setup").exit_code == 0
    mine, theirs = new_calendar(radicale, "diane"), new_calendar(radicale, "tomas")
    git(mentor, "config", "credential.helper", credential_helper("diane"))
    git(mentee, "config", "credential.helper", credential_helper("tomas"))
    assert run_in(cli, mentor, "calendar", "connect", radicale.url("diane", mine)).exit_code == 0
    joined = run_in(cli, mentee, "calendar", "connect", radicale.url("tomas", theirs))
    assert joined.exit_code == 0 and "the mentee's calendar" in joined.stdout, joined.output
    moved = run_in(cli, mentor, "schedule", "move", "2026-12-01", "2026-12-03 11:00")
    assert moved.exit_code == 0 and "calendar updated: 2 updated" in moved.stdout, moved.output
    assert run_in(cli, mentor, "sync").exit_code == 0
    pulled = run_in(cli, mentee, "sync")
    assert pulled.exit_code == 0 and "calendar updated: 2 updated" in pulled.stdout, pulled.output
    diane, tomas = read_back(radicale, "diane", mine), read_back(radicale, "tomas", theirs)
    assert meetings_in(diane) == meetings_in(tomas)
    assert datetime(2026, 12, 3, 17, 0, tzinfo=UTC) in meetings_in(tomas)
    series = next(
        c
        for uid, (_, c) in components(tomas, "VEVENT").items()
        if uid.endswith("-meetings@mentorkit")
    )
    accepted = {str(a).lower(): a.params["PARTSTAT"] for a in series.get("ATTENDEE")}
    assert accepted["mailto:tomas.okonkwo@example.co.uk"] == "ACCEPTED"
    assert (
        "calendar" not in (mentee / FILE).read_text()
        or "calendarUrl" not in (mentee / FILE).read_text()
    )


def test_a_calendar_that_imported_an_export_gets_its_items_updated_not_duplicated(
    cli, isolated, radicale
):
    """Someone imported `export ics` into the calendar before connecting it: the server
    holds mentorkit's UIDs under names of its own. The sync takes those over in place."""
    import icalendar

    path = two_year_mentorship(cli, isolated, actions=3)
    name = new_calendar(radicale)
    exported = cli("-f", str(path), "--today", TODAY, "export", "ics", "-o", "-")
    calendar = icalendar.Calendar.from_ical(exported.stdout)
    zones = [c for c in calendar.subcomponents if c.name == "VTIMEZONE"]
    by_uid: dict[str, list] = {}
    for component in calendar.subcomponents:
        if component.name != "VTIMEZONE":
            by_uid.setdefault(str(component["UID"]), []).append(component)
    client = radicale.client("diane")
    for number, parts in enumerate(by_uid.values()):
        one = icalendar.Calendar()
        one.add("prodid", "-//an app//EN")
        one.add("version", "2.0")
        for component in [*zones, *parts]:
            one.add_component(component)
        put = client.put(
            f"{radicale.url('diane', name)}imported-{number}.ics",
            one.to_ical().decode(),
            {"Content-Type": "text/calendar", "If-None-Match": "*"},
        )
        assert put.status in (201, 204), put.status
    imported = read_back(radicale, "diane", name)
    assert len(imported) == len(by_uid)

    result = connect(cli, isolated, radicale, name)
    assert result.exit_code == 0, result.output
    held = read_back(radicale, "diane", name)
    assert sorted(uids(held)) == sorted(by_uid), "an item twice, or one missing"
    assert set(held) == set(imported)  # the names the app gave them are kept
    assert cli("-f", str(path), "--today", TODAY, "calendar", "sync").exit_code == 0


def test_a_login_that_is_not_one_line_is_refused(cli, isolated, radicale):
    path = two_year_mentorship(cli, isolated, actions=1)
    refused = cli(
        "-f", str(path), "calendar", "connect", radicale.url("diane", "x"),
        "--user", "diane\npassword=stolen",
    )  # fmt: skip
    assert refused.exit_code == 2 and "not a login" in refused.stderr


def test_what_calendar_apps_keep_of_their_own_is_not_a_change(cli, isolated, radicale):
    """A dismissed alarm (Thunderbird's X-MOZ-LASTACK) or an answer to the invitation
    changes the ETag but nothing the file says: no conflict, and the next change goes in."""
    path = two_year_mentorship(cli, isolated, actions=2)
    name = new_calendar(radicale)
    assert connect(cli, isolated, radicale, name).exit_code == 0
    held = read_back(radicale, "diane", name)
    series_path = next(p for p in held if "-meetings-mentorkit" in p)
    etag, text = held[series_path]
    touched = text.replace("BEGIN:VALARM", "X-MOZ-LASTACK:20260301T120000Z\r\nBEGIN:VALARM", 1)
    touched = touched.replace("PARTSTAT=NEEDS-ACTION", "PARTSTAT=DECLINED", 1)
    assert touched != text
    client = radicale.client("diane")
    url = f"{radicale.base.rstrip('/')}{series_path}"
    assert client.put(url, touched, {"If-Match": etag}).status in (200, 204)
    quiet = cli("-f", str(path), "--today", TODAY, "calendar", "sync")
    assert quiet.exit_code == 0 and "not synced" not in quiet.stdout, quiet.output
    moved = cli("--as", "mentor", "--today", TODAY, "-f", str(path), "schedule", "move", "2026-05-12", "2026-05-13 12:00")  # fmt: skip
    assert moved.exit_code == 0 and "calendar updated" in moved.stdout, moved.output
    assert "RECURRENCE-ID" in read_back(radicale, "diane", name)[series_path][1]


def add_pointed_at(cli, folder: Path, path: Path, port: int, name: str):
    """An action added (auto-sync on) with the calendar URL pointed at a server on `port`:
    the result and how long it took."""
    import time

    git(folder, "config", "mentorkit.calendarUrl", f"http://127.0.0.1:{port}/diane/{name}/")
    began = time.monotonic()
    added = cli("--as", "mentor", "--today", TODAY, "-f", str(path), "action", "add", "Call", "--due", "2026-03-20")  # fmt: skip
    return added, time.monotonic() - began


def test_a_server_that_never_answers_holds_a_change_up_a_few_seconds(cli, isolated, radicale):
    import socket

    path = two_year_mentorship(cli, isolated, actions=1)
    name = new_calendar(radicale)
    assert connect(cli, isolated, radicale, name).exit_code == 0
    with socket.socket() as silent:  # takes connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        added, took = add_pointed_at(cli, isolated, path, silent.getsockname()[1], name)
    assert added.exit_code == 0, added.output
    assert "did not answer within 3 s" in added.stderr and "retried" in added.stderr
    assert took < 10, took


def test_a_clone_that_lost_its_record_of_the_calendar_finds_its_items_by_name(
    cli, isolated, radicale
):
    path = two_year_mentorship(cli, isolated, actions=4)
    name = new_calendar(radicale)
    assert connect(cli, isolated, radicale, name).exit_code == 0
    held = read_back(radicale, "diane", name)
    git_dir = Path(git(isolated, "rev-parse", "--absolute-git-dir").strip())
    (git_dir / "mentorkit" / "calendar.json").unlink()
    m = storage.load(path).mentorship
    gone = m.actions.pop()
    path.write_text(fileformat.dump_text(m), encoding="utf-8")
    git(isolated, "commit", "-qam", "One item fewer")
    again = cli("-f", str(path), "--today", TODAY, "calendar", "sync")
    assert again.exit_code == 0, again.output
    assert "1 deleted" in again.stdout and "created" not in again.stdout, again.stdout
    after = read_back(radicale, "diane", name)
    assert set(after) == {p for p in held if f"-action-{gone.id}-" not in p}
    assert [p for p, (etag, _) in after.items() if held[p][0] != etag] == []


def test_only_resources_of_the_collection_itself_are_acted_on():
    from mentorkit.dav.connection import Collection, Connection

    collection = Collection(
        Connection("https://cal.example.com/dav/diane/work/"), "pw", 1.0, Path()
    )
    assert collection.inside("/dav/diane/work/abc-mentorkit.ics")
    for elsewhere in (
        "/dav/diane/home/abc-mentorkit.ics",
        "/dav/diane/work/sub/abc.ics",
        "/dav/diane/work/",
    ):
        assert not collection.inside(elsewhere), elsewhere


def test_an_edit_by_hand_that_calendars_show_reaches_the_calendar(cli, isolated, radicale):
    path = two_year_mentorship(cli, isolated, actions=2)
    name = new_calendar(radicale)
    assert connect(cli, isolated, radicale, name).exit_code == 0
    editor = isolated.parent / "editor.py"
    editor.write_text(
        "import sys, pathlib\n"
        "p = pathlib.Path(sys.argv[1])\n"
        "p.write_text(p.read_text(encoding='utf-8').replace('Draft part 1 of', 'Redraft part 1 of'), encoding='utf-8')\n"
    )
    import sys

    edited = cli(
        "--as",
        "mentor",
        "-f",
        str(path),
        "--today",
        TODAY,
        "edit",
        env={"VISUAL": f"{sys.executable} {editor}"},
    )
    assert edited.exit_code == 0, edited.output
    assert "calendar updated: 1 updated" in edited.stdout, edited.stdout
    assert any(
        "Redraft part 1 of" in text for _, text in read_back(radicale, "diane", name).values()
    )


# --- servers that trickle, prompts that would hang, and items mentorkit may not touch ---


class Trickle:
    """A real HTTP server on localhost that answers one byte every `pause` seconds (a
    socket timeout for each read never fires)."""

    def __init__(self, pause: float = 0.5) -> None:
        import socket
        import threading

        self.pause = pause
        self.stop = threading.Event()
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(8)
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import threading

        while not self.stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn) -> None:
        import time

        with conn:
            try:
                conn.recv(65536)
                for byte in b"HTTP/1.1 207 Multi-Status\r\nX-Slow: " + b"a" * 1000:
                    if self.stop.is_set():
                        return
                    conn.send(bytes([byte]))
                    time.sleep(self.pause)
            except OSError:
                return

    def close(self) -> None:
        self.stop.set()
        self.server.close()


def test_a_server_that_trickles_its_answer_is_cut_off_at_the_deadline(cli, isolated, radicale):
    import time

    from mentorkit.dav.sync import sync
    from mentorkit.errors import CalendarUnreachable

    path = two_year_mentorship(cli, isolated, actions=1)
    name = new_calendar(radicale)
    assert connect(cli, isolated, radicale, name).exit_code == 0
    trickle = Trickle()
    try:
        added, took = add_pointed_at(cli, isolated, path, trickle.port, name)
        assert added.exit_code == 0, added.output
        assert "calendar was not updated" in added.stderr and "retried" in added.stderr
        assert took < 12, took
        # `calendar sync` has the same kind of bound, only longer (seconds given here)
        began = time.monotonic()
        with pytest.raises(CalendarUnreachable, match="did not answer within 1 s"):
            sync(isolated, storage.load(path).mentorship, date(2026, 3, 1), timeout=1, budget=2)
        assert time.monotonic() - began < 5
        with pytest.raises(CalendarUnreachable, match="more than 2 s in all"):
            sync(isolated, storage.load(path).mentorship, date(2026, 3, 1), timeout=5, budget=2)
    finally:
        trickle.close()
    import signal

    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None, signal.default_int_handler)


def test_a_sync_after_a_change_never_runs_an_askpass_program(cli, isolated, radicale, tmp_path):
    import time

    path = two_year_mentorship(cli, isolated, actions=1)
    name = new_calendar(radicale)
    assert connect(cli, isolated, radicale, name).exit_code == 0
    git(isolated, "config", "--unset", "credential.helper")
    marker = tmp_path / "asked"
    askpass = tmp_path / "askpass.sh"
    askpass.write_text(f"#!/bin/sh\ntouch {marker}\nsleep 30\necho secret\n")
    askpass.chmod(0o755)
    git(isolated, "config", "core.askPass", str(askpass))
    began = time.monotonic()
    added = cli(
        "--as", "mentor", "--today", TODAY, "-f", str(path), "action", "add", "Call",
        "--due", "2026-03-20",
        env={"GIT_ASKPASS": str(askpass), "SSH_ASKPASS": str(askpass)},
    )  # fmt: skip
    took = time.monotonic() - began
    assert added.exit_code == 0, added.output
    assert "no password" in added.stderr, added.stderr
    assert not marker.exists() and took < 10, took


def shared_clones(cli, isolated, radicale) -> tuple[Path, Path, str]:
    """Mentor and mentee clones connected to ONE calendar (as one person's laptop and
    desktop would be)."""
    mentor, mentee = clone_pair(cli, isolated)
    assert run_in(cli, mentee, "git", "setup").exit_code == 0
    name = new_calendar(radicale, "diane")
    for clone in (mentor, mentee):
        git(clone, "config", "credential.helper", credential_helper("diane"))
        joined = run_in(cli, clone, "calendar", "connect", radicale.url("diane", name))
        assert joined.exit_code == 0, joined.output
    return mentor, mentee, name


def action_paths(radicale, name) -> set[str]:
    return {p for p in read_back(radicale, "diane", name) if "-action-" in p}


def test_two_clones_on_one_calendar_leave_each_others_newer_items(cli, isolated, radicale):
    mentor, mentee, name = shared_clones(cli, isolated, radicale)
    before = action_paths(radicale, name)
    theirs = run_in(cli, mentee, "--as", "mentee", "action", "add", "Mentee task", "--due", "2026-12-05")  # fmt: skip
    assert theirs.exit_code == 0 and "1 created" in theirs.stdout, theirs.output
    mine = run_in(cli, mentor, "--as", "mentor", "action", "add", "Mentor task", "--due", "2026-12-06")  # fmt: skip
    assert mine.exit_code == 0 and "deleted" not in mine.stdout, mine.output
    assert len(action_paths(radicale, name) - before) == 2
    behind = run_in(cli, mentee, "calendar", "sync")
    assert behind.exit_code == 8, behind.output
    assert "newer version" in behind.stdout and "mentorkit sync" in behind.output
    assert len(action_paths(radicale, name) - before) == 2, "an item of the other clone deleted"
    # once both files agree, each clone's sync is clean and nothing is lost
    assert run_in(cli, mentor, "sync").exit_code == 0
    assert run_in(cli, mentee, "sync").exit_code == 0
    assert run_in(cli, mentor, "sync").exit_code == 0
    for clone in (mentor, mentee):
        clean = run_in(cli, clone, "calendar", "sync")
        assert clean.exit_code == 0 and "deleted" not in clean.stdout, clean.output
    assert len(action_paths(radicale, name) - before) == 2


def test_a_clone_without_a_record_leaves_calendar_edits_and_newer_items(cli, isolated, radicale):
    """A fresh clone (or a lost `.git/mentorkit/calendar.json`) connecting to a calendar
    another clone keeps: an item retitled in the calendar, or one another clone wrote from
    a commit this one does not have, is neither overwritten nor deleted."""
    path = two_year_mentorship(cli, isolated, actions=3)
    name = new_calendar(radicale)
    assert connect(cli, isolated, radicale, name).exit_code == 0
    client = radicale.client("diane")
    held = read_back(radicale, "diane", name)
    todo = next(p for p in held if "-action-" in p and "NEEDS-ACTION" in held[p][1])
    etag, text = held[todo]
    edited = text.replace("CATEGORIES:", "PRIORITY:1\r\nCATEGORIES:", 1)
    assert edited != text
    put = client.put(
        f"{radicale.base.rstrip('/')}{todo}", edited,
        {"If-Match": etag, "Content-Type": "text/calendar"},
    )  # fmt: skip
    assert put.status in (200, 201, 204)
    # a priority set in the calendar is reported, not silently adopted and later wiped
    reported = cli("-f", str(path), "--today", TODAY, "calendar", "sync")
    assert reported.exit_code == 8 and "priority" in reported.stdout, reported.output
    action = todo.rsplit("-action-", 1)[1].split("-")[0]
    moved = cli("--as", "mentor", "--today", TODAY, "-f", str(path), "action", "move", action, "2026-09-01")  # fmt: skip
    assert moved.exit_code == 0, moved.output
    assert "PRIORITY:1" in read_back(radicale, "diane", name)[todo][1]
    # a newer item from a commit this clone lacks (another clone's unpushed work)
    other = isolated.parent / "other"
    subprocess.run(["git", "clone", "-q", str(isolated), str(other)], check=True)
    git(other, "config", "user.email", "diane@example.com")
    git(other, "config", "credential.helper", credential_helper("diane"))
    git(other, "config", "mentorkit.calendarUrl", radicale.url("diane", name))
    git(other, "config", "mentorkit.calendarUser", "diane")
    newer = cli("--as", "mentor", "--today", TODAY, "-f", str(other / FILE), "action", "add", "Newer", "--due", "2026-04-01")  # fmt: skip
    assert newer.exit_code == 0 and "1 created" in newer.stdout, newer.output
    count = len(read_back(radicale, "diane", name))
    git_dir = Path(git(isolated, "rev-parse", "--absolute-git-dir").strip())
    (git_dir / "mentorkit" / "calendar.json").unlink()
    again = cli("-f", str(path), "--today", TODAY, "calendar", "sync")
    assert again.exit_code == 8, again.output
    assert "deleted" not in again.stdout and "newer version" in again.stdout, again.stdout
    assert "changed in the calendar" in again.stdout
    status = cli("-f", str(path), "--today", TODAY, "calendar", "status")
    assert "pending     nothing" not in status.stdout, status.stdout
    after = read_back(radicale, "diane", name)
    assert len(after) == count and "PRIORITY:1" in after[todo][1]


def test_a_mentorship_with_the_same_id_leaves_the_others_items_alone(
    cli, isolated, radicale, monkeypatch
):
    first = isolated
    path = two_year_mentorship(cli, first, actions=3)
    name = new_calendar(radicale)
    assert connect(cli, first, radicale, name).exit_code == 0
    held = read_back(radicale, "diane", name)
    second = isolated.parent / "second"
    second.mkdir()
    monkeypatch.chdir(second)
    copy = two_year_mentorship(cli, second, actions=2)
    text = copy.read_text()
    key = storage.load(path).mentorship.id
    m = storage.load(copy).mentorship
    copy.write_text(text.replace(f"id: {m.id}", f"id: {key}"), encoding="utf-8")
    git(second, "commit", "-qam", "Started from the other mentorship's file")
    joined = connect(cli, second, radicale, name)
    assert joined.exit_code == 8, joined.output
    assert "new id" in joined.stderr and "another mentorship" in joined.output
    after = read_back(radicale, "diane", name)
    assert {p: after[p] for p in held} == held, "an item of the first mentorship changed"
    assert cli("-f", str(path), "--today", TODAY, "calendar", "sync").exit_code in (0, 8)
    assert len(read_back(radicale, "diane", name)) == len(after)


def test_events_merely_named_like_mentorkit_items_are_not_deleted(cli, isolated, radicale):
    path = two_year_mentorship(cli, isolated, actions=1)
    name = new_calendar(radicale)
    key = storage.load(path).mentorship.id
    client = radicale.client("diane")
    for resource, uid in [
        (f"{key}-my-notes-mentorkit.ics", "abc-notes-1"),
        (f"{key}-action-zz99-mentorkit.ics", "hand-zz99"),
    ]:
        body = (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//hand//EN\r\nBEGIN:VEVENT\r\n"
            f"UID:{uid}\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20261201T120000Z\r\n"
            "DURATION:PT1H\r\nSUMMARY:mine\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
        put = client.put(radicale.url("diane", name) + resource, body, {"Content-Type": "text/calendar"})  # fmt: skip
        assert put.status in (201, 204)
    synced = connect(cli, isolated, radicale, name)
    assert synced.exit_code == 0 and "deleted" not in synced.stdout, synced.output
    names = {p.rsplit("/", 1)[1] for p in read_back(radicale, "diane", name)}
    assert {f"{key}-my-notes-mentorkit.ics", f"{key}-action-zz99-mentorkit.ics"} <= names


def test_a_deletion_is_counted_once(cli, isolated, radicale):
    path = two_year_mentorship(cli, isolated, actions=3)
    name = new_calendar(radicale)
    assert connect(cli, isolated, radicale, name).exit_code == 0
    m = storage.load(path).mentorship
    m.actions.pop()
    path.write_text(fileformat.dump_text(m), encoding="utf-8")
    git(isolated, "commit", "-qam", "Removed by hand")
    dry = cli("-f", str(path), "--today", TODAY, "calendar", "sync", "--dry-run")
    done = cli("-f", str(path), "--today", TODAY, "calendar", "sync")
    assert "1 deleted" in dry.stdout and "1 deleted" in done.stdout, done.output
    assert done.stdout.count("deleted ") == 1, done.stdout


def test_urls_that_are_wrong_say_so_without_showing_a_password(cli, isolated, radicale):
    path = two_year_mentorship(cli, isolated, actions=1)
    missing = cli("-f", str(path), "calendar", "connect", f"http://diane:{USERS['diane']}@127.0.0.1:{radicale.port}/diane/nothere/")  # fmt: skip
    assert missing.exit_code == 78 and "no calendar at" in missing.stderr, missing.output
    assert USERS["diane"] not in missing.output
    for url in ("http://diane:s3cretPW@cal.example.com/x/", "ftp://diane:s3cretPW@127.0.0.1/x/"):
        refused = cli("-f", str(path), "calendar", "connect", url)
        assert refused.exit_code == 2 and "s3cretPW" not in refused.output, refused.output
    spaced = cli("-f", str(path), "calendar", "connect", f"http://diane:{USERS['diane']}@127.0.0.1:{radicale.port}/diane/my cal/")  # fmt: skip
    assert spaced.exit_code == 78 and "my%20cal" in spaced.stderr, spaced.output
    odd = cli(
        "-f", str(path), "calendar", "connect", radicale.url("diane", "x"),
        "--user", "diane\nhost=evil.example\npassword=stolen",
    )  # fmt: skip
    assert odd.exit_code == 2 and "stolen" not in odd.output and "evil" not in odd.output
    assert "calendarUrl" not in (isolated / ".git" / "config").read_text()
    # set by hand to plain http on another machine: no password is looked up or sent
    git(isolated, "config", "mentorkit.calendarUrl", "http://127.0.0.2:9/diane/x/")
    git(isolated, "config", "credential.helper", "!echo asked >> helper.log; false")
    plain = cli("-f", str(path), "calendar", "sync")
    assert plain.exit_code == 78 and "is not https" in plain.stderr, plain.output
    assert not (isolated / "helper.log").exists()


def test_a_login_that_may_only_read_is_not_remembered(cli, isolated, radicale):
    path = two_year_mentorship(cli, isolated, actions=1)
    name = new_calendar(radicale, "tomas")  # diane may not write to it (owner only)
    git(isolated, "config", "credential.helper", credential_helper("diane"))
    refused = cli("-f", str(path), "--today", TODAY, "calendar", "connect", radicale.url("tomas", name), "--user", "diane")  # fmt: skip
    assert refused.exit_code == 78, refused.output
    assert "calendarUrl" not in (isolated / ".git" / "config").read_text()
    git(isolated, "config", "--unset", "credential.helper")
    mine = new_calendar(radicale)
    helperless = cli("-f", str(path), "--today", TODAY, "calendar", "connect", radicale.url("diane", mine).replace("//", f"//diane:{USERS['diane']}@", 1), "--no-sync")  # fmt: skip
    assert helperless.exit_code == 0 and "credential.helper" in helperless.stderr


def test_an_interrupted_sync_says_what_reached_the_calendar(cli, isolated, radicale):
    import os
    import signal
    import sys
    import time

    path = two_year_mentorship(cli, isolated, actions=100)
    name = new_calendar(radicale)
    git(isolated, "config", "credential.helper", credential_helper("diane"))
    connected = cli("-f", str(path), "--today", TODAY, "calendar", "connect", radicale.url("diane", name), "--no-sync")  # fmt: skip
    assert connected.exit_code == 0, connected.output
    stored = radicale.folder / "collections" / "collection-root" / "diane" / name
    running = subprocess.Popen(
        [sys.executable, "-m", "mentorkit", "-f", str(path), "--today", TODAY, "calendar", "sync"],
        cwd=isolated, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent / "src")},
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(stored.glob("*.ics"))) < 3:
        time.sleep(0.05)
    running.send_signal(signal.SIGINT)
    out, err = running.communicate(timeout=60)
    assert running.returncode == 130, (out, err)
    assert "reached the calendar" in err and "nothing was changed" not in err, err
    said = int(err.split(" change")[0].rsplit(" ", 1)[-1])
    held = len(list(stored.glob("*.ics")))
    assert held == said or (held == said + 1 and "perhaps the one under way" in err), (held, err)
    status = cli("-f", str(path), "--today", TODAY, "calendar", "status")
    assert "KeyboardInterrupt" not in status.stdout and "interrupted" in status.stdout


def test_a_url_that_redirects_names_where_it_points(cli, isolated, radicale):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    path = two_year_mentorship(cli, isolated, actions=1)
    name = new_calendar(radicale)
    target = radicale.url("diane", name)

    class Moved(BaseHTTPRequestHandler):
        def _moved(self) -> None:
            self.send_response(301)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_PROPFIND = do_PUT = do_DELETE = do_OPTIONS = _moved

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Moved)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        git(isolated, "config", "credential.helper", credential_helper("diane"))
        moved = cli("-f", str(path), "--today", TODAY, "calendar", "connect", f"http://127.0.0.1:{server.server_port}/old/", "--user", "diane")  # fmt: skip
    finally:
        server.shutdown()
        server.server_close()
    assert moved.exit_code == 78 and "redirects to" in moved.stderr, moved.output
    assert (
        target in moved.stderr and "calendarUrl" not in (isolated / ".git" / "config").read_text()
    )


def sync_in_a_process(path: Path, *more: str, env: dict[str, str] | None = None):
    """`mentorkit calendar sync` as users run it, with the modules it imported listed
    (python -X importtime)."""
    import os
    import sys

    clean = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    clean["PYTHONPATH"] = str(Path(__file__).parent.parent / "src")
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "mentorkit", "-f", str(path), "--today", TODAY, "calendar", "sync", *more],
        cwd=path.parent, capture_output=True, text=True, env={**clean, **(env or {})}, timeout=120,
    )  # fmt: skip
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    told = "".join(line + "\n" for line in done.stderr.splitlines() if "|" not in line)
    return done.returncode, done.stdout, told, imported


def test_an_unchanged_resync_asks_one_question_and_misses_no_change_in_the_calendar(
    cli, isolated, radicale
):
    path = two_year_mentorship(cli, isolated, actions=3)
    name = new_calendar(radicale)
    assert connect(cli, isolated, radicale, name).exit_code == 0
    state_file = Path(git(isolated, "rev-parse", "--absolute-git-dir").strip()) / "mentorkit" / "calendar.json"  # fmt: skip
    held = read_back(radicale, "diane", name)

    # nothing changed anywhere: one question, answered without the caldav library
    code, out, err, imported = sync_in_a_process(path)
    assert code == 0 and "7 unchanged" in out, (out, err)
    assert not any(module.startswith(("caldav", "niquests")) for module in imported)
    code, out, err, imported = sync_in_a_process(path, "--dry-run")
    assert code == 0 and "nothing was changed (--dry-run)" in out and "7 unchanged" in out
    # a proxy to go through: the caldav library's path (it knows proxies), the same answer
    code, out, err, imported = sync_in_a_process(path, env={"https_proxy": "http://127.0.0.1:9"})
    assert code == 0 and "7 unchanged" in out and "caldav.davclient" in imported, (out, err)
    assert read_back(radicale, "diane", name) == held

    # another client edits the series: reported as before, dry or not, not overwritten
    client = radicale.client("diane")
    series_path = next(p for p in held if "-meetings-mentorkit" in p)
    etag, text = held[series_path]
    edited = text.replace("SUMMARY:Mentoring: Diane Whitaker", "SUMMARY:Moved by me")
    url = f"{radicale.base.rstrip('/')}{series_path}"
    assert client.put(url, edited, {"If-Match": etag, "Content-Type": "text/calendar"}).status < 300
    theirs = read_back(radicale, "diane", name)
    for more in (["--dry-run"], []):
        reported = cli("-f", str(path), "--today", TODAY, "calendar", "sync", *more)
        assert reported.exit_code == 8, reported.output
        assert "the meeting series: changed in the calendar since" in reported.stdout
        assert read_back(radicale, "diane", name) == theirs
    taken = cli("-f", str(path), "--today", TODAY, "calendar", "sync", "--overwrite")
    assert taken.exit_code == 0 and "1 updated" in taken.stdout, taken.output
    code, out, err, imported = sync_in_a_process(path)
    assert code == 0 and "7 unchanged" in out and "caldav.davclient" not in imported

    # another client deletes a to-do: reported as before, and put back when asked
    todo = next(p for p in held if "-action-" in p)
    assert client.delete(f"{radicale.base.rstrip('/')}{todo}").status < 300
    reported = cli("-f", str(path), "--today", TODAY, "calendar", "sync")
    assert reported.exit_code == 8 and "deleted in the calendar" in reported.stdout
    taken = cli("-f", str(path), "--today", TODAY, "calendar", "sync", "--overwrite")
    assert taken.exit_code == 0 and "1 created" in taken.stdout, taken.output
    assert set(read_back(radicale, "diane", name)) == set(held)

    # a record from before the tokens were kept, or none: the full path, then quick again
    for lose in ("tokens", "all"):
        if lose == "all":
            state_file.unlink()
        else:
            kept = json.loads(state_file.read_text())
            del kept["tokens"]
            state_file.write_text(json.dumps(kept))
        code, out, err, imported = sync_in_a_process(path)
        assert code == 0 and "7 unchanged" in out and "caldav.davclient" in imported, (out, err)
        code, out, err, imported = sync_in_a_process(path)
        assert code == 0 and "7 unchanged" in out and "caldav.davclient" not in imported

    # the password changed at the helper: the quick question is refused, the full path says so
    git(isolated, "config", "credential.helper", credential_helper("diane", "not-it"))
    refused = cli("-f", str(path), "--today", TODAY, "calendar", "sync")
    assert refused.exit_code == 78 and "refused the login diane (401)" in refused.stderr


def test_the_change_token_is_taken_only_from_a_plain_answer_about_the_collection():
    from mentorkit.dav.token import CTAG, _tokens, current

    url = "https://cal.example.com/dav/cal%20one/"

    def answer(href: str = "/dav/cal%20one/", status: str = "HTTP/1.1 200 OK", more: str = ""):
        return (
            '<?xml version="1.0"?><multistatus xmlns="DAV:" xmlns:CS="http://calendarserver.org/ns/">'
            f"<response><href>{href}</href><propstat><prop><sync-token>s-1</sync-token>"
            f"<CS:getctag>c-1</CS:getctag></prop><status>{status}</status></propstat></response>"
            f"{more}</multistatus>"
        ).encode()

    assert _tokens(answer(), url) == {
        "{DAV:}sync-token": "s-1",
        "{http://calendarserver.org/ns/}getctag": "c-1",
    }
    assert _tokens(answer("https://cal.example.com/dav/cal one"), url)[CTAG] == "c-1"
    assert _tokens(answer("/dav/other/"), url) == {}
    assert _tokens(answer(status="HTTP/1.1 404 Not Found"), url) == {}
    assert _tokens(answer(more="<response><href>/dav/cal%20one/x.ics</href></response>"), url) == {}
    assert _tokens(b"<multistatus", url) == {}
    assert _tokens(b'<x xmlns="DAV:"><response/></x>', url) == {}
    # nothing listens there: no answer, no token
    assert current(f"http://127.0.0.1:{_closed_port()}/dav/", "me", "pw", 2) is None


def test_each_item_is_stamped_with_what_a_calendar_reading_it_shows(cli, isolated):
    from mentorkit.dav import resources

    path = two_year_mentorship(cli, isolated, actions=8)
    m = storage.load(path).mentorship
    origin = resources.Origin("a" * 40, "b" * 40)
    for events_only in (False, True):
        made = resources.wanted(m, date(2026, 3, 1), "mentee", todos_as_events=events_only, origin=origin)  # fmt: skip
        assert len(made) == 12  # the series, two extra meetings, the feedback day, 8 to-dos
        for resource in made.values():
            held = resources.read(resource.body)
            assert resource.shows == resources.digest(held.shown), resource.what
            assert not held.edited, resource.what  # read back as written: not changed


def test_the_quick_question_gives_no_token_for_any_answer_but_a_plain_one(monkeypatch):
    from http.server import BaseHTTPRequestHandler

    from mentorkit.dav.token import SYNC_TOKEN, current

    plain = (
        b'<?xml version="1.0"?><multistatus xmlns="DAV:"><response><href>/cal/</href>'
        b"<propstat><prop><sync-token>s-7</sync-token></prop>"
        b"<status>HTTP/1.1 200 OK</status></propstat></response></multistatus>"
    )
    answers = {
        "/cal/": (207, {}, plain),
        "/digest/": (401, {"WWW-Authenticate": 'Digest realm="x", nonce="n"'}, b""),
        "/moved/": (301, {"Location": "/cal/"}, b""),
        "/huge/": (207, {}, plain[:-14] + b"<!--" + b"x" * 70000 + b"-->" + plain[-14:]),
        "/zipped/": (207, {"Content-Encoding": "gzip"}, plain),
    }
    seen = []

    class Server(BaseHTTPRequestHandler):
        def do_PROPFIND(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            seen.append((self.headers["Depth"], self.headers["Authorization"]))
            status, headers, body = answers[self.path]
            self.send_response(status)
            for key, value in {**headers, "Content-Length": str(len(body))}.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    with serving(Server) as base:
        assert current(f"{base}/cal/", "diane", "pw", 5) == {SYNC_TOKEN: "s-7"}  # no ctag
        for path in ("/digest/", "/moved/", "/huge/", "/zipped/"):
            assert current(f"{base}{path}", "diane", "pw", 5) is None, path
        assert seen[0][0] == "0" and seen[0][1].startswith("Basic ")
        # a proxy to go through: not asked at all
        monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
        asked = len(seen)
        assert current(f"{base}/cal/", "diane", "pw", 5) is None
        assert len(seen) == asked


@contextlib.contextmanager
def serving(handler):
    """An HTTP server on a free local port answering with `handler`; its base URL."""
    import threading
    from http.server import ThreadingHTTPServer

    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def test_unchanged_needs_every_token_unchanged_and_one_that_tells_a_remade_calendar(monkeypatch):
    import time
    from http.server import BaseHTTPRequestHandler

    from mentorkit.dav import state
    from mentorkit.dav.connection import Connection
    from mentorkit.dav.sync import _unchanged
    from mentorkit.dav.token import CTAG, SYNC_TOKEN
    from mentorkit.errors import CalendarUnreachable

    tokens: dict[str, dict[str, str]] = {}

    class Server(BaseHTTPRequestHandler):
        def do_PROPFIND(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            if self.path == "/hang/":
                time.sleep(5)
                return
            props = "".join(
                f"<{tag}>{value}</{tag}>"
                for tag, value in (
                    ("sync-token", tokens[self.path].get(SYNC_TOKEN)),
                    ("CS:getctag", tokens[self.path].get(CTAG)),
                )
                if value is not None
            )
            body = (
                '<?xml version="1.0"?><multistatus xmlns="DAV:" xmlns:CS="http://calendarserver.org/ns/">'
                f"<response><href>{self.path}</href><propstat><prop>{props}</prop>"
                "<status>HTTP/1.1 200 OK</status></propstat></response></multistatus>"
            ).encode()
            self.send_response(207)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    def unchanged(base: str, path: str, kept: dict[str, str], timeout: float = 5) -> bool:
        known = state.State(url=f"{base}{path}", source="s", tokens={**kept, "login": "diane"})
        connection = Connection(f"{base}{path}", user="diane", person="mentor")
        return _unchanged(known, connection, "pw", "s", timeout)

    hexa = "http://radicale.org/ns/sync/" + "3f9a" * 16
    with serving(Server) as base:
        # both given, both kept: unchanged only while both are (a ctag blind to deletions)
        tokens["/cal/"] = {SYNC_TOKEN: hexa, CTAG: '"c0ffee1234567890"'}
        assert unchanged(base, "/cal/", dict(tokens["/cal/"]))
        kept = dict(tokens["/cal/"])
        tokens["/cal/"][SYNC_TOKEN] = hexa[:-1] + "0"
        assert not unchanged(base, "/cal/", kept)
        # a token the server no longer gives, or one more than was kept: not the same
        assert not unchanged(base, "/cal/", {CTAG: kept[CTAG]})
        # a per-calendar counter (sabre/dav) comes back after a calendar is made again
        tokens["/nc/"] = {
            SYNC_TOKEN: "http://sabre.io/ns/sync/8",
            CTAG: "http://sabre.io/ns/sync/8",
        }
        assert not unchanged(base, "/nc/", dict(tokens["/nc/"]))
        # a server that does not answer: said once, not asked again the full way
        began = time.monotonic()
        with pytest.raises(CalendarUnreachable, match="did not answer within 1 s"):
            unchanged(base, "/hang/", {SYNC_TOKEN: hexa}, timeout=1)
        assert time.monotonic() - began < 3


def test_the_file_digest_follows_the_zone_rules_the_export_embeds(
    cli, isolated, tmp_path, monkeypatch
):
    import shutil
    import zoneinfo

    from mentorkit.dav.connection import Connection
    from mentorkit.dav.sync import _source

    path = two_year_mentorship(cli, isolated, actions=1)
    m = storage.load(path).mentorship
    connection = Connection("http://127.0.0.1:9/cal/", user="diane", person="mentor")
    system = next(Path(folder) for folder in zoneinfo.TZPATH if Path(folder, "UTC").exists())
    zones = {}
    for name in ("old", "new"):
        folder = tmp_path / name
        shutil.copytree(system, folder, symlinks=True)
        zones[name] = folder
    chicago = zones["new"] / "America" / "Chicago"
    chicago.unlink()
    chicago.write_bytes((system / "America" / "Chicago").read_bytes() + b"\n")  # new rules
    sources = {}
    for name, folder in zones.items():
        monkeypatch.setattr(zoneinfo, "TZPATH", (str(folder),))
        sources[name] = _source(m, connection, False)
    assert sources["old"] != sources["new"]
    monkeypatch.setattr(zoneinfo, "TZPATH", (str(zones["old"]),))
    assert _source(m, connection, False) == sources["old"]


def test_a_writing_sync_keeps_no_token_when_another_item_arrived_meanwhile(
    cli, isolated, radicale, monkeypatch
):
    from mentorkit.dav.connection import Collection

    path = two_year_mentorship(cli, isolated, actions=3)
    name = new_calendar(radicale)
    state_file = Path(git(isolated, "rev-parse", "--absolute-git-dir").strip()) / "mentorkit" / "calendar.json"  # fmt: skip
    relisted = Collection.relisted

    def another_clone_writes_first(self):
        url = f"{radicale.url('diane', name).rstrip('/')}/their-own.ics"
        event = (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\nBEGIN:VEVENT\r\nUID:their-own\r\n"
            "DTSTAMP:20261101T000000Z\r\nDTSTART:20261201T120000Z\r\nDURATION:PT1H\r\n"
            "SUMMARY:theirs\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
        client = radicale.client("diane")
        assert client.put(url, event, {"Content-Type": "text/calendar"}).status < 300
        return relisted(self)

    monkeypatch.setattr(Collection, "relisted", another_clone_writes_first)
    assert connect(cli, isolated, radicale, name).exit_code == 0
    assert json.loads(state_file.read_text())["tokens"] is None
    monkeypatch.setattr(Collection, "relisted", relisted)
    # the next sync looks the full way, and from then on the quick one holds
    code, out, err, imported = sync_in_a_process(path)
    assert code == 0 and "7 unchanged" in out and "caldav.davclient" in imported, (out, err)
    code, out, err, imported = sync_in_a_process(path)
    assert code == 0 and "7 unchanged" in out and "caldav.davclient" not in imported, (out, err)


def test_a_server_failing_with_5xx_says_so_in_one_plain_sentence(cli, isolated):
    from http.server import BaseHTTPRequestHandler

    class Failing(BaseHTTPRequestHandler):
        def do_PROPFIND(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    path = two_year_mentorship(cli, isolated, actions=1)
    before = path.read_bytes()
    with serving(Failing) as base:
        url = base.replace("http://", "http://diane:pw@") + "/diane/cal/"
        failed = cli("-f", str(path), "calendar", "connect", url)
    assert failed.exit_code == 75, failed.output
    assert "failed (500 Internal Server Error)" in failed.stderr, failed.stderr
    assert "PropfindError" not in failed.stderr and path.read_bytes() == before
