"""Measure `git log -p` on the mentorship file after `mentorkit git setup` against the same
command without the textconv. Budget: at most 3x, with git's textconv cache (which `git
setup` turns on) warm; the first, cold run is printed next to it.

    python benchmarks/textconv.py [--commits 100] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import history_repository, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="mentorkit-bench-"))
    try:
        env = {**os.environ, "MENTORKIT_CACHE_DIR": str(folder / "cache"), "GIT_PAGER": "cat"}
        repo = history_repository(folder, commits=args.commits)
        subprocess.run([sys.executable, "-m", "mentorkit", "git", "setup"], cwd=repo, env=env,
                       check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        log = ["git", "log", "-p", "--", "mentorship.yaml"]
        plain = timed([*log[:3], "--no-textconv", *log[3:]], args.runs, repo, env)
        began = time.perf_counter()
        subprocess.run(log, cwd=repo, env=env, stdout=subprocess.DEVNULL, check=True)
        cold = (time.perf_counter() - began) * 1000
        warm = timed(log, args.runs, repo, env)
        ratio = warm / plain
        label = f"git log -p, {args.commits} commits"
        print(f"{label + ', without textconv':<52} {plain:9.1f} ms")
        print(f"{label + ', textconv, first run (cold cache)':<52} {cold:9.1f} ms")
        print(
            f"{label + ', textconv, cached':<52} {warm:9.1f} ms   {ratio:.1f}x of 3x "
            f"{'ok' if ratio <= 3 else 'OVER'}"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
