"""A real CalDAV server on localhost for the tests and the benchmark: Radicale from PyPI,
with htpasswd logins and owner-only rights, on a free port with its own storage."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

USERS = {"diane": "diane-app-token", "tomas": "tomas-app-token", "eve": "eve-secret"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Radicale:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        users = self.folder / "users"
        users.write_text("".join(f"{u}:{p}\n" for u, p in USERS.items()))
        config = self.folder / "config"
        config.write_text(
            f"[server]\nhosts = 127.0.0.1:{self.port}\n"
            f"[auth]\ntype = htpasswd\nhtpasswd_filename = {users}\n"
            "htpasswd_encryption = plain\ndelay = 0\n"
            "[rights]\ntype = owner_only\n"
            f"[storage]\nfilesystem_folder = {self.folder / 'collections'}\n"
            "[logging]\nlevel = error\n"
        )
        log = open(self.folder / "log", "wb")  # noqa: SIM115  # open while the server runs
        self.process = subprocess.Popen(
            [sys.executable, "-m", "radicale", "--config", str(config)],
            stdout=log,
            stderr=log,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError((self.folder / "log").read_text()) from None
                time.sleep(0.05)
        raise RuntimeError("Radicale did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def cpu(self) -> float:
        """The server's CPU time so far, in seconds (Linux)."""
        import os

        if self.process is None:
            return 0.0
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def url(self, user: str, name: str) -> str:
        return f"{self.base}{user}/{name}/"

    def client(self, user: str, password: str | None = None):
        import caldav

        return caldav.DAVClient(
            url=self.base,
            username=user,
            password=password or USERS[user],
            enable_rfc6764=False,
            rate_limit_handle=False,
        )

    def calendar(self, user: str, name: str, components: list[str] | None = None):
        """A new calendar collection of `user` (taking only `components`, if given)."""
        principal = self.client(user).principal()
        if components:
            return principal.make_calendar(
                name=name, cal_id=name, supported_calendar_component_set=components
            )
        return principal.make_calendar(name=name, cal_id=name)

    def objects(self, user: str, name: str) -> dict[str, tuple[str, str]]:
        """Every resource in the collection, as a PROPFIND lists it: {path: (ETag, text)}."""
        import caldav
        from caldav.elements import dav

        client = self.client(user)
        url = self.url(user, name)
        listed = caldav.Calendar(client=client, url=url).get_properties(
            [dav.GetEtag()], depth=1, parse_response_xml=False
        )
        found = {}
        for result in listed.parse_propfind():
            if result.href.rstrip("/") == url.removeprefix(self.base.rstrip("/")).rstrip("/"):
                continue
            response = client.request(self.base.rstrip("/") + result.href, "GET")
            assert response.status == 200, (result.href, response.status)
            found[result.href] = (response.headers.get("ETag"), response.raw)
        return found


def credential_helper(user: str, password: str | None = None) -> str:
    """A git credential helper that gives `user`'s password, as a keychain would."""
    secret = password or USERS[user]
    return f'!f() {{ test "$1" = get && echo username={user} && echo password={secret}; }}; f'


# The two-year mentorship the calendar tests and the benchmark sync: a meeting every two
# weeks in Chicago (a London mentee), a moved and a cancelled meeting, two extra meetings,
# the feedback day, and many action items.
TWO_YEARS = [
    "--end", "2028-03-01", "--cadence", "every 2 weeks on tuesday",
    "--first-meeting", "2026-03-03", "--time", "10:00", "--meeting-tz", "America/Chicago",
]  # fmt: skip
SCHEDULE_CHANGES = [
    ["move", "2026-04-14", "2026-04-16 11:00"],
    ["cancel", "2026-06-09"],
    ["add", "2026-07-01 15:00"],
    ["add", "2027-05-05 09:00"],
    ["feedback-day", "friday"],
]


def add_action_items(path: Path, count: int) -> None:
    """`count` action items due a week apart, a quarter of them done, written to `path`."""
    import random
    from datetime import date, timedelta

    from mentorkit.domain.ids import new_id
    from mentorkit.file import fileformat, storage
    from mentorkit.file.model import ActionItem

    m = storage.load(path).mentorship
    rng = random.Random(18)
    taken = {a.id for a in m.actions} | {g.id for g in m.goals}
    for i in range(count):
        ident = new_id(taken, rng)
        taken.add(ident)
        due = date(2026, 3, 10) + timedelta(days=7 * i)
        m.actions.append(
            ActionItem(
                id=ident,
                title=f"Draft part {i} of the liability memo",
                owner="mentee" if i % 3 else "mentor",
                created=date(2026, 3, 2),
                created_by="mentor",
                due=due,
                status="done" if i % 4 == 0 else "open",
                completed=due if i % 4 == 0 else None,
            )
        )
    path.write_text(fileformat.dump_text(m), encoding="utf-8")
