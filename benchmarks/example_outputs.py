"""The example's outputs, every byte: a scratch git repository with the bundled example, a
few everyday changes by both people at fixed times, then what people read (status,
check-in, report, schedule, calendar, stats, history, lists, the commit log), each written
to its own file in OUTDIR. Run it before and after a change that should not change what
users see, and compare the two folders (`diff -r`).

    python benchmarks/example_outputs.py OUTDIR
"""

from __future__ import annotations

import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from mentorkit.cli import app

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "mentorship.yaml"
TODAY = "2026-11-26"

CHANGES: list[tuple[str, list[str]]] = [
    ("2026-11-21T09:00:00+00:00", ["--as", "mentee", "action", "done", "a2tw"]),
    ("2026-11-21T10:00:00+00:00", ["--as", "mentee", "kpi", "record", "k7rd", "3"]),
    (
        "2026-11-22T15:30:00+00:00",
        ["--as", "mentor", "action", "add", "Mark up the liability memo", "--due", "friday"],
    ),
    (
        "2026-11-23T08:00:00+00:00",
        ["--as", "mentee", "action", "move", "a7ks", "+1w", "--reason", "court date moved"],
    ),
    (
        "2026-11-24T18:00:00+00:00",
        ["--as", "mentor", "feedback", "give", "The chronology was exactly what I needed."],
    ),
    ("2026-11-25T07:45:00+00:00", ["--as", "mentee", "agenda", "add", "Settlement ranges"]),
]

VIEWS: dict[str, list[str]] = {
    "status": ["status"],
    "status.json": ["status", "--json"],
    "rules": ["rules"],
    "rules.json": ["rules", "--json"],
    "validate": ["validate"],
    "schedule": ["schedule"],
    "schedule.json": ["schedule", "--json"],
    "export.ics": ["export", "ics", "-o", "-"],
    "checkin": ["--as", "mentee", "checkin", "--no-input"],
    "checkin.md": ["--as", "mentor", "checkin", "--no-input", "--format", "markdown"],
    "report.html": ["report", "--format", "html", "-o", "-"],
    "report.md": ["report", "--format", "md", "-o", "-"],
    "report-q3.md": ["report", "--quarter", "2026Q3", "--format", "md", "-o", "-"],
    "stats": ["stats"],
    "stats.json": ["stats", "--json"],
    "history": ["history"],
    "history.json": ["history", "--json"],
    "diff": ["diff"],
    "diff-head": ["diff", "HEAD~3"],
    "diff.json": ["diff", "--json"],
    "action-list": ["action", "list", "--status", "all"],
    "action-list.json": ["action", "list", "--json"],
    "action-show": ["action", "show", "a7ks"],
    "action-show.json": ["action", "show", "a7ks", "--json"],
    "goal-list": ["goal", "list"],
    "goal-list.json": ["goal", "list", "--json"],
    "goal-show": ["goal", "show", "g4mk"],
    "goal-show.json": ["goal", "show", "g4mk", "--json"],
    "kpi-show": ["kpi", "show", "k7rd"],
    "kpi-show.json": ["kpi", "show", "k7rd", "--json"],
    "resource-list": ["resource", "list"],
    "resource-list.json": ["resource", "list", "--json"],
    "feedback-list": ["feedback", "list"],
    "feedback-list.json": ["feedback", "list", "--json"],
    "agenda-list": ["agenda", "list"],
    "agenda-list.json": ["agenda", "list", "--json"],
    "followup": ["followup"],
    "followup.txt": ["followup", "--format", "text"],
    "followup-mailto": ["followup", "--mailto"],
}


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=True)
    return done.stdout


def run(runner: CliRunner, args: list[str], when: str | None = None) -> str:
    env = {"COLUMNS": "100", "TZ": "UTC", "NO_COLOR": "1"}
    if when:
        env |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    result = runner.invoke(app, ["--today", TODAY, *args], env=env, catch_exceptions=False)
    return f"{result.stdout}--- stderr\n{result.stderr}--- exit {result.exit_code}\n"


def main(outdir: Path) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    # IDs of new items come from secrets.choice: a seeded choice makes them the same each run.
    secrets.choice = random.Random(16).choice  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch)
        (home / ".gitconfig").write_text("[init]\n\tdefaultBranch = main\n")
        os.environ |= {
            "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
            "GIT_CONFIG_NOSYSTEM": "1",
            "MENTORKIT_CACHE_DIR": str(home / "cache"),
            "TZ": "UTC",
        }
        for name in ("MENTORKIT_FILE", "MENTORKIT_ROLE", "MENTORKIT_TODAY", "MENTORKIT_DEBUG"):
            os.environ.pop(name, None)
        folder = home / "repo"
        folder.mkdir()
        shutil.copyfile(EXAMPLE, folder / "mentorship.yaml")
        git(folder, "init", "--quiet")
        git(folder, "config", "user.name", "Tomás Okonkwo-Reyes")
        git(folder, "config", "user.email", "tomas.okonkwo@example.co.uk")
        git(folder, "add", "mentorship.yaml")
        start = "2026-11-20T12:00:00+00:00"
        os.environ |= {"GIT_AUTHOR_DATE": start, "GIT_COMMITTER_DATE": start}
        git(folder, "commit", "--quiet", "-m", "Start")
        for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
            os.environ.pop(name)
        os.chdir(folder)
        runner = CliRunner()
        log = [run(runner, args, when) for when, args in CHANGES]
        (outdir / "changes").write_text("".join(log))
        (outdir / "mentorship.yaml").write_text((folder / "mentorship.yaml").read_text())
        (outdir / "git-log").write_text(git(folder, "log", "--format=%an <%ae> %ad%n%B"))
        for name, args in VIEWS.items():
            (outdir / name).write_text(run(runner, args))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
