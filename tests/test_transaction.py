"""The transaction every changing command runs: `change()` (whoever runs it must be known)
and `change_by_anyone()`: lock, load, apply one domain operation, validate, write, commit
with the operation's sentence. An empty sentence means nothing happened."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mentorkit.commands.context import Options, change, change_by_anyone
from mentorkit.errors import UsageProblem
from mentorkit.file.model import Mentorship, Role
from tests.conftest import TODAY, git


def _options(path: Path, role: str | None = None) -> Options:
    return Options(file=str(path), role=role, today_text=TODAY, commit=True, drop_comments=False)


def _hand_laid_out(repo: Path) -> Path:
    """The example in a layout of its own (as another YAML tool writes it), committed."""
    path = repo / "mentorship.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    git(repo, "commit", "--quiet", "-am", "Laid out by hand")
    return path


@pytest.mark.parametrize("transaction", [change, change_by_anyone])
def test_an_empty_sentence_writes_nothing_and_commits_nothing(repo: Path, transaction):
    path = _hand_laid_out(repo)
    before = path.read_bytes()

    def nothing_said(m: Mentorship, role: Role | None) -> tuple[None, str]:
        m.agreement.response_time = "whenever"  # changed, but the operation says nothing
        return None, ""

    assert transaction(_options(path, "mentor"), nothing_said) == (None, "")
    assert path.read_bytes() == before
    assert git(repo, "status", "--porcelain") == ""
    assert git(repo, "log", "--format=%s") == "Laid out by hand\nStart\n"


def test_a_change_is_committed_in_the_words_history_will_use(repo: Path):
    path = repo / "mentorship.yaml"

    def respond(m: Mentorship, role: Role) -> tuple[str, str]:
        m.agreement.response_time = "within a day"
        return role, f"{role} changed the response time"

    assert change(_options(path, "mentee"), respond) == (
        "mentee",
        "mentee changed the response time",
    )
    assert "response_time: within a day" in path.read_text(encoding="utf-8")
    subject = git(repo, "log", "-1", "--format=%s").strip()
    assert (
        subject == 'mentee changed the rule response time: "within 2 working days" → "within a day"'
    )
    assert git(repo, "status", "--porcelain") == ""


def test_change_refuses_when_nobody_known_runs_it_and_leaves_the_file(repo: Path):
    path = repo / "mentorship.yaml"
    git(repo, "config", "user.email", "stranger@example.org")
    before = path.read_bytes()
    called = []

    with pytest.raises(UsageProblem):
        change(_options(path), lambda m, role: (called.append(role), "x"))
    assert called == []
    assert path.read_bytes() == before


def test_change_by_anyone_passes_none_for_an_unknown_runner(repo: Path):
    path = repo / "mentorship.yaml"
    git(repo, "config", "user.email", "stranger@example.org")
    seen: list[Role | None] = []

    def note(m: Mentorship, role: Role | None) -> tuple[None, str]:
        seen.append(role)
        m.agreement.response_time = "within a day"
        return None, "someone changed the response time"

    change_by_anyone(_options(path), note)
    assert seen == [None]
    assert "response_time: within a day" in path.read_text(encoding="utf-8")
