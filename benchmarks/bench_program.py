"""`mentorkit program status` over many pairs on local bare remotes: the first run, a
repeat with nothing new, repeats after 10 and 100 pairs changed, and the next day.

Budget (500 pairs, this 2-core machine): first run 60 s, a repeat with nothing new 5 s,
peak memory 500 MB; the time of a repeat grows with the pairs that changed.

    python benchmarks/bench_program.py --pairs 500 --changed 10 100
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.programgen import KINDS, bare_repository, commit, mentorship_text  # noqa: E402

TODAY = date(2026, 11, 26)
MENTORKIT = Path(sys.executable).with_name("mentorkit")


def build(folder: Path, pairs: int, seed: int) -> None:
    remotes = folder / "remotes"
    lines = ["program: Benchmark", "lead: The lead", "pairs:"]
    for i in range(pairs):
        kind = random.Random(seed + i).choice(KINDS)
        text = mentorship_text(i, kind, TODAY, seed=seed).text
        bare_repository(remotes / f"pair{i:04d}.git", {"mentorship.yaml": text})
        lines += [f"- url: remotes/pair{i:04d}.git", "  branch: main"]
    (folder / "program.yaml").write_text("\n".join(lines) + "\n")


def run(folder: Path, today: date, jobs: int) -> tuple[float, float, float]:
    """Elapsed seconds, CPU seconds (mentorkit and its git processes), and the peak
    resident memory of any one process (MB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [str(MENTORKIT), "--today", str(today), "program", "status", "--json", "--jobs", str(jobs)],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "MENTORKIT_CACHE_DIR": str(folder / ".cache")},
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"program status failed ({done.returncode}): {done.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, after.ru_maxrss / 1024


def change(folder: Path, count: int, seed: int, offset: int) -> None:
    chosen = random.Random(seed + offset).sample(
        range(len(list((folder / "remotes").iterdir()))), count
    )
    for i in chosen:
        text = mentorship_text(i, "healthy", TODAY, seed=seed + offset).text
        commit(folder / "remotes" / f"pair{i:04d}.git", {"mentorship.yaml": text})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=500)
    parser.add_argument("--changed", type=int, nargs="*", default=[10, 100])
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--keep", help="build the pairs in this folder and keep them")
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="mentorkit-program-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        started = time.perf_counter()
        build(folder, args.pairs, args.seed)
        print(f"built {args.pairs} pairs in {time.perf_counter() - started:.1f} s ({folder})")
        print(f"load average {os.getloadavg()[0]:.1f}; {os.cpu_count()} cores; --jobs {args.jobs}")
        print("| case | elapsed | CPU (with git) | peak memory |")
        print("|---|---|---|---|")

        def report(case: str, figures: tuple[float, float, float]) -> None:
            elapsed, cpu, peak = figures
            print(f"| {case} | {elapsed:.2f} s | {cpu:.2f} s | {peak:.0f} MB |", flush=True)

        report(f"first run, {args.pairs} pairs", run(folder, TODAY, args.jobs))
        report("repeat, nothing new", run(folder, TODAY, args.jobs))
        for n, count in enumerate(args.changed):
            change(folder, count, args.seed, n + 1)
            report(f"repeat, {count} pairs changed", run(folder, TODAY, args.jobs))
        report("next day, nothing new", run(folder, TODAY + timedelta(days=1), args.jobs))
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
