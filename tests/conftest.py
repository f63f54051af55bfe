from __future__ import annotations

import random
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from mentorkit.cli import app
from mentorkit.file.model import Mentorship

# No per-example deadline: a busy 2-core machine must not turn a slow example into a failure.
settings.register_profile("mentorkit", deadline=None)
settings.load_profile("mentorkit")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "mentorship.yaml"
DATA = Path(__file__).resolve().parent / "data"
TODAY = "2026-11-26"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own cache, no ambient mentorkit settings, and a git with a
    known global identity but no user-specific configuration."""
    for name in (
        "MENTORKIT_FILE",
        "MENTORKIT_ROLE",
        "MENTORKIT_TODAY",
        "MENTORKIT_DEBUG",
        "NO_COLOR",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MENTORKIT_CACHE_DIR", str(tmp_path / ".cache"))
    gitconfig = tmp_path / ".gitconfig"
    gitconfig.write_text("[init]\n\tdefaultBranch = main\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("TZ", "UTC")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


class Cli:
    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(
        self, *args: str, input: str | None = None, env: dict[str, str] | None = None
    ) -> Run:
        result = self.runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.fixture
def example(isolated: Path) -> Path:
    """The bundled example copied into the test's folder as mentorship.yaml."""
    target = isolated / "mentorship.yaml"
    shutil.copyfile(EXAMPLE, target)
    return target


def git(folder: Path, *args: str, env: dict[str, str] | None = None) -> str:
    import os

    result = subprocess.run(
        ["git", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(env or {})},
    )
    return result.stdout


@pytest.fixture
def repo(example: Path) -> Path:
    """The example in a fresh git repository, committed by the mentee."""
    folder = example.parent
    git(folder, "init", "--quiet")
    git(folder, "config", "user.name", "Tomás Okonkwo-Reyes")
    git(folder, "config", "user.email", "tomas.okonkwo@example.co.uk")
    git(folder, "add", "mentorship.yaml")
    git(folder, "commit", "--quiet", "-m", "Start")
    return folder


INIT_FLAGS = [
    "--mentor-name", "Diane Whitaker",
    "--mentor-email", "diane@example.com",
    "--mentor-tz", "America/Chicago",
    "--mentee-name", "Tomás Okonkwo-Reyes",
    "--mentee-email", "tomas@example.co.uk",
    "--mentee-tz", "Europe/London",
    "--start", "2026-03-02",
]  # fmt: skip


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    """A self-signed certificate for the test mail server, made once per session."""
    from tests.smtpserver import make_certificate

    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def server(certificate):
    """A real SMTP server on localhost (STARTTLS, AUTH), stopped after the test."""
    from tests.smtpserver import MailServer

    running = MailServer(*certificate)
    running.start()
    yield running
    running.stop()


@pytest.fixture
def mailing(repo, server):
    """The example's repository, set up to send through `server`."""
    from tests.smtpserver import configure

    configure(repo, server)
    return repo


# --------------------------------------------------------------------------- domain tests
# A mentorship built in memory from plain objects, for the domain's own tests: no file, no
# git, no clock. Its term starts on 2026-03-02; its meetings are monthly on the first
# Tuesday at 10:00 in Chicago; `DAY` is the fixed `today` those tests use.

DAY = date(2026, 11, 26)


def make_mentorship(**answers: object) -> Mentorship:
    """A fresh mentorship as `init` makes it (Diane mentoring Tomás), with `answers`
    replacing any of the interview's answers."""
    from mentorkit.domain.agreement import InitAnswers, PersonAnswers, new_mentorship

    given: dict[str, object] = {
        "mentor": PersonAnswers("Diane Whitaker", "diane@example.com", "America/Chicago"),
        "mentee": PersonAnswers("Tomás Okonkwo-Reyes", "tomas@example.co.uk", "Europe/London"),
        "start": date(2026, 3, 2),
        "cadence": "monthly on the first tuesday",
        "first_meeting": date(2026, 3, 3),
        "time": "10:00",
        "timezone": "America/Chicago",
    }
    return new_mentorship(InitAnswers(**{**given, **answers}))


@pytest.fixture
def m() -> Mentorship:
    return make_mentorship()


def seeded(seed: int = 16) -> random.Random:
    """IDs from a seeded generator, so a test can name the items it creates."""
    return random.Random(seed)
