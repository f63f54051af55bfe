"""Measure how fast `remind` decides what is due on a five-year mentorship (budget 300 ms).

Two figures, each a median over several moments of the week (a meeting's eve, a feedback
day, a Monday digest, a follow-up overdue): the decision alone, in process, against a
record of five years of reminders already sent (what `remind` reads from git); and the
whole `mentorkit remind --dry-run` as users run it, a fresh process outside git, beside
`python -c pass` on the same machine.

    python benchmarks/bench_remind.py [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import five_year_mentorship

from mentorkit.domain.reminders import due_reminders, quiet_hours
from mentorkit.file import fileformat, storage

BUDGET_MS = 300
MOMENTS = [
    "2026-11-30T16:30Z",  # a meeting's eve, and a Monday: briefs and a digest
    "2026-11-27T14:00Z",  # a Friday: the feedback day in London and Chicago
    "2026-11-05T17:00Z",  # a follow-up not sent within two working days
    "2026-11-25T03:00Z",  # nothing due (quiet hours in London)
]


def sent_keys(m, now: datetime) -> set[str]:
    """Five years of reminders already sent, as the record of mail sent would hold them."""
    keys: set[str] = set()
    moment = datetime(2022, 1, 3, tzinfo=UTC)
    while moment < now:
        keys.update(d.key for d in due_reminders(m, moment))
        moment += timedelta(hours=8)
    return keys


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "five-years.yaml"
        path.write_text(fileformat.dump_text(five_year_mentorship()), encoding="utf-8")
        m = storage.load(path).mentorship
        quiet = quiet_hours("21:00-08:00")
        began = time.perf_counter()
        sent = sent_keys(m, datetime(2026, 11, 24, tzinfo=UTC))
        print(
            f"record of mail sent: {len(sent)} keys, built in {time.perf_counter() - began:.1f} s"
        )
        decide = []
        for text in MOMENTS:
            now = datetime.fromisoformat(text.replace("Z", "+00:00"))
            samples = []
            for _ in range(args.runs):
                t = time.perf_counter()
                due_reminders(m, now, sent=sent, quiet=quiet)
                samples.append((time.perf_counter() - t) * 1000)
            decide.append(statistics.median(samples))
        # As users run it: bytecode compiled once and cached (without this, an environment
        # with PYTHONDONTWRITEBYTECODE compiles every module from source on every run).
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        import compileall

        import mentorkit

        compileall.compile_dir(Path(mentorkit.__file__).parent, quiet=1)
        whole: list[float] = []
        cpu: list[float] = []
        base = []
        for text in MOMENTS:
            argv = [sys.executable, "-m", "mentorkit", "-f", str(path), "remind", "--dry-run",
                    "--now", text]  # fmt: skip
            for _ in range(args.runs):
                t, used = time.perf_counter(), _children_cpu()
                subprocess.run(argv, cwd=tmp, env=env, check=True, capture_output=True)
                whole.append((time.perf_counter() - t) * 1000)
                cpu.append((_children_cpu() - used) * 1000)
        for _ in range(args.runs):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            base.append((time.perf_counter() - t) * 1000)
        print(f"file: {path.stat().st_size // 1024} KB, {len(m.actions)} actions, "
              f"{len(m.meetings)} meetings logged")  # fmt: skip
        print(f"python -c pass: {statistics.median(base):.1f} ms")
        for text, ms in zip(MOMENTS, decide, strict=True):
            print(f"decide at {text}: {ms:.1f} ms (budget {BUDGET_MS} ms)")
        print(f"mentorkit remind --dry-run (whole process, median of {len(whole)}): "
              f"{statistics.median(whole):.1f} ms elapsed, {statistics.median(cpu):.1f} ms CPU")  # fmt: skip
        if max(decide) > BUDGET_MS:
            raise SystemExit(f"over budget: {max(decide):.1f} ms")


if __name__ == "__main__":
    main()
