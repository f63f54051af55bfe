"""Measure `calendar sync` against a real CalDAV server over loopback (budgets: a first sync
of a two-year series with 100 to-dos 2 s, an unchanged re-sync 0.5 s).

It starts Radicale (from the test extra) on 127.0.0.1 with a login, builds a two-year
mentorship (a meeting every two weeks, a move, a cancellation, two extra meetings, the
feedback day, 100 action items) in a git repository, and for each run syncs it into a new,
empty calendar, then syncs again with nothing changed. Two figures for each: the sync in
process (what mentorkit does: the export, the requests, the state; the libraries already
imported), and the whole `mentorkit calendar sync` as users run it (a fresh process:
Python, Typer and the CalDAV library's HTTP stack start first, measured alone beside it).

    python benchmarks/bench_caldav.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from tests.caldavserver import (  # noqa: E402
    SCHEDULE_CHANGES,
    TWO_YEARS,
    USERS,
    Radicale,
    add_action_items,
    credential_helper,
)

from mentorkit.file import storage  # noqa: E402

BUDGET_FIRST, BUDGET_AGAIN = 2.0, 0.5
TODAY = "2026-03-01"
INIT = [
    "--mentor-name", "Diane Whitaker", "--mentor-email", "diane@example.com",
    "--mentor-tz", "America/Chicago", "--mentee-name", "Tomás Okonkwo-Reyes",
    "--mentee-email", "tomas@example.co.uk", "--mentee-tz", "Europe/London",
    "--start", "2026-03-02",
]  # fmt: skip


def run(argv: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {result.stdout}{result.stderr}")
    return result


def two_year_repository(folder: Path, env: dict[str, str], actions: int = 100) -> Path:
    mk = [sys.executable, "-m", "mentorkit", "--today", TODAY]
    run(["git", "init", "-q", "-b", "main"], folder, env)
    run(["git", "config", "user.email", "diane@example.com"], folder, env)
    run(["git", "config", "user.name", "Diane Whitaker"], folder, env)
    run([*mk, "--as", "mentor", "init", "--no-input", *INIT, *TWO_YEARS], folder, env)
    for change in SCHEDULE_CHANGES:
        run([*mk, "--as", "mentor", "schedule", *change], folder, env)
    path = folder / "mentorship.yaml"
    add_action_items(path, actions)
    run(["git", "commit", "-qam", "A hundred action items"], folder, env)
    run(["git", "config", "credential.helper", credential_helper("diane")], folder, env)
    run(["git", "config", "mentorkit.calendarAutoSync", "false"], folder, env)
    return path


def command(argv: list[str], cwd: Path, env: dict[str, str], said: str = "") -> tuple[float, float]:
    """(elapsed, CPU) seconds of one fresh process (which must say `said`)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    result = run(argv, cwd, env)
    elapsed = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if said not in result.stdout:
        raise SystemExit(f"{' '.join(argv)} did not say {said!r}: {result.stdout}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def plain_puts(server: Radicale, user: str, name: str, bodies: list[tuple[str, bytes]]) -> None:
    """The same resources PUT one after another with the standard library's http.client:
    what the server alone costs for them."""
    import base64
    import http.client

    login = base64.b64encode(f"{user}:{USERS[user]}".encode()).decode()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    for file_name, body in bodies:
        headers = {
            "Authorization": f"Basic {login}",
            "Content-Type": "text/calendar; charset=utf-8",
            "If-None-Match": "*",
        }
        connection.request("PUT", f"/{user}/{name}/{file_name}", body, headers)
        answer = connection.getresponse()
        answer.read()
        if answer.status != 201:
            raise SystemExit(f"PUT {file_name}: {answer.status}")
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="mentorkit-caldav-bench-"))
    server = Radicale(folder / "radicale")
    env = {**os.environ, "MENTORKIT_CACHE_DIR": str(folder / "cache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # measure with bytecode compiled, as installed
    env.pop("MENTORKIT_FILE", None)
    import compileall

    import mentorkit

    compileall.compile_dir(Path(mentorkit.__file__).parent, quiet=1)
    began_load = os.getloadavg()[0]
    server.start()
    try:
        work = folder / "pair"
        work.mkdir()
        path = two_year_repository(work, env)
        mk = [sys.executable, "-m", "mentorkit", "-f", str(path), "--today", TODAY]
        from mentorkit.dav import resources
        from mentorkit.dav.sync import sync

        m = storage.load(path).mentorship
        today = date.fromisoformat(TODAY)
        rows: dict[str, list[float]] = {}
        for i in range(args.runs):
            name = f"bench{i}"
            server.calendar("diane", name)
            run([*mk, "calendar", "connect", server.url("diane", name), "--no-sync"], work, env)
            done = []
            for label in ("first sync", "unchanged re-sync"):
                began, cpu, served = time.perf_counter(), time.process_time(), server.cpu()
                done.append(sync(work, m, today))
                rows.setdefault(f"{label}, in process", []).append(time.perf_counter() - began)
                rows.setdefault(f"{label}, in process: mentorkit's CPU", []).append(
                    time.process_time() - cpu
                )
                rows.setdefault(f"{label}, in process: Radicale's CPU", []).append(
                    server.cpu() - served
                )
            first, again = done
            if first.count("created") != 104 or again.unchanged != 104 or again.done:
                raise SystemExit(f"unexpected: {first.done[:3]} {again.done[:3]}")
            name = f"bench{i}-plain"
            server.calendar("diane", name)
            origin = resources.Origin("0" * 40, "1" * 40)
            made = resources.wanted(m, today, "mentor", todos_as_events=False, origin=origin)
            bodies = [(r.name, r.body.encode("utf-8")) for r in made.values()]
            began, served = time.perf_counter(), server.cpu()
            plain_puts(server, "diane", name, bodies)
            label = "Radicale alone: the same 104 PUTs, one by one (http.client)"
            rows.setdefault(label, []).append(time.perf_counter() - began)
            rows.setdefault(f"{label}: Radicale's CPU", []).append(server.cpu() - served)
            name = f"bench{i}-cli"
            server.calendar("diane", name)
            run([*mk, "calendar", "connect", server.url("diane", name), "--no-sync"], work, env)
            for label, said in (("first sync", "104 created"), ("unchanged re-sync", "104 unch")):
                elapsed, cpu = command([*mk, "calendar", "sync"], work, env, said)
                rows.setdefault(f"`mentorkit calendar sync`, {label}", []).append(elapsed)
                rows.setdefault(f"`mentorkit calendar sync`, {label} (CPU)", []).append(cpu)
            for label, code in (
                ("`python -c pass`", "pass"),
                ("`python -c 'import caldav.davclient'`", "import caldav.davclient"),
            ):
                rows.setdefault(label, []).append(
                    command([sys.executable, "-c", code], work, env)[0]
                )
        budgets = {
            "first sync, in process": BUDGET_FIRST,
            "unchanged re-sync, in process": BUDGET_AGAIN,
            "`mentorkit calendar sync`, first sync": BUDGET_FIRST,
            "`mentorkit calendar sync`, unchanged re-sync": BUDGET_AGAIN,
        }
        load = os.getloadavg()[0]
        print(
            f"median of {args.runs} runs, load average {began_load:.1f} at the start and "
            f"{load:.1f} at the end, {os.cpu_count()} cores"
        )
        print("| case | median | budget |")
        print("|---|---|---|")
        for label, samples in rows.items():
            budget = budgets.get(label)
            shown = f"{budget:g} s" if budget else "–"
            print(f"| {label} | {statistics.median(samples):.3f} s | {shown} |")
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
