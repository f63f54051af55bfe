"""Running `remind` on a schedule for one clone: a systemd user timer where systemd runs,
else a line in the user's crontab. Each is named after the clone's folder, so that
installing twice replaces, and uninstalling removes only this clone's."""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from mentorkit.errors import EnvironmentProblem, UsageProblem


@dataclass
class Plan:
    """What installing or uninstalling writes and runs, to show before it is done."""

    kind: str  # "systemd" or "cron"
    name: str
    files: dict[Path, str | None] = field(default_factory=dict)  # None: remove it
    crontab: str | None = None  # the whole new crontab
    line: str | None = None  # the line added or removed
    commands: list[list[str]] = field(default_factory=list)


def timer_name(folder: Path) -> str:
    return "mentorkit-remind-" + hashlib.sha256(str(folder).encode()).hexdigest()[:10]


def systemd_runs() -> bool:
    return shutil.which("systemctl") is not None and Path("/run/systemd/system").is_dir()


def _unit_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "systemd" / "user"


def _checked(path: Path) -> str:
    text = str(path)
    if any(ord(c) < 32 or c == "\x7f" for c in text):
        raise UsageProblem(f"the path {text!r} holds a control character; move the clone first")
    return text


def _systemd_quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%") + '"'


def _shell_quoted(text: str) -> str:
    # cron passes the line to sh, and reads an unescaped % as a newline
    return shlex.quote(text).replace("%", "\\%")


def plan_install(file: Path, every: int, *, cron: bool) -> Plan:
    """A timer (or a crontab line) that runs `mentorkit remind` on `file` every `every`
    minutes, with the Python that runs this mentorkit."""
    folder = file.parent.resolve()
    name = timer_name(folder)
    argv = [
        _checked(Path(sys.executable)),
        "-m",
        "mentorkit",
        "-f",
        _checked(file.resolve()),
        "remind",
    ]
    if not cron and systemd_runs():
        units = _unit_dir()
        service = (
            "[Unit]\n"
            f"Description=mentorkit reminders for {_checked(folder)}\n\n"
            "[Service]\nType=oneshot\n"
            f"WorkingDirectory={_systemd_quoted(str(folder))}\n"
            f"ExecStart={' '.join(_systemd_quoted(a) for a in argv)}\n"
        )
        timer = (
            "[Unit]\n"
            f"Description=mentorkit reminders for {folder}, every {every} minutes\n\n"
            f"[Timer]\nOnCalendar=*:0/{every}\nPersistent=true\n\n"
            "[Install]\nWantedBy=timers.target\n"
        )
        return Plan(
            "systemd", name,
            files={units / f"{name}.service": service, units / f"{name}.timer": timer},
            commands=[["systemctl", "--user", "daemon-reload"],
                      ["systemctl", "--user", "enable", "--now", f"{name}.timer"]],
        )  # fmt: skip
    log = _log_file(folder)
    line = (
        f"*/{every} * * * * cd {_shell_quoted(str(folder))} && "
        f"{' '.join(_shell_quoted(a) for a in argv)} >> {_shell_quoted(str(log))} 2>&1 # {name}"
    )
    kept = [current for current in _crontab().splitlines() if not current.endswith(f"# {name}")]
    return Plan("cron", name, crontab="\n".join([*kept, line]) + "\n", line=line)


def _log_file(folder: Path) -> Path:
    """Where a crontab run's output goes: beside mentorkit's other files in the clone's git
    folder (a worktree's own, or `.git` above a file in a subfolder), made now, since a
    redirection into a missing folder would stop the command from running at all."""
    from mentorkit.git import git

    logs = git.git_dir(folder) / "mentorkit"
    logs.mkdir(parents=True, exist_ok=True)
    return logs / "remind.log"


def plan_uninstall(file: Path) -> Plan:
    folder = file.parent.resolve()
    name = timer_name(folder)
    units = _unit_dir()
    if (units / f"{name}.timer").exists():
        return Plan(
            "systemd", name,
            files={units / f"{name}.service": None, units / f"{name}.timer": None},
            commands=[["systemctl", "--user", "disable", "--now", f"{name}.timer"],
                      ["systemctl", "--user", "daemon-reload"]],
        )  # fmt: skip
    current = _crontab().splitlines()
    mine = [line for line in current if line.endswith(f"# {name}")]
    if not mine:
        raise UsageProblem("remind is not installed for this clone (no timer, no crontab line)")
    kept = [line for line in current if not line.endswith(f"# {name}")]
    return Plan("cron", name, crontab="".join(f"{line}\n" for line in kept), line=mine[0])


def _crontab() -> str:
    if shutil.which("crontab") is None:
        raise EnvironmentProblem("neither systemd nor crontab is here to run remind on a schedule")
    result = subprocess.run(
        ["crontab", "-l"], capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    return result.stdout if result.returncode == 0 else ""


def apply(plan: Plan) -> None:
    """Write and run what the plan says."""
    for path, text in plan.files.items():
        if text is None:
            path.unlink(missing_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if plan.crontab is not None:
        result = subprocess.run(
            ["crontab", "-"], input=plan.crontab, capture_output=True, text=True
        )
        if result.returncode != 0:
            raise EnvironmentProblem(f"crontab refused the new table: {result.stderr.strip()}")
    for command in plan.commands:
        result = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if result.returncode != 0 and "disable" not in command:
            raise EnvironmentProblem(f"{' '.join(command)} failed: {result.stderr.strip()}")
