"""`remind install` / `uninstall`: what is written is shown first, written only when
confirmed, replaced on a second install and removed by uninstall. The crontab and
systemctl here are small stand-ins on PATH that keep what they are given in files."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from mentorkit.mail import timer


def _tool(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


@pytest.fixture
def tools(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    table = tmp_path / "crontab.txt"
    _tool(bin_dir, "crontab",
          f'if [ "$1" = -l ]; then cat "{table}" 2>/dev/null || {{ echo "no crontab" >&2; exit 1; }}; '
          f'else cat > "{table}"; fi\n')  # fmt: skip
    _tool(bin_dir, "systemctl", f'echo "$@" >> "{tmp_path / "systemctl.log"}"\n')
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path


def test_a_crontab_line_is_shown_and_written_only_with_yes(cli, repo, tools):
    shown = cli("remind", "install", "--cron")
    assert shown.exit_code == 2 and "pass --yes" in shown.stderr
    assert not (tools / "crontab.txt").exists()
    (tools / "crontab.txt").write_text("0 3 * * * backup\n")
    done = cli("remind", "install", "--cron", "--every", "10", "--yes")
    assert done.exit_code == 0, done.output
    table = (tools / "crontab.txt").read_text().splitlines()
    assert table[0] == "0 3 * * * backup"
    (line,) = table[1:]
    assert line in done.stdout
    assert line.startswith(f"*/10 * * * * cd {repo.resolve()} && {sys.executable} -m mentorkit")
    assert line.endswith(
        f">> {repo.resolve()}/.git/mentorkit/remind.log 2>&1 # {timer.timer_name(repo.resolve())}"
    )
    assert (repo / ".git" / "mentorkit").is_dir()  # a redirection into nothing would not run
    assert cli("remind", "install", "--cron", "--yes").exit_code == 0  # replaces, not adds
    assert len((tools / "crontab.txt").read_text().splitlines()) == 2
    gone = cli("remind", "uninstall", "--yes")
    assert gone.exit_code == 0
    assert (tools / "crontab.txt").read_text() == "0 3 * * * backup\n"
    assert cli("remind", "uninstall", "--yes").exit_code == 2


def test_a_path_with_quotes_and_percent_signs_reaches_cron_as_typed(tmp_path):
    odd = tmp_path / "it's 100% mine"
    line = timer._shell_quoted(str(odd))
    assert line == "'" + str(tmp_path) + "/it'\"'\"'s 100\\% mine'"


def test_a_systemd_user_timer_where_systemd_runs(cli, repo, tools, monkeypatch):
    monkeypatch.setattr(timer, "systemd_runs", lambda: True)
    done = cli("remind", "install", "--yes")
    assert done.exit_code == 0, done.output
    name = timer.timer_name(repo.resolve())
    units = tools / "config" / "systemd" / "user"
    service = (units / f"{name}.service").read_text()
    assert f'ExecStart="{sys.executable}" "-m" "mentorkit" "-f"' in service
    assert "OnCalendar=*:0/15" in (units / f"{name}.timer").read_text()
    assert f"--user enable --now {name}.timer" in (tools / "systemctl.log").read_text()
    assert cli("remind", "uninstall", "--yes").exit_code == 0
    assert not (units / f"{name}.timer").exists()
    assert f"--user disable --now {name}.timer" in (tools / "systemctl.log").read_text()
