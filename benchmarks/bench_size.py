"""Measure validation and a write against the file size, up to the enforced size limit.

The budget: `validate` and one change (`agenda add`, saved and committed) each take at most
3 s of CPU time on a file as large as mentorkit accepts (storage.MAX_BYTES). Files are the bundled example grown with action
items; a file just over the limit must be refused quickly, before anything is parsed.

    python benchmarks/bench_size.py [--actions 10000 25000 50000 100000] [--runs 3]
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
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "mentorship.yaml"
sys.path.insert(0, str(ROOT / "src"))

from mentorkit.file import fileformat, storage  # noqa: E402
from mentorkit.file.model import ActionItem  # noqa: E402

BUDGET_S = 3.0


def grown(actions: int) -> str:
    m = storage.load(EXAMPLE).mentorship
    start = date(2026, 1, 1)
    for i in range(actions):
        m.actions.append(
            ActionItem(
                id=f"b{i:07d}",
                title=f"Read the next chapter of the deposition handbook, part {i}",
                owner="mentee" if i % 2 else "mentor",
                created=start + timedelta(days=i % 300),
                created_by="mentee",
                due=start + timedelta(days=i % 300 + 14),
                status="done" if i % 3 else "open",
                completed=start + timedelta(days=i % 300 + 10) if i % 3 else None,
            )
        )
    return fileformat.dump_text(m)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(
    argv: list[str], cwd: Path, env: dict[str, str], runs: int, reset: bytes | None
) -> tuple[float, float, int]:
    """Median CPU time (user + system of the child) and median elapsed time, and the exit code.

    CPU time is the budgeted figure: on a shared machine the elapsed time also counts the
    time other processes held the cores."""
    cpu, elapsed, code = [], [], 0
    for _ in range(runs):
        if reset is not None:
            (cwd / "mentorship.yaml").write_bytes(reset)
        began, began_cpu = time.perf_counter(), _children_cpu()
        code = subprocess.run(
            argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        ).returncode
        elapsed.append(time.perf_counter() - began)
        cpu.append(_children_cpu() - began_cpu)
    return statistics.median(cpu), statistics.median(elapsed), code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, nargs="*", default=[10_000, 20_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="mentorkit-size-"))
    script = Path(sys.executable).with_name("mentorkit")
    mk = [str(script)] if script.exists() else [sys.executable, "-m", "mentorkit"]
    env = {
        **os.environ,
        "MENTORKIT_CACHE_DIR": str(folder / "cache"),
        "MENTORKIT_TODAY": "2026-11-26",
    }
    failed = False
    try:
        print(
            f"limit: {storage.MAX_BYTES / 1e6:g} MB; budget {BUDGET_S:g} s for each of validate and a write"
        )
        print(
            f"{'actions':>8} {'size':>9} {'validate cpu (elapsed)':>24} {'write cpu (elapsed)':>24}"
            "  verdict"
        )
        for count in args.actions:
            data = grown(count).encode("utf-8")
            (folder / "mentorship.yaml").write_bytes(data)
            # A write is measured as users make it: saved and committed, with the commit
            # message that says what changed.
            shutil.rmtree(folder / ".git", ignore_errors=True)
            for command in (
                ["init", "--quiet"],
                ["config", "user.name", "Tomás Okonkwo-Reyes"],
                ["config", "user.email", "tomas.okonkwo@example.co.uk"],
                ["add", "mentorship.yaml"],
                ["commit", "--quiet", "--no-verify", "-m", "Start"],
            ):
                subprocess.run(["git", *command], cwd=folder, check=True, capture_output=True)
            size = len(data)
            # MENTORKIT_NO_CACHE: every run parses, as the first run after a pull does.
            cold = {**env, "MENTORKIT_NO_CACHE": "1"}
            check, check_wall, code = timed([*mk, "validate"], folder, cold, args.runs, None)
            write, write_wall, wcode = timed(
                [*mk, "--as", "mentee", "agenda", "add", "x"],
                folder,
                cold,
                args.runs,
                data,
            )
            within = size <= storage.MAX_BYTES
            if within:
                verdict = (
                    "ok"
                    if check <= BUDGET_S and write <= BUDGET_S and code == wcode == 0
                    else "OVER"
                )
            else:
                verdict = (
                    "refused"
                    if code != 0 and wcode == 4 and check <= 1 and write <= 1
                    else "NOT REFUSED QUICKLY"
                )
            failed |= verdict not in ("ok", "refused")
            print(
                f"{count:>8} {size / 1e6:>7.2f}MB {check:>10.2f}s ({check_wall:>7.2f}s)"
                f" {write:>10.2f}s ({write_wall:>7.2f}s)  {verdict}"
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
