"""Measure mentorkit against its speed budgets.

Each budget is a whole command run as a user runs it (a fresh process), timed over several
runs; the script prints the median next to the budget, and `python -c pass` measured in the
same run as the baseline. It builds its own large fixtures in a temporary folder.

    python benchmarks/bench.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "mentorship.yaml"
sys.path.insert(0, str(ROOT / "src"))

from mentorkit.file import fileformat, storage  # noqa: E402
from mentorkit.file.model import (  # noqa: E402
    ActionItem,
    DueMove,
    Feedback,
    Goal,
    Kpi,
    Measurement,
    Meeting,
    Update,
)


def five_year_mentorship(
    actions: int = 1000, measurements: int = 1500, feedback: int = 250, meetings: int = 60
):
    """A long, busy mentorship: 60 meetings, 1,000 actions, 1,500 KPI measurements, 250
    feedback (the earlier 2,000/3,000/500 is over the 600 KB a file may hold)."""
    rng = random.Random(7)
    m = storage.load(EXAMPLE).mentorship
    start = date(2022, 1, 3)
    m.agreement.term.start = start
    m.schedule.first = date(2022, 1, 4)
    m.schedule.until = None
    m.agreement.term.end = date(2027, 1, 3)
    m.agreement.term.review = date(2026, 12, 1)
    taken: set[str] = set()

    def new_id(prefix: str) -> str:
        while True:
            candidate = prefix + "".join(
                rng.choice("23456789abcdefghjkmnpqrstuvwxyz") for _ in range(4)
            )
            if candidate not in taken:
                taken.add(candidate)
                return candidate

    m.goals, m.actions, m.feedback, m.meetings = [], [], [], []
    for g in range(10):
        goal = Goal(
            id=new_id("g"), competency=f"Competency {g}", created=start, why="Because it matters."
        )
        for k in range(3):
            goal.kpis.append(
                Kpi(id=new_id("k"), name=f"KPI {g}.{k}", baseline=0, target=100, unit="points")
            )
        m.goals.append(goal)
    kpis = [kpi for goal in m.goals for kpi in goal.kpis]
    for i in range(measurements):
        kpi = kpis[i % len(kpis)]
        kpi.measurements.append(
            Measurement(
                date=start + timedelta(days=i * 1826 // measurements), value=rng.randint(0, 100)
            )
        )
    for i in range(actions):
        created = start + timedelta(days=i * 1800 // actions)
        due = created + timedelta(days=rng.randint(3, 40))
        done = rng.random() < 0.85
        action = ActionItem(
            id=new_id("a"),
            title=f"Action item number {i}: draft, review and send the document to the other side",
            owner=rng.choice(["mentor", "mentee"]),
            goal=rng.choice(m.goals).id,
            created=created,
            created_by="mentee",
            due=due,
            status="done" if done else "open",
            completed=due + timedelta(days=rng.randint(-5, 5)) if done else None,
        )
        if i % 5 == 0:
            action.updates.append(
                Update(date=created + timedelta(days=2), by="mentee", text="Started on it.")
            )
        m.actions.append(action)
    for i in range(feedback):
        who = rng.choice(["mentor", "mentee"])
        m.feedback.append(
            Feedback(
                id=new_id("f"),
                date=start + timedelta(days=i * 1820 // feedback),
                from_=who,
                to="mentee" if who == "mentor" else "mentor",
                kind=rng.choice(["feedback", "recognition"]),
                text="Clear, specific and kind feedback about the last piece of work.",
            )
        )
    for i in range(meetings):
        m.meetings.append(
            Meeting(id=new_id("m"), date=start + timedelta(days=30 * i + 1), notes="Notes.")
        )
    m.agenda = []
    for resource in m.resources:
        resource.goal = m.goals[0].id
    return m


def growing_repository(folder: Path, commits: int, seed: int = 13) -> Path:
    """A repository whose mentorship file grew over `commits` commits of everyday changes
    by two people (actions added, completed and moved, measurements, feedback), built
    with git fast-import from a seed, so every run builds the same repository."""
    rng = random.Random(seed)
    m = storage.load(EXAMPLE).mentorship
    start = date(2022, 1, 3)
    m.agreement.term.start, m.schedule.first = start, date(2022, 1, 4)
    m.agreement.term.end = m.schedule.until = None
    kpis = [kpi for goal in m.goals for kpi in goal.kpis]
    repo = folder / f"history-{commits}"
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    # fed to git fast-import commit by commit: the versions are never all in memory
    importer = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=repo, stdin=subprocess.PIPE)
    assert importer.stdin is not None
    for i in range(commits):
        day = start + timedelta(days=i // 2)
        who = "mentee" if rng.random() < 0.5 else "mentor"
        open_items = [a for a in m.actions if a.status == "open"]
        roll = rng.random()
        if roll < 0.4 or not open_items:
            m.actions.append(ActionItem(
                id=f"b{i:04d}", title=f"Action {i}: prepare, review and send the draft",
                owner=rng.choice(["mentor", "mentee"]), created=day, created_by=who,
                due=day + timedelta(days=rng.randint(3, 30))))  # fmt: skip
        elif roll < 0.6:
            action = rng.choice(open_items)
            action.status, action.completed = "done", day
        elif roll < 0.7:
            action = rng.choice(open_items)
            action.moves.append(DueMove(was=action.due, moved=day, by=who))
            action.due = action.due + timedelta(days=rng.randint(-3, 10) or 1)
        elif roll < 0.9:
            kpi = rng.choice(kpis)
            kpi.measurements.append(Measurement(date=day, value=rng.randint(0, 10), by=who))
        else:
            m.feedback.append(Feedback(
                id=f"f{i:04d}", date=day, from_=who, to="mentor" if who == "mentee" else "mentee",
                text="Clear, specific and kind feedback about the last piece of work."))  # fmt: skip
        text = fileformat.dump_text(m).encode("utf-8")
        when = int(datetime(2022, 1, 3, 12).timestamp()) + i * 43200
        author = (
            "Tomas <tomas.okonkwo@example.co.uk>"
            if who == "mentee"
            else "Diane <diane.whitaker@example.com>"
        )
        message = f"change {i}".encode()
        importer.stdin.write(b"commit refs/heads/main\n")
        importer.stdin.write(
            f"author {author} {when} +0000\ncommitter {author} {when} +0000\n".encode()
        )
        importer.stdin.write(b"data %d\n%s\n" % (len(message), message))
        importer.stdin.write(b"M 100644 inline mentorship.yaml\ndata %d\n%s\n" % (len(text), text))
    importer.stdin.close()
    if importer.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "checkout", "-q", "main"], cwd=repo, check=True)
    return repo


_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "began = time.perf_counter()\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "took = time.perf_counter() - began\n"
    "if done.returncode: sys.exit(done.stderr.decode())\n"
    "used = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(took, used.ru_maxrss, used.ru_utime + used.ru_stime)\n"
)


def measured(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, float]:
    """(seconds, peak memory in MB, CPU seconds with its git processes) of one run of
    `argv` in a fresh process. CPU time is printed too: on a shared machine it varies
    less than the elapsed time."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, *argv], cwd=cwd, env=env,
                         capture_output=True, text=True, check=True).stdout.split()  # fmt: skip
    return float(out[0]), float(out[1]) / 1024, float(out[2])


def history_cases(
    folder: Path,
    env: dict[str, str],
    runs: int,
    mk: list[str],
    sizes: tuple[int, ...] = (500, 2000),
    repos: Path | None = None,
) -> None:
    """history, checkin, stats and report over 500 and 2,000 commits: cold (a fresh clone, no cache),
    then warm; beside `git log -p` on the same repository. And history where the file has
    one commit among 10,000 of other files. The repositories are built in `repos` (or
    taken from there when built before)."""
    repos = repos or folder
    print(f"{'history case':<40} {'cold (CPU)':>15} {'peak':>6} {'warm (CPU)':>15}   budget")
    for commits, budget in ((n, 1.0 if n <= 500 else 3.0) for n in sizes):
        built = repos / f"history-{commits}"
        if not (built / ".git").is_dir():
            built = growing_repository(repos, commits)
        size = (built / "mentorship.yaml").stat().st_size // 1024
        for label, args in (("history", ["history", "--json"]),
                            ("checkin", ["--as", "mentee", "checkin", "--no-input"]),
                            ("stats", ["stats", "--json"]),
                            ("report", ["report", "--format", "md", "-o", "-"])):  # fmt: skip
            clone = folder / f"clone-{commits}-{label}"
            subprocess.run(["git", "clone", "-q", str(built), str(clone)], check=True)
            fresh = {**env, "MENTORKIT_CACHE_DIR": str(clone / "c")}
            cold, peak, cold_cpu = measured([*mk, *args], clone, fresh)
            warm_runs = [measured([*mk, *args], clone, env) for _ in range(runs)]
            warm = statistics.median(r[0] for r in warm_runs)
            warm_cpu = statistics.median(r[2] for r in warm_runs)
            verdict = "ok" if cold <= budget and warm <= 0.3 and peak <= 150 else "OVER"
            print(f"{f'{label}, {commits} commits, {size} KB':<40} {cold:6.2f}s ({cold_cpu:4.2f}s) "
                  f"{peak:4.0f}MB {warm:6.2f}s ({warm_cpu:4.2f}s)   {budget:.0f} s / 0.3 s {verdict}")  # fmt: skip
        log, peak, log_cpu = measured(["git", "log", "-p", "--no-ext-diff", "--no-textconv"], built, env)  # fmt: skip
        print(f"{f'git log -p, {commits} commits':<40} {log:6.2f}s ({log_cpu:4.2f}s) {peak:4.0f}MB")
    built = repos / "elsewhere-10000"
    if not (built / ".git").is_dir():
        built = elsewhere_repository(repos, 10000)
    clone = folder / "clone-elsewhere"
    subprocess.run(["git", "clone", "-q", str(built), str(clone)], check=True)
    fresh = {**env, "MENTORKIT_CACHE_DIR": str(clone / "c")}
    cold, peak, cold_cpu = measured([*mk, "history", "--json"], clone, fresh)
    print(
        f"{'history, 1 commit among 10,000 others':<40} {cold:6.2f}s ({cold_cpu:4.2f}s) {peak:4.0f}MB"
    )
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"(load average {load} on {os.cpu_count()} cores)")


def elsewhere_repository(folder: Path, commits: int) -> Path:
    """The example's file committed once, then `commits` commits of other files: history
    must cost what the file's own commits cost, not what the repository's do."""
    repo = folder / f"elsewhere-{commits}"
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    importer = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=repo, stdin=subprocess.PIPE)
    assert importer.stdin is not None
    example = EXAMPLE.read_bytes()
    for i in range(commits + 1):
        message, when = f"change {i}".encode(), 1700000000 + i * 60
        name, data = (
            ("mentorship.yaml", example) if i == 0 else (f"notes/n{i % 500}.txt", b"%d\n" % i)
        )
        importer.stdin.write(b"commit refs/heads/main\n")
        importer.stdin.write(b"committer Diane <diane.whitaker@example.com> %d +0000\n" % when)
        importer.stdin.write(b"data %d\n%s\n" % (len(message), message))
        importer.stdin.write(
            b"M 100644 inline %s\ndata %d\n%s\n" % (name.encode(), len(data), data)
        )
    importer.stdin.close()
    if importer.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "checkout", "-q", "main"], cwd=repo, check=True)
    return repo


def timed(argv: list[str], runs: int, cwd: Path, env: dict[str, str]) -> float:
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        result = subprocess.run(
            argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        samples.append((time.perf_counter() - began) * 1000)
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {result.stderr.decode()}")
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--skip-history", action="store_true", help="leave out the history cases")
    parser.add_argument("--only-history", action="store_true", help="only the history cases")
    parser.add_argument(
        "--commits", type=int, nargs="+", default=[500, 2000], help="history sizes to build"
    )
    parser.add_argument(
        "--mentorkit", help="the command to measure (default: the installed mentorkit)"
    )
    parser.add_argument(
        "--repos",
        type=Path,
        help="keep the history repositories here, and reuse them (to measure two versions)",
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="mentorkit-bench-"))
    try:
        env = {
            **os.environ,
            "MENTORKIT_CACHE_DIR": str(folder / "cache"),
            "MENTORKIT_TODAY": "2026-11-26",
        }
        env.pop("MENTORKIT_FILE", None)
        # Measure what an installed mentorkit costs: with its bytecode compiled, as pip
        # does on install (this machine sets PYTHONDONTWRITEBYTECODE, which would make every
        # run compile every module from source).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        import compileall

        import mentorkit

        compileall.compile_dir(Path(mentorkit.__file__).parent, quiet=1)
        shutil.copyfile(EXAMPLE, folder / "example.yaml")
        big = five_year_mentorship()
        (folder / "five-years.yaml").write_text(fileformat.dump_text(big), encoding="utf-8")
        size = (folder / "five-years.yaml").stat().st_size
        # The console script, as users run it (python -m adds runpy's few milliseconds).
        script = Path(sys.executable).with_name("mentorkit")
        mk = [str(script)] if script.exists() else [sys.executable, "-m", "mentorkit"]
        if args.mentorkit:
            mk = shlex.split(args.mentorkit)
        if args.only_history:
            history_cases(folder, env, args.runs, mk, tuple(args.commits), args.repos)
            return
        cases = [
            ("python -c pass (baseline)", [sys.executable, "-c", "pass"], None),
            (
                "python -c 'import typer' (the CLI framework alone)",
                [sys.executable, "-c", "import typer"],
                None,
            ),
            ("mentorkit --help", [*mk, "--help"], 120),
            ("mentorkit status (example)", [*mk, "-f", "example.yaml", "status"], 120),
            (
                f"mentorkit status (five years, {size // 1024} KB)",
                [*mk, "-f", "five-years.yaml", "status"],
                250,
            ),
            (
                "mentorkit action list --status all (1,000 rows)",
                [*mk, "-f", "five-years.yaml", "action", "list", "--status", "all"],
                250,
            ),
            (
                "mentorkit checkin --no-input (five years)",
                [*mk, "-f", "five-years.yaml", "--as", "mentee", "checkin", "--no-input"],
                500,
            ),
        ]
        for _, argv, _ in cases:  # warm up: fill the parse cache and the OS file cache
            subprocess.run(
                argv, cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        # Round-robin over the cases, so that a busy moment of the machine hits them all alike.
        samples: dict[str, list[float]] = {label: [] for label, _, _ in cases}
        for _ in range(args.runs):
            for label, argv, _ in cases:
                samples[label].append(timed(argv, 1, folder, env))
        print(f"{'case':<52} {'median':>9} {'budget':>8}")
        failed = False
        for label, _, budget in cases:
            median = statistics.median(samples[label])
            verdict = "" if budget is None else ("ok" if median <= budget else "OVER")
            failed |= verdict == "OVER"
            shown = "-" if budget is None else f"{budget} ms"
            print(f"{label:<52} {median:7.1f} ms {shown:>8} {verdict}")
        if not args.skip_history:
            history_cases(folder, env, args.runs, mk, tuple(args.commits), args.repos)
        print(f"({args.runs} runs each, warm parse cache, on {os.cpu_count()} cores)")
        sys.exit(1 if failed else 0)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
