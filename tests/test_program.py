"""The program view over many pairs: generated mentorships in bare repositories, fetched
by the system git; health verdicts, unreadable pairs, privacy, repeat runs, hostile input."""

from __future__ import annotations

import json
import subprocess
from dataclasses import fields
from datetime import date, timedelta
from pathlib import Path

import pytest

from mentorkit.domain.program import PairFigures, figures_of, health
from mentorkit.file.programfile import HealthRules
from tests.programgen import KINDS, Made, bare_repository, commit, mentorship_text

TODAY = date(2026, 11, 26)
STATUS = ("program", "status", "--json")
PAIRS = 20


@pytest.fixture(scope="module")
def remotes(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Made]]:
    """20 generated pairs (every kind, two withholding field sets) and four broken ones."""
    folder = tmp_path_factory.mktemp("remotes")
    made = []
    for i in range(PAIRS):
        kind = KINDS[i % len(KINDS)]
        withhold = ["feedback", "kpis"] if i in (5, 6) else None
        if i == 7:
            withhold = ["names", "agreement", "meetings", "actions"]
        pair = mentorship_text(i, kind, TODAY, withhold=withhold)
        bare_repository(folder / f"pair{i:02d}.git", {"mentorship.yaml": pair.text})
        made.append(pair)
    bare_repository(folder / "nofile.git", {"README.md": "nothing here\n"})
    bare_repository(
        folder / "invalid.git", {"mentorship.yaml": "people:\n  mentor: [ZQXINVALIDMARKER\n"}
    )
    bare_repository(folder / "badvalue.git", {"mentorship.yaml": made[0].text.replace(
        f"due: {TODAY + timedelta(days=3)}", "due: ZQXBADVALUEMARKER", 1)})  # fmt: skip
    return folder, made


def _program(cli, remotes: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("program", "init", "Associates 2027", "--lead", "Diane Whitaker").exit_code == 0
    for i in range(PAIRS):
        assert (
            cli(
                "program", "add", str(remotes / f"pair{i:02d}.git"), "--name", f"pair {i:02d}"
            ).exit_code
            == 0
        )
    for args in (
        (str(remotes / "nofile.git"), "--name", "no file"),
        (str(remotes / "invalid.git"), "--name", "invalid"),
        (str(remotes / "badvalue.git"), "--name", "bad value"),
        (str(remotes / "missing.git"), "--name", "unreachable"),
        (str(remotes / "pair00.git"), "--branch", "gone", "--name", "no branch"),
    ):
        assert cli("program", "add", *args).exit_code == 0


def _status(cli, *args: str, today: date = TODAY):  # type: ignore[no-untyped-def]
    return cli("--today", str(today), "program", "status", *args)


def test_status_gives_each_pair_its_health_and_lists_the_unreadable(cli, remotes):
    folder, made = remotes
    _program(cli, folder)
    result = _status(cli, "--json")
    assert result.exit_code == 7
    assert "5 of 25 pairs could not be read" in result.stderr
    data = json.loads(result.stdout)["data"]
    by_label = {p["label"]: p for p in data["pairs"]}
    for i, pair in enumerate(made):
        row = by_label[f"pair {i:02d}"]
        expected = {
            "healthy": "healthy",
            "stalled": "stalled",
            "one-way": "attention",
            "overdue": "attention",
            "unagreed": "attention",
        }[pair.kind]
        if i in (5, 6):  # withholds feedback: a one-way pair shows as healthy
            expected = "healthy" if pair.kind == "one-way" else expected
        assert row["health"] == expected, (i, pair.kind, row["reasons"])
        figures = row["figures"]
        if i == 7:  # withholds all but feedback and KPIs: nothing else counts for its health
            assert row["names"] is None
            assert [k for k, v in figures.items() if v not in (None, [])] == [
                "withheld", "feedback_to_mentee",
                "feedback_to_mentor", "kpis_on_track", "kpis_off_track", "kpis",
                "contacts_to_mentee", "contacts_to_mentor", "replies_overdue", "feedback_days",
            ]  # fmt: skip
            assert row["reasons"] == ["feedback went only to the mentee in four weeks"]  # one-way
            assert row["days_without_meeting"] is None
            continue
        assert row["names"] == {"mentor": f"Mentor {i}", "mentee": f"Mentee {i}"}
        if pair.kind == "stalled":
            assert row["reasons"][0].startswith("no meeting for ")
            assert row["days_without_meeting"] > 21
        if pair.kind == "one-way" and i not in (5, 6):
            assert "feedback went only to the mentee in four weeks" in row["reasons"]
            assert (figures["feedback_to_mentee"], figures["feedback_to_mentor"]) == (4, 0)
        if pair.kind == "overdue":
            assert row["reasons"][0] == "6 items overdue (mentor 3, mentee 3)"
        if pair.kind == "unagreed":
            assert figures["agreed_by_both"] is False
        if pair.kind == "healthy":
            assert row["reasons"] == []
            assert figures["meetings_held"] == figures["meetings_scheduled"] > 0
            assert figures["agreed_by_both"] is True
            assert (figures["open_mentor"], figures["open_mentee"]) == (3, 3)
            assert figures["on_time_mentee"] == 1.0  # its one item done before it was due
            assert (figures["kpis_on_track"], figures["kpis"]) == (
                (None, None) if i == 5 else (1, 1)
            )
        assert (figures["contacts_to_mentee"], figures["contacts_to_mentor"]) == (1, 1)
        assert figures["replies_overdue"] == 1
        if i in (5, 6):
            assert figures["withheld"] == ["feedback", "kpis"]
            assert figures["feedback_to_mentee"] is None and figures["kpis"] is None
    reasons = {label: by_label[label]["problem"] for label in
               ("no file", "invalid", "bad value", "unreachable", "no branch")}  # fmt: skip
    assert reasons["no file"] == "no mentorship.yaml on branch main"
    assert reasons["invalid"].startswith("mentorship.yaml is not valid, at line 3")
    assert reasons["bad value"].startswith("mentorship.yaml is not valid, at line ")
    assert reasons["unreachable"].startswith("unreachable: ")
    assert reasons["no branch"] == "no branch gone in the repository"
    assert data["counts"]["unreadable"] == 5
    assert data["pairs"][0]["health"] == "unreadable"  # worst first


def test_sort_and_only_choose_the_rows(cli, remotes):
    folder, _ = remotes
    _program(cli, folder)
    stalled = _status(cli, "--only", "stalled", "--json")
    rows = json.loads(stalled.stdout)["data"]["pairs"]
    assert rows and {r["health"] for r in rows} == {"stalled"}
    quiet = json.loads(_status(cli, "--sort", "quiet", "--json").stdout)["data"]["pairs"]
    days = [r["days_without_meeting"] for r in quiet if r["days_without_meeting"] is not None]
    assert days == sorted(days, reverse=True)
    assert _status(cli, "--sort", "nonsense").exit_code == 2
    assert _status(cli, "--only", "sad").exit_code == 2


def test_no_text_from_any_pair_reaches_any_output(cli, remotes, tmp_path):
    folder, made = remotes
    _program(cli, folder)
    outputs = [
        _status(cli).stdout,
        _status(cli, "--json").stdout,
        _status(cli, "--csv").stdout,
        cli("--today", str(TODAY), "program", "report", "-o", "-").stdout,
        (Path.cwd() / ".mentorkit-program" / "state.json").read_text(),
    ]
    assert all(outputs)
    everything = "\n".join(outputs)
    assert "ZQX" not in everything  # no marker from any free-text field, nor an error's quote
    for pair in made:
        for value in pair.kpi_values:  # with their decimals: no commit ID or date holds a "."
            shown = {str(value), f"{value:g}", f"{value:.2f}", f"{value:.1f}"}
            assert not [s for s in shown if "." in s and s in everything], value
    assert "Mentor 3" in everything  # names are shown: the pair shares them


def test_the_figures_hold_no_text():
    text_fields = [f.name for f in fields(PairFigures) if "str" in str(f.type)]
    assert text_fields == []
    made = mentorship_text(1, "healthy", TODAY)
    from mentorkit.file.storage import parse

    m = parse(made.text, "x").mentorship
    figures = figures_of(m, m.schedule.first and _noon(TODAY), TODAY)
    for f in fields(figures):
        value = getattr(figures, f.name)
        assert not isinstance(value, str)
        if isinstance(value, tuple):
            assert all(not isinstance(v, str) for v in value) or f.name == "withheld"


def _noon(day: date):  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def test_a_repeat_fetches_only_the_pairs_that_changed(cli, tmp_path):
    remotes = tmp_path / "remotes"
    for i in range(12):
        text = mentorship_text(i, KINDS[i % len(KINDS)], TODAY).text
        bare_repository(remotes / f"p{i}.git", {"mentorship.yaml": text})
    cli("program", "init", "Repeat")
    for i in range(12):
        cli("program", "add", str(remotes / f"p{i}.git"), "--name", f"p{i}")
    first = json.loads(_status(cli, "--json").stdout)["data"]["pairs"]
    assert all(p["fetched"] for p in first)
    state = Path(".mentorkit-program/state.json")
    written = state.stat().st_mtime_ns
    again = json.loads(_status(cli, "--json").stdout)["data"]["pairs"]
    assert not any(p["fetched"] for p in again)
    assert state.stat().st_mtime_ns == written  # nothing new: nothing written
    assert [p["figures"] for p in again] == [p["figures"] for p in first]
    changed = {2, 7, 11}
    for i in changed:  # a stalled pair meets again, the others change too
        text = mentorship_text(i, "healthy", TODAY, seed=99).text
        commit(remotes / f"p{i}.git", {"mentorship.yaml": text})
    third = json.loads(_status(cli, "--json").stdout)["data"]["pairs"]
    assert {int(p["label"][1:]) for p in third if p["fetched"]} == changed
    assert all(p["health"] == "healthy" for p in third if int(p["label"][1:]) in changed)
    # the next day, nothing new: nothing is fetched, and the figures move on a day
    later = json.loads(_status(cli, "--json", today=TODAY + timedelta(days=1)).stdout)["data"]
    assert not any(p["fetched"] for p in later["pairs"])
    before = {p["label"]: p["days_without_meeting"] for p in third}
    assert all(p["days_without_meeting"] == before[p["label"]] + 1 for p in later["pairs"])


def test_the_report_is_one_page_with_attention_distributions_and_trends(cli, remotes):
    folder, _ = remotes
    _program(cli, folder)
    result = cli("--today", str(TODAY), "program", "report", "-o", "program.html")
    assert result.exit_code == 7
    page = Path("program.html").read_text()
    assert page.startswith("<!DOCTYPE html>")
    for heading in ("Pairs needing attention", "Distributions", "The quarter, week by week",
                    "Meetings held", "Days since the last meeting"):  # fmt: skip
        assert heading in page
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")


def test_names_from_other_peoples_files_are_shown_never_acted_on(cli, tmp_path):
    made = mentorship_text(0, "healthy", TODAY).text
    hostile = made.replace("name: Mentor 0", 'name: "=HYPERLINK(\\"x\\") \\u202e <script>"', 1)
    assert hostile != made
    bare_repository(tmp_path / "h.git", {"mentorship.yaml": hostile})
    cli("program", "init", "Hostile")
    cli("program", "add", str(tmp_path / "h.git"))
    text = _status(cli).stdout
    label = json.loads(_status(cli, "--json").stdout)["data"]["pairs"][0]["label"]
    assert label == '=HYPERLINK("x") \u202e <script> & Mentee 0'  # the label: the two names
    assert "unreadable" not in text
    assert "\u202e" not in text and "\\u202e" in text
    csv_text = _status(cli, "--csv").stdout
    assert "'=HYPERLINK" in csv_text and "\u202e" not in csv_text
    page = cli("--today", str(TODAY), "program", "report", "-o", "-").stdout
    assert "<script>" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("program: [unclosed\n", "program.yaml, line"),
        ("program: X\nsecret: 1\n", "secret: unknown key"),
        ("program: X\npairs:\n- url: --upload-pack=touch pwned\n", "may not start with '-'"),
        ("program: X\npairs:\n- url: ext::sh -c touch% pwned\n", "ext:: and fd::"),
        ("program: X\npairs:\n- url: a.git\n  branch: -x\n", "is not a branch name"),
        ("program: X\npairs:\n- url: a.git\n  branch: a:b\n", "is not a branch name"),
        ("program: X\npairs:\n- url: a.git\n  file: ../../etc/passwd\n", "not a path inside"),
        ("program: X\nhealth:\n  stalled_after_days: 0\n", "from 1 to 3650"),
        ("program: X\nhealth:\n  one_way_feedback: 3\n", "true or false"),
        ('program: "X\\e[2J"\n', "without control characters"),
        ("program: X\npairs:\n- url: a.git\n- url: a.git\n", "the same repository"),
        ("program: &a X\nlead: *a\n", "program.yaml"),
        ("", "program.yaml is empty"),
    ],
)
def test_a_hostile_program_file_gets_one_sentence(cli, text, said):
    Path("program.yaml").write_text(text)
    result = _status(cli)
    assert result.exit_code == 4, result.output
    assert said in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not Path("pwned").exists()
    assert "\x1b" not in result.stderr


def test_init_add_remove(cli, tmp_path):
    assert cli("program", "init", "P", "--stalled-after", "30").exit_code == 0
    assert cli("program", "init", "P").exit_code == 2  # never replaces a program file
    assert (
        cli(
            "program", "add", "https://tok:secret@git.example.com/a.git", "--branch", "trunk"
        ).exit_code
        == 0
    )
    assert cli("program", "add", "../b", "--name", "B", "--path", "mentoring/m.yaml").exit_code == 0
    text = Path("program.yaml").read_text()
    assert "stalled_after_days: 30" in text and "file: mentoring/m.yaml" in text
    assert cli("program", "add", "../b", "--name", "B", "--path", "mentoring/m.yaml").exit_code == 2
    assert cli("program", "remove", "B").exit_code == 0
    assert cli("program", "remove", "B").exit_code == 3
    Path("program.yaml").write_text(Path("program.yaml").read_text() + "# a comment\n")
    before = Path("program.yaml").read_text()
    assert cli("program", "add", "../c").exit_code == 1
    assert Path("program.yaml").read_text() == before


def test_a_password_in_a_url_is_never_shown(cli):
    cli("program", "init", "P")
    cli("program", "add", "https://tok:s3cr3t@127.0.0.1:9/a.git", "--name", "A")
    result = _status(cli, "--json", "--timeout", "20")
    assert result.exit_code == 7
    assert "s3cr3t" not in result.stdout
    assert json.loads(result.stdout)["data"]["pairs"][0]["where"] == "https://127.0.0.1:9/a.git"


def test_health_rules():
    base = dict.fromkeys((f.name for f in fields(PairFigures)), None)
    base.update(withheld=(), term_start=TODAY - timedelta(days=100), term_end=None,
                last_meeting=TODAY - timedelta(days=10), agreed_by_both=True,
                held_days=(), completed_days=(), feedback_days=())  # fmt: skip
    rules = HealthRules(stalled_after_days=21, overdue_items=3)
    assert health(PairFigures(**base), rules, TODAY).verdict == "healthy"
    quiet = PairFigures(**{**base, "last_meeting": TODAY - timedelta(days=22)})
    assert health(quiet, rules, TODAY).reasons == ("no meeting for 22 days",)
    never = PairFigures(**{**base, "last_meeting": None})
    assert health(never, rules, TODAY).reasons == (
        "no meeting held in the 100 days since the start",
    )
    overdue = PairFigures(**{**base, "overdue_mentor": 1, "overdue_mentee": 2})
    assert health(overdue, rules, TODAY).verdict == "attention"
    future = PairFigures(**{**base, "term_start": TODAY + timedelta(days=3)})
    assert health(future, rules, TODAY).verdict == "not started"
    withheld = PairFigures(**{**base, "withheld": ("meetings",), "last_meeting": None})
    assert health(withheld, rules, TODAY).verdict == "healthy"


def test_a_pair_withholds_in_its_own_file_and_the_file_keeps_it(cli, example):
    text = example.read_text().replace(
        "\ngoals:", "\nprogram:\n  withhold: [feedback, names]\ngoals:", 1
    )
    example.write_text(text)
    assert cli("validate").exit_code == 0
    assert cli("--as", "mentor", "--no-commit", "agenda", "add", "Talk").exit_code == 0
    assert "program:\n  withhold: [feedback, names]\n" in example.read_text()
    example.write_text(text.replace("[feedback, names]", "[feedback, diary]"))
    result = cli("validate")
    assert result.exit_code == 1 and "program.withhold[1]" in result.output


def _status_over_http(cli, server):  # type: ignore[no-untyped-def]
    """`program status` of one pair at http://…/pair.git, served by `server` meanwhile."""
    import threading

    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        cli("program", "init", "P")
        cli("program", "add", f"http://127.0.0.1:{server.server_port}/pair.git")
        return _status(cli, "--json", "--timeout", "30")
    finally:
        server.shutdown()


def test_a_private_repository_fails_at_once_without_asking_for_a_password(cli):
    """An HTTP server that wants a login: git may not prompt, so the pair is 'private'."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class LoginWanted(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="pairs"')
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    result = _status_over_http(cli, ThreadingHTTPServer(("127.0.0.1", 0), LoginWanted))
    assert result.exit_code == 7
    problem = json.loads(result.stdout)["data"]["pairs"][0]["problem"]
    assert problem.startswith("private: git could not log in"), problem


def test_the_program_file_is_found_walking_up_and_a_big_file_is_refused(cli, tmp_path):
    big = mentorship_text(0, "healthy", TODAY).text + "# " + "x" * 700_000 + "\n"
    bare_repository(tmp_path / "big.git", {"mentorship.yaml": big})
    cli("program", "init", "P")
    cli("program", "add", str(tmp_path / "big.git"), "--name", "big")
    below = Path("a/b")
    below.mkdir(parents=True)
    result = cli(
        "--today", str(TODAY), "program", "status", "--json", "--only", "unreadable,healthy"
    )
    assert result.exit_code == 7
    row = json.loads(result.stdout)["data"]["pairs"][0]
    assert row["problem"].endswith(" KB; mentorkit reads files of up to 600 KB")
    import os

    os.chdir(below)
    again = cli("--today", str(TODAY), "program", "status", "--only", "stalled")
    assert again.exit_code == 7 and "(no pair to show)" in again.stdout
    assert "1 of 1 pairs could not be read; `--only unreadable` lists them" in again.stderr


def test_a_progress_bar_shows_on_a_terminal_only(cli, tmp_path):
    for i in range(3):
        bare_repository(
            tmp_path / f"p{i}.git", {"mentorship.yaml": mentorship_text(i, "healthy", TODAY).text}
        )
    cli("program", "init", "P")
    for i in range(3):
        cli("program", "add", str(tmp_path / f"p{i}.git"))
    plain = _status(cli)
    assert "fetching" not in plain.stderr
    shown = cli("--today", str(TODAY), "program", "status", env={"FORCE_COLOR": "1"})
    assert shown.exit_code == 0 and "fetching" in shown.stderr


def test_a_term_that_ended_is_ended():
    base = dict.fromkeys((f.name for f in fields(PairFigures)), None)
    base.update(withheld=(), term_start=TODAY - timedelta(days=400), held_days=(),
                term_end=TODAY - timedelta(days=1), completed_days=(), feedback_days=())  # fmt: skip
    assert health(PairFigures(**base), HealthRules(), TODAY).verdict == "ended"


def test_a_remote_that_hangs_is_given_up_on_and_the_rest_are_read(cli, tmp_path):
    import time

    bare_repository(
        tmp_path / "ok.git", {"mentorship.yaml": mentorship_text(0, "healthy", TODAY).text}
    )
    cli("program", "init", "P")
    cli("program", "add", "ssh://pairs.example.com/hangs.git", "--name", "hangs")
    cli("program", "add", str(tmp_path / "ok.git"), "--name", "ok")
    started = time.monotonic()
    result = cli(
        "--today", str(TODAY), "program", "status", "--json", "--timeout", "2",
        env={"GIT_SSH_COMMAND": "sh -c 'sleep 60' ssh"},
    )  # fmt: skip
    assert time.monotonic() - started < 20
    assert result.exit_code == 7
    rows = {p["label"]: p for p in json.loads(result.stdout)["data"]["pairs"]}
    assert rows["hangs"]["problem"] == "unreachable: git did not finish within 2 seconds"
    assert rows["ok"]["health"] == "healthy"


def test_two_runs_at_once_do_not_share_the_cache(cli):
    from mentorkit.file.storage import exclusive

    cli("program", "init", "P")
    with exclusive(Path(".mentorkit-program"), "busy"):
        result = _status(cli)
    assert result.exit_code == 5
    assert "another `program status` or `program report` is reading" in result.stderr


def test_a_dumb_http_server_is_read_without_a_shallow_fetch(cli, tmp_path):
    """git over plain HTTP (a web server serving the repository's files) cannot fetch
    shallow; the pair is fetched whole instead."""
    import functools
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    served = tmp_path / "served"
    bare_repository(
        served / "pair.git", {"mentorship.yaml": mentorship_text(0, "healthy", TODAY).text}
    )
    subprocess.run(["git", "update-server-info"], cwd=served / "pair.git", check=True)

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(served))
    result = _status_over_http(cli, ThreadingHTTPServer(("127.0.0.1", 0), handler))
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)["data"]["pairs"][0]
    assert row["health"] == "healthy" and row["fetched"]


def test_only_gits_own_transports_are_used(cli):
    cli("program", "init", "P")
    cli("program", "add", "helper::anything", "--name", "helper")
    result = _status(cli, "--json")
    assert result.exit_code == 7
    problem = json.loads(result.stdout)["data"]["pairs"][0]["problem"]
    assert problem == "unreachable: transport 'helper' not allowed"


def test_ctrl_c_ends_every_git_command_under_way(tmp_path):
    """Interrupted while remotes hang: exit 130 at once, and no git (nor the ssh it started)
    goes on in the background."""
    import os
    import signal
    import sys
    import time

    Path("program.yaml").write_text(
        "program: P\npairs:\n"
        + "".join(f"- url: ssh://pairs.example.com/p{i}.git\n" for i in range(4))
    )
    marker = f"sleep 61.{os.getpid()}"
    env = {**os.environ, "GIT_SSH_COMMAND": f"sh -c '{marker}' ssh"}
    mentorkit = Path(sys.executable).with_name("mentorkit")
    process = subprocess.Popen(
        [str(mentorkit), "program", "status"], env=env, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not _running(marker):
        time.sleep(0.1)
    assert _running(marker), "the hanging remotes never started"
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == 130
    assert "interrupted; nothing was changed" in (process.stderr.read() if process.stderr else "")
    time.sleep(0.5)
    assert not _running(marker)


def _running(command: str) -> bool:
    listed = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    return any(line.startswith(command) for line in listed.splitlines())


def _pair_at(path: Path, text: str) -> None:
    bare_repository(path, {"mentorship.yaml": text})


def _git_stores(folder: Path) -> list[Path]:
    """Every git object store under `folder`."""
    return [p.parent for p in folder.rglob("objects") if p.is_dir()]


def test_a_locked_or_damaged_cache_mends_itself(cli, tmp_path):
    """What a killed fetch or a damaged disk leaves in the cache (a lock file, a repository
    without its objects) never makes a reachable pair unreadable."""
    _pair_at(tmp_path / "a.git", mentorship_text(0, "healthy", TODAY).text)
    cli("program", "init", "P")
    cli("program", "add", str(tmp_path / "a.git"), "--name", "A")
    assert _status(cli).exit_code == 0
    cache = Path(".mentorkit-program")
    for store in _git_stores(cache):  # whatever repository a run kept: its objects gone
        for found in (store / "objects").rglob("*"):
            if found.is_file():
                found.unlink()
    for leftover in (cache / "repos" / "x.git", cache / "fetching" / "pair-x.git"):
        leftover.mkdir(parents=True, exist_ok=True)
        (leftover / "shallow.lock").write_text("")
        (leftover / "HEAD").write_text("ref: refs/heads/pair\n")
    result = _status(cli, "--json", today=TODAY + timedelta(days=1))
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout)["data"]["pairs"][0]["health"] == "healthy"
    assert _git_stores(cache) == []


def test_git_is_ended_gently_first_so_it_can_remove_its_locks(tmp_path):
    import time

    from mentorkit.git import fleet

    said = tmp_path / "ended"
    process = subprocess.Popen(
        ["sh", "-c", f"trap 'echo TERM > {said}; exit 1' TERM; while :; do sleep 0.1; done"],
        start_new_session=True,
    )
    time.sleep(0.3)
    fleet._kill(process)
    assert process.wait(timeout=5) != 0
    assert said.read_text() == "TERM\n"


def test_a_file_over_the_limit_is_never_read_and_not_fetched_again(tmp_path):
    """The size is checked before any of the file is read: a 64 MB file costs no more
    memory than a small one (no process holds it whole), and a repeat does not fetch it
    again."""
    import os
    import sys

    text = mentorship_text(0, "healthy", TODAY).text + ("# " + "y" * 998 + "\n") * 64_000
    _pair_at(tmp_path / "huge.git", text)
    del text
    Path("program.yaml").write_text(f"program: P\npairs:\n- url: {tmp_path / 'huge.git'}\n")
    mentorkit = Path(sys.executable).with_name("mentorkit")
    measure = (
        "import json, resource, subprocess, sys;"
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
        "print(json.dumps([r.returncode, r.stdout,"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))"
    )
    runs = []
    for _ in range(2):
        out = subprocess.run(
            [sys.executable, "-c", measure, str(mentorkit), "--today", str(TODAY), *STATUS],
            capture_output=True, text=True, check=True, env=os.environ,
        ).stdout  # fmt: skip
        runs.append(json.loads(out))
    for code, stdout, peak_kb in runs:
        assert code == 7
        assert peak_kb < 62_000, peak_kb  # the file alone is 64 MB
        row = json.loads(stdout)["data"]["pairs"][0]
        assert row["problem"].startswith("mentorship.yaml is 64,")
        assert row["problem"].endswith(" KB; mentorkit reads files of up to 600 KB")
    assert [json.loads(r[1])["data"]["pairs"][0]["fetched"] for r in runs] == [True, False]


def test_no_pair_text_stays_on_the_leads_disk(cli, remotes):
    """After a run the cache holds no git object store and no marker in any file."""
    folder, _ = remotes
    _program(cli, folder)
    assert _status(cli).exit_code == 7
    cache = Path(".mentorkit-program")
    stores = _git_stores(cache)
    for store in stores:  # were any kept, every object in them is searched
        objects = subprocess.run(
            ["git", "cat-file", "--batch-all-objects", "--batch"],
            cwd=store, capture_output=True, check=False,
        ).stdout  # fmt: skip
        assert b"ZQX" not in objects, store
    assert stores == []
    for found in cache.rglob("*"):
        if found.is_file():
            assert b"ZQX" not in found.read_bytes(), found


@pytest.mark.parametrize(
    ("url", "secrets"),
    [
        ("git://dave:gitPW77@127.0.0.1:9/z.git", ("gitPW77", "dave")),
        ("https://bob:pa@ss3cret@127.0.0.1:9/y.git", ("ss3cret", "pa@", "bob")),
        ("http://alice:s3cretPW@127.0.0.1:9/x.git", ("s3cretPW", "alice")),
    ],
)
def test_credentials_in_a_url_are_shown_nowhere(cli, url, secrets):
    said = [cli("program", "init", "P")]
    said.append(cli("program", "add", url))
    said += [_status(cli, *args, "--timeout", "20") for args in ((), ("--json",), ("--csv",))]
    said.append(cli("--today", str(TODAY), "program", "report", "-o", "-", "--timeout", "20"))
    said.append(cli("program", "add", url))  # a duplicate: refused
    said.append(cli("program", "remove", url))
    said.append(cli("program", "remove", url))  # no longer there
    assert [r.exit_code for r in said] == [0, 0, 7, 7, 7, 7, 2, 0, 3]
    everything = "\n".join(r.stdout + r.stderr for r in said)
    assert "127.0.0.1:9" in everything
    for secret in secrets:
        assert secret not in everything, secret


def test_without_credentials_cleans_gits_words():
    from mentorkit.domain.program import shown_url, without_credentials

    url = "https://bob:pa@ss3cret@example.com/y.git"
    assert shown_url(url) == "https://example.com/y.git"
    said = "unable to look up bob:pa@ss3cret@example.com; see https://bob:pa%40ss3cret@example.com"
    assert "ss3cret" not in without_credentials(said, url)
    assert without_credentials("fatal: bob:pa@ss3cret@example.com", url) == "fatal: example.com"


def test_one_repository_written_two_ways_is_one_pair(cli, tmp_path):
    _pair_at(tmp_path / "a.git", mentorship_text(0, "healthy", TODAY).text)
    os_chdir = __import__("os").chdir
    os_chdir(tmp_path)
    cli("program", "init", "P")
    assert cli("program", "add", "a.git", "--name", "A").exit_code == 0
    for again in ("./a.git", "a.git/", "x/../a.git"):
        result = cli("program", "add", again, "--name", "B")
        assert result.exit_code == 2, again
        assert "the same repository, branch and file as pairs[0]" in result.stderr


def test_figures_kept_for_the_day_move_when_a_meeting_passes(cli, tmp_path, monkeypatch):
    from datetime import UTC

    from mentorkit.commands.context import Options
    from mentorkit.domain import schedule
    from mentorkit.file.storage import parse

    text = mentorship_text(0, "healthy", TODAY).text
    _pair_at(tmp_path / "a.git", text)
    cli("program", "init", "P")
    cli("program", "add", str(tmp_path / "a.git"), "--name", "A")
    m = parse(text, "x").mentorship
    meeting = schedule.next_meeting(m.schedule, _noon(TODAY)).start.astimezone(UTC)

    def run_at(moment):  # type: ignore[no-untyped-def]
        monkeypatch.setattr(Options, "now", property(lambda self: moment))
        monkeypatch.setattr(Options, "today", property(lambda self: moment.date()))
        return json.loads(cli("program", "status", "--json").stdout)["data"]["pairs"][0]

    before = run_at(meeting - timedelta(minutes=1))
    after = run_at(meeting + timedelta(minutes=1))
    import shutil

    shutil.rmtree(".mentorkit-program")
    truth = run_at(meeting + timedelta(minutes=1))
    assert before["figures"]["next_meeting"] == str(meeting.date())
    assert truth["figures"]["next_meeting"] != before["figures"]["next_meeting"]
    assert after["figures"] == truth["figures"]
    # a later run the same day, nothing new: the kept figures hold again
    assert not run_at(meeting + timedelta(hours=2))["fetched"]


def test_a_mentorship_file_committed_as_a_link_is_read(cli, tmp_path):
    from tests.conftest import git

    work = tmp_path / "work"
    (work / "records").mkdir(parents=True)
    (work / "records" / "mentorship.yaml").write_text(mentorship_text(0, "healthy", TODAY).text)
    (work / "mentorship.yaml").symlink_to("records/mentorship.yaml")
    (work / "outside.yaml").symlink_to("/etc/hostname")
    git(work, "init", "-q", "-b", "main")
    git(work, "add", ".")
    git(work, "-c", "user.name=m", "-c", "user.email=m@x.org", "commit", "-qm", "i")
    git(tmp_path, "clone", "-q", "--bare", str(work), "sym.git")
    cli("program", "init", "P")
    cli("program", "add", str(tmp_path / "sym.git"), "--name", "SYM")
    cli("program", "add", str(tmp_path / "sym.git"), "--name", "OUT", "--path", "outside.yaml")
    rows = {p["label"]: p for p in json.loads(_status(cli, "--json").stdout)["data"]["pairs"]}
    assert rows["SYM"]["health"] == "healthy", rows["SYM"]["problem"]
    assert rows["OUT"]["problem"] == (
        "outside.yaml is a link to nothing in the repository on branch main"
    )


def test_an_invalid_files_reason_takes_nothing_from_its_text(cli, tmp_path):
    text = mentorship_text(0, "healthy", TODAY).text
    bad = text.replace("start: ", 'start: "(31337 problems) line 4242" #', 1)
    assert bad != text
    _pair_at(tmp_path / "bad.git", bad)
    cli("program", "init", "P")
    cli("program", "add", str(tmp_path / "bad.git"), "--name", "bad")
    problem = json.loads(_status(cli, "--json").stdout)["data"]["pairs"][0]["problem"]
    assert "31337" not in problem and "4242" not in problem, problem
    line = 1 + bad[: bad.index("(31337")].count("\n")
    assert problem.startswith(f"mentorship.yaml is not valid, at line {line};"), problem


def test_a_pair_withholding_everything_is_not_called_healthy():
    from mentorkit.file.model import SHARED_SETS

    made = mentorship_text(1, "healthy", TODAY, withhold=list(SHARED_SETS))
    from mentorkit.file.storage import parse

    figures = figures_of(parse(made.text, "x").mentorship, _noon(TODAY), TODAY)
    assert figures.term_start is None and figures.term_end is None  # the term is the agreement's
    verdict = health(figures, HealthRules(), TODAY)
    assert verdict.verdict == "withheld"
    assert verdict.reason == "the pair shares none of the figures health is judged by"


def test_two_runs_at_the_same_time_never_call_a_pair_unreachable(tmp_path):
    import os
    import sys

    for i in range(6):
        _pair_at(tmp_path / f"p{i}.git", mentorship_text(i, "healthy", TODAY).text)
    Path("program.yaml").write_text(
        "program: P\npairs:\n" + "".join(f"- url: {tmp_path / f'p{i}.git'}\n" for i in range(6))
    )
    mentorkit = Path(sys.executable).with_name("mentorkit")
    runs = [
        subprocess.Popen(
            [str(mentorkit), "--today", str(TODAY), "program", "status", "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ,
        )
        for _ in range(3)
    ]
    results = [(r.wait(timeout=120), r.stdout.read(), r.stderr.read()) for r in runs]  # type: ignore[union-attr]
    assert {code for code, _, _ in results} <= {0, 5}, results
    assert 0 in {code for code, _, _ in results}
    for code, out, said in results:
        if code == 5:
            assert "another `program status` or `program report` is reading" in said
        else:
            assert all(p["problem"] is None for p in json.loads(out)["data"]["pairs"])


def test_the_report_never_replaces_the_program_file(cli):
    cli("program", "init", "P")
    before = Path("program.yaml").read_text()
    result = cli("program", "report", "-o", "program.yaml")
    assert result.exit_code == 2
    assert "program.yaml is the program file; give another file name" in result.stderr
    assert Path("program.yaml").read_text() == before


def test_an_empty_program_file_points_to_program_init(cli):
    Path("program.yaml").write_text("# nothing yet\n")
    result = cli("program", "status")
    assert result.exit_code == 4
    assert "run `mentorkit program init` to start a program file" in result.stderr


def test_a_narrow_terminal_gets_the_columns_that_fit():
    from mentorkit.domain.program import PairSeen, build
    from mentorkit.views.program import status_lines

    made = mentorship_text(1, "stalled", TODAY)
    from mentorkit.file.storage import parse

    figures = figures_of(parse(made.text, "x").mentorship, _noon(TODAY), TODAY)
    pairs = [PairSeen("A & B", "/x.git", "main", ("A", "B"), figures)]
    view = build("P", None, pairs, HealthRules(), TODAY)

    def table(width):  # type: ignore[no-untyped-def]
        return ["".join(t for t, _ in line) for line in status_lines(view, width)[3:5]]

    header, row = table(80)
    assert header.split() == ["pair", "health", "quiet", "next", "overdue", "why"]
    assert row.startswith("A & B") and "stalled" in row and len(row.split("no meeting")[0]) < 80
    assert "agreed" in table(None)[0] and "agreed" in table(200)[0]


@pytest.mark.skipif(__import__("os").geteuid() != 0, reason="gives a repository away: root only")
def test_a_repository_of_another_user_is_explained(cli, tmp_path):
    import shutil

    _pair_at(tmp_path / "a.git", mentorship_text(0, "healthy", TODAY).text)
    shutil.chown(tmp_path / "a.git", "nobody")
    for found in (tmp_path / "a.git").rglob("*"):
        shutil.chown(found, "nobody")
    cli("program", "init", "P")
    cli("program", "add", str(tmp_path / "a.git"))
    problem = json.loads(_status(cli, "--json").stdout)["data"]["pairs"][0]["problem"]
    assert "safe.directory" in problem, problem


def test_small_words_are_right(cli, tmp_path):
    cli("program", "init", "P")
    added = cli("program", "add", str(tmp_path / "a.git"))
    assert added.stdout.rstrip().endswith("; 1 pair"), added.stdout
    Path("program.yaml").write_text("program: P\npairs: {}\n")
    refused = cli("program", "status")
    assert refused.exit_code == 4 and "expected a list of pairs" in refused.stderr
