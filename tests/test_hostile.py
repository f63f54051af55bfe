"""A hostile corpus: files, values, paths, environments and signals that another person or
the machine can throw at mentorkit. Each case names the sentence fragment a user sees and
the documented exit code, and the file must stay exactly as it was."""

from __future__ import annotations

import contextlib
import os
import pickle
import re
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mentorkit.file import storage

from .conftest import EXAMPLE, TODAY, git

MK = [sys.executable, "-m", "mentorkit"]
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HOSTILE = "Tab\tEsc\x1b[2J osc\x1b]52;c;cHduZWQ=\x07 c1\x9b31m bidi\u202etxt.exe"


def run(
    folder: Path, *args: str, env: dict[str, str] | None = None, **kw
) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def]
    return subprocess.run([*MK, *args], cwd=folder, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=60, **kw)  # fmt: skip


def _example() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def _replace(old: str, new: str) -> str:
    text = _example()
    assert old in text
    return text.replace(old, new, 1)


# --------------------------------------------------------------------------- files and values

FILES = {
    "a due date in year 9999": (
        lambda: _replace("  due: 2026-04-03\n", "  due: 9999-12-31\n"),
        "9999-12-31 is outside the dates mentorkit keeps (1900 to 2200)",
    ),
    "a term starting in year 1": (
        lambda: _replace("    start: 2026-03-02\n", "    start: 0001-01-01\n"),
        "outside the dates mentorkit keeps",
    ),
    "a schedule until year 9999": (
        lambda: _replace("  until: 2027-03-01\n", "  until: 9999-12-31\n"),
        "schedule.until: 9999-12-31 is outside the dates",
    ),
    "a moved meeting in year 9999": (
        lambda: _replace("    to: 2026-07-09T10:00\n", "    to: 9999-07-09T10:00\n"),
        "outside the dates mentorkit keeps",
    ),
    "a duration of 31 digits": (
        lambda: _replace("  duration: 60\n", "  duration: " + "9" * 31 + "\n"),
        "beyond the numbers mentorkit keeps",
    ),
    "a duration longer than a day": (
        lambda: _replace("  duration: 60\n", "  duration: 1441\n"),
        "schedule.duration: expected a number of minutes from 1 to 1440",
    ),
    "a revision of 10**100": (
        lambda: _replace("  duration: 60\n", "  duration: 60\n  revision: 1" + "0" * 100 + "\n"),
        "a number of 101 digits is longer than mentorkit keeps",
    ),
    "an integer literal of 5,000 digits": (
        lambda: _example() + "unknown: " + "7" * 5000 + "\n",
        "a number of 5000 digits is longer than mentorkit keeps",
    ),
    "a NaN target": (
        lambda: re.sub(r"target: [0-9.]+", "target: .nan", _example(), count=1),
        "nan is not a number mentorkit keeps",
    ),
    "a target of 1e308": (
        lambda: re.sub(r"target: [0-9.]+", "target: 1.0e+308", _example(), count=1),
        "beyond the numbers mentorkit keeps",
    ),
    "an octal duration (YAML 1.1)": (
        lambda: _replace("  duration: 60\n", "  duration: 0755\n"),
        "YAML 1.1 reads 0755 as an octal number",
    ),
    "a hexadecimal duration": (
        lambda: _replace("  duration: 60\n", "  duration: 0x3C\n"),
        "schedule.duration: expected a whole number, got 0x3C (YAML reads 0x3C as a "
        "hexadecimal number; put it in quotes if you mean the text) (line 44)",
    ),
    "a hexadecimal KPI value": (
        lambda: _replace("      value: 5\n", "      value: 0x1F\n"),
        "goals[g4mk].kpis[k7rd].measurements[1].value: expected a number, got 0x1F (YAML "
        "reads 0x1F as a hexadecimal number",
    ),
    "a title with a line break": (
        lambda: _replace(
            "  title: Draft the liability memo on the driver's app status\n",
            '  title: "Draft\\n2026-11-07 10:00 CST  abcdef1  mentee (Tomas) completed X"\n',
        ),
        "actions[a5ce].title: 'Draft\\n2026-11-07 10:00 CST  abcdef1  mentee (Tomas) "
        "completed X' has a line break; it must be on one line (line 144)",
    ),
    "a talking point with a line separator": (
        lambda: _replace(
            "- id: p8ym\n  text: How to value",
            '- id: p8ym\n  text: "Fake\\u2028line" # How to value\n  x: How to value',
        ),
        "agenda[p8ym].text: 'Fake\\u2028line' has a line break; it must be on one line",
    ),
    "a base-60 duration (YAML 1.1)": (
        lambda: _replace("  duration: 60\n", "  duration: 1:30\n"),
        "YAML 1.1 reads 1:30 as the number 90",
    ),
    "a time with a newline": (
        lambda: _replace("  time: '10:00'\n", '  time: "10:00\\n"\n'),
        "schedule.time: expected a time like '16:00'",
    ),
    "a name with a line break": (
        lambda: _replace(
            "    name: Diane Whitaker\n", '    name: "Diane\\r\\nBcc: x@evil.example"\n'
        ),
        "people.mentor.name: 'Diane\\r\\nBcc: x@evil.example' is not a name on one line",
    ),
}


@pytest.mark.parametrize("name", list(FILES))
def test_values_outside_the_documented_ranges_are_refused_on_load(cli, example: Path, name: str):
    make, fragment = FILES[name]
    example.write_text(make(), encoding="utf-8")
    before = example.read_bytes()
    for command, code in ((["validate"], 1), (["--as", "mentee", "agenda", "add", "x"], 4)):
        result = cli(*command)
        assert result.exit_code == code, result.output
        assert fragment in result.stderr and result.stderr.count("\n") < 30
    assert example.read_bytes() == before


INPUTS = [
    (["--today", "9999-12-31", "status"], 2, "--today: 9999-12-31 is outside the dates"),
    (["--today", "0001-01-01", "status"], 2, "--today: 0001-01-01 is outside the dates"),
    (["--as", "mentee", "kpi", "record", "k7rd", "1e308"], 2, "beyond the numbers mentorkit keeps"),
    (["--as", "mentee", "kpi", "record", "k7rd", "nan"], 2, "nan is not a number"),
    (["--as", "mentee", "kpi", "record", "k7rd", "１２"], 2, "'１２' is not a number (digits 0-9"),
    (["--as", "mentee", "kpi", "record", "k7rd", "1_0"], 2, "'1_0' is not a number (digits 0-9"),
    (
        ["--as", "mentee", "kpi", "record", "k7rd", "1000000000000001"],
        2,
        "1000000000000001 is beyond",
    ),
    (["--as", "mentee", "kpi", "record", "k7rd", "9" * 5000], 2, "is not a number mentorkit keeps"),
    (
        ["--as", "mentee", "action", "add", "Far", "--due", "9999-12-31"],
        2,
        "9999-12-31 is outside the dates mentorkit keeps (1900 to 2200); nothing was changed",
    ),
    (
        ["--as", "mentee", "action", "add", "Far", "--due", "1899-12-31"],
        2,
        "1899-12-31 is outside the dates",
    ),
    (
        ["--as", "mentee", "action", "add", "Far", "--due", "2201-01-01"],
        2,
        "2201-01-01 is outside the dates",
    ),
    (["--as", "mentee", "action", "add", "x\udcff"], 2, "is not UTF-8 text; nothing was changed"),
]


@pytest.mark.parametrize(("args", "code", "fragment"), INPUTS)
def test_typed_values_outside_the_ranges_are_refused(example: Path, args, code, fragment):
    before = example.read_bytes()
    argv = [a.encode("utf-8", "surrogateescape") for a in args]
    result = subprocess.run([*MK, *argv], cwd=example.parent, capture_output=True, timeout=60)
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == code or (code is None and result.returncode in (2, 4)), stderr
    assert fragment in stderr
    assert "Traceback" not in stderr
    assert example.read_bytes() == before


def test_unknown_keys_keep_their_yaml_11_spelling_and_emoji_stay_themselves(example: Path):
    text = _replace("format: 2\n", "format: 2\nperms: 0755\nflag: NO\nlength: 1:30\n")
    text = text.replace("  duration: 60\n", "  duration: 60\n  note_key: {'$date': '2020-01-01'}\n")
    example.write_text(text, encoding="utf-8")
    for attempt in range(2):  # the second goes through the parse cache
        result = run(example.parent, "--as", "mentee", "agenda", "add", f"Party 🎉 {attempt}")
        assert result.returncode == 0, result.stderr
    saved = example.read_text(encoding="utf-8")
    assert saved.startswith("format: 2\nperms: 0755\nflag: NO\nlength: 1:30\npeople:\n")  # in place
    assert "  duration: 60\n  note_key: {'$date': '2020-01-01'}\n  channel: video\n" in saved
    assert "Party 🎉 1" in saved and "\\U0001F389" not in saved


def test_the_parse_cache_never_changes_what_a_write_makes_of_unknown_keys(example: Path):
    """Keys that are not text (`1:`, `yes:`, `0755:` as typed) cannot pass through JSON as they
    are: the same change gives the same bytes with a warm cache as without one."""
    text = _replace("schedule:\n", "x_map:\n  1: one\n  0755: oct\n  yes: b\nschedule:\n")
    results = []
    for env in ({"MENTORKIT_NO_CACHE": "1"}, {}):
        example.write_text(text, encoding="utf-8")
        assert run(example.parent, "validate", env=env).returncode == 0  # warms the cache
        result = run(example.parent, "--as", "mentee", "agenda", "add", "p", env=env)
        assert result.returncode == 0, result.stderr
        saved = example.read_text(encoding="utf-8")
        results.append(saved[saved.index("x_map:") : saved.index("schedule:")])
    assert results[1] == results[0]
    assert "  0755: oct\n  yes: b\n" in results[0]


def test_a_forged_cache_entry_never_stands_in_for_the_file(example: Path, isolated: Path):
    storage.load(example)
    cache = isolated.parent / ".cache"
    (entry,) = cache.glob("*.pickle")
    signature, _, payload = entry.read_bytes().partition(b"\n")
    head, _, data = payload.partition(b"\n")
    checked, raw = pickle.loads(data)
    checked.mentorship.actions[0].title = raw["actions"][0]["title"] = "FORGED"
    entry.write_bytes(signature + b"\n" + head + b"\n" + pickle.dumps((checked, raw)))
    assert storage.load(example).mentorship.actions[0].title != "FORGED"
    # nor can a file's content make a valid entry without the user's key
    (cache / "key").unlink()
    assert storage.load(example).mentorship.actions[0].title != "FORGED"


# --------------------------------------------------------------------------- special files


@pytest.mark.parametrize(
    ("make", "code", "fragment"),
    [
        (lambda p: os.mkfifo(p), 4, "is not a regular file"),
        (lambda p: p.symlink_to("/dev/zero"), 4, "is not a regular file"),
        (lambda p: p.symlink_to(p), 74, "symbolic link loop"),
        (lambda p: p.mkdir(), 4, "is a folder, not a mentorship file"),
    ],
    ids=["fifo", "dev-zero", "link-loop", "folder"],
)
def test_special_files_are_refused_without_reading(isolated: Path, make, code, fragment):
    path = isolated / "mentorship.yaml"
    make(path)
    for command in (["status"], ["validate"], ["--as", "mentee", "agenda", "add", "x"]):
        started = time.monotonic()
        result = run(isolated, *command)
        assert time.monotonic() - started < 20
        expected = 1 if command == ["validate"] and code == 4 else code  # validate: 1 = invalid
        assert result.returncode == expected and fragment in result.stderr, result.stderr


def test_a_symlinked_file_is_followed_for_lock_and_write(example: Path):
    folder = example.parent / "real"
    folder.mkdir()
    target = folder / "mentorship.yaml"
    example.rename(target)
    example.symlink_to(target)
    processes = [
        subprocess.Popen(
            [*MK, "--as", "mentee", "--no-commit", "-f", str(path), "agenda", "add", f"Point {i}"],
            cwd=example.parent,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for i, path in enumerate([example, target] * 5)
    ]
    for process in processes:
        assert process.wait(timeout=60) == 0, process.stderr.read()  # type: ignore[union-attr]
    assert example.is_symlink()
    texts = [p.text for p in storage.load(target).mentorship.agenda]
    assert all(f"Point {i}" in texts for i in range(10))


def test_a_committed_link_leading_out_of_the_repository_is_refused(repo: Path):
    """The other person commits `mentorship.yaml` as a link to a path on this machine (another
    mentorship, a dotfile): no command reads or changes that file, and the hook refuses the
    link."""
    assert run(repo, "git", "setup").returncode == 0
    victim = repo.parent / "victim" / "mentorship.yaml"
    victim.parent.mkdir()
    victim.write_bytes((repo / "mentorship.yaml").read_bytes())
    before = victim.read_bytes()
    (repo / "mentorship.yaml").unlink()
    (repo / "mentorship.yaml").symlink_to(victim)
    for args in (["--as", "mentee", "action", "add", "Through the link"], ["status"]):
        result = run(repo, *args)
        assert result.returncode == 4, result.stderr
        assert result.stderr.endswith(
            f"mentorship.yaml leads to {victim.resolve()}, outside its git repository "
            f"{repo}; mentorkit reads and changes only a file inside it (replace the link with "
            "the file)\n"
        ), result.stderr
        assert result.stderr.count("\n") == 1
    assert victim.read_bytes() == before
    git(repo, "add", "mentorship.yaml")
    hook = subprocess.run(
        ["git", "commit", "-qm", "link"], cwd=repo, capture_output=True, text=True
    )
    assert hook.returncode != 0
    assert "mentorship.yaml is staged as a symbolic link; commit the file itself" in hook.stderr


def test_edit_through_a_symlink_edits_the_target(example: Path, isolated: Path):
    target = isolated.parent / "elsewhere.yaml"
    example.rename(target)
    example.symlink_to(target)
    editor = isolated.parent / "editor.sh"
    editor.write_text("#!/bin/sh\nsed -i 's/within 2 working days/within a day/' \"$1\"\n")
    editor.chmod(0o755)
    result = run(isolated, "--no-commit", "edit", env={"EDITOR": str(editor)})
    assert result.returncode == 0, result.stderr
    assert example.is_symlink() and "within a day" in target.read_text()


def test_outputs_to_devices_and_links_are_written_into_not_replaced(example: Path):
    import threading

    folder = example.parent
    fifo = folder / "pipe.md"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run(folder, "--today", TODAY, "report", "--format", "md", "-o", str(fifo))
    reader.join(timeout=60)
    assert result.returncode == 0, result.stderr
    assert fifo.is_fifo() and received[0].startswith(b"# Mentorship review")
    real = folder / "real.md"
    real.write_text("old")
    (folder / "link.md").symlink_to(real)
    result = run(folder, "--today", TODAY, "report", "--format", "md", "-o", "link.md")
    assert result.returncode == 0, result.stderr
    assert (folder / "link.md").is_symlink() and real.read_text().startswith("# Mentorship review")
    piped = run(folder, "--today", TODAY, "export", "ics", "-o", "-")
    assert piped.returncode == 0 and piped.stdout.startswith("BEGIN:VCALENDAR")
    stdout = run(folder, "--today", TODAY, "followup", "--eml", "-")
    assert stdout.returncode == 0 and "Subject: Follow-up" in stdout.stdout


# --------------------------------------------------------------------------- environment


@pytest.mark.parametrize(
    "args",
    [
        ["followup", "--eml", "mentorship.yaml"],
        ["report", "-o", "./mentorship.yaml"],
        ["export", "ics", "-o", "link.yaml"],
    ],
    ids=" ".join,
)
def test_an_output_never_replaces_the_mentorship_file(example: Path, args: list[str]):
    (example.parent / "link.yaml").symlink_to("mentorship.yaml")
    before = example.read_bytes()
    result = run(example.parent, "--as", "mentor", "--today", TODAY, *args)
    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        f"error: {args[-1]} is the mentorship file itself; give another file name; "
        "nothing was written\n"
    )
    assert example.read_bytes() == before


def test_a_full_disk_is_one_sentence(example: Path):
    result = run(example.parent, "--today", TODAY, "report", "-o", "/dev/full")
    assert result.returncode == 74
    assert result.stderr == "error: cannot write /dev/full: the disk is full; nothing was written\n"


def test_a_file_size_limit_leaves_the_file_as_it_was(example: Path):
    before = example.read_bytes()

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    result = run(example.parent, "--as", "mentee", "agenda", "add", "x", preexec_fn=limit)
    assert result.returncode == 74, result.stderr
    assert (
        "cannot save mentorship.yaml: the file is larger than this process may write"
        in result.stderr
    )
    assert "nothing was changed" in result.stderr
    assert example.read_bytes() == before
    assert not [p for p in example.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_change_that_would_pass_the_size_limit_is_refused_before_saving(example: Path):
    text = example.read_text(encoding="utf-8")
    padding = storage.MAX_BYTES - len(text.encode("utf-8")) - 100
    example.write_text(f"{text}x_padding: {'a' * padding}\n", encoding="utf-8")
    before = example.read_bytes()
    result = run(example.parent, "--as", "mentee", "agenda", "add", "x" * 300)
    assert result.returncode == 4, result.stderr
    assert re.fullmatch(
        r"error: saving would make mentorship\.yaml [\d,]+ KB; mentorkit reads and writes "
        rf"mentorship files of up to {storage.MAX_BYTES // 1000:,} KB; nothing was changed\n",
        result.stderr,
    ), result.stderr
    assert example.read_bytes() == before


def test_a_closed_stdout_says_the_change_was_saved(repo: Path):
    process = subprocess.Popen([*MK, "--as", "mentee", "agenda", "add", "Saved anyway"], cwd=repo,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    process.stdout.close()  # type: ignore[union-attr]
    stderr = process.stderr.read()  # type: ignore[union-attr]
    assert process.wait(timeout=60) == 74
    assert stderr.splitlines()[-1] == (
        "error: the output could not be written (it was closed); the change to "
        "mentorship.yaml was saved and committed"
    )
    assert "Saved anyway" in git(repo, "show", "HEAD:mentorship.yaml")


@pytest.mark.parametrize(
    "args, outcome",
    [
        (["--as", "mentee", "agenda", "add", "Saved anyway"], "the change to mentorship.yaml was saved and committed"),
        (["status"], "nothing was changed"),
        (["--version"], "nothing was changed"),
    ],
)  # fmt: skip
def test_a_stdout_closed_from_the_start_is_one_sentence(repo: Path, args: list[str], outcome: str):
    """`mentorkit … >&-`: Python starts with no stdout at all."""
    result = subprocess.run(["sh", "-c", '"$@" >&-', "sh", *MK, *args], cwd=repo,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 74, result.stderr
    assert result.stderr.splitlines()[-1] == (
        f"error: the output could not be written (it was closed); {outcome}"
    )
    assert "Traceback" not in result.stderr


def test_stdout_closed_while_reading_is_quiet_and_documented(example: Path):
    process = subprocess.Popen([*MK, "--today", TODAY, "action", "list", "--status", "all"], cwd=example.parent,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    process.stdout.close()  # type: ignore[union-attr]
    stderr = process.stderr.read()  # type: ignore[union-attr]
    assert process.wait(timeout=60) == 74 and "Traceback" not in stderr
    assert "nothing was changed" in stderr


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_narrow_output_encodings_do_not_crash(example: Path, encoding: str):
    env = {"PYTHONIOENCODING": encoding}
    result = run(example.parent, "--as", "mentee", "--no-commit", "agenda", "add", "Fête 🎉", env=env,
                 encoding=encoding, errors="replace")  # fmt: skip
    assert result.returncode == 0, result.stderr
    listing = run(example.parent, "agenda", "list", env=env, encoding=encoding, errors="replace")
    assert listing.returncode == 0 and "F" in listing.stdout


def test_stdin_closed_during_prompts_skips_them(example: Path):
    result = run(example.parent, "--as", "mentee", "--today", TODAY, "--no-commit", "checkin", "--input",
                 input="")  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_temporary_files_of_a_killed_write_are_cleaned_by_the_next(example: Path):
    stale = example.parent / ".mentorship.yaml.k1ll3d.tmp"
    stale.write_text("half")
    result = run(example.parent, "--as", "mentee", "--no-commit", "agenda", "add", "After")
    assert result.returncode == 0
    assert not stale.exists()


def _entry_points() -> list[list[str]]:
    script = Path(sys.executable).parent / "mentorkit"  # the console script pip installs
    return [[str(script)], MK] if script.exists() else [MK]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_signal_while_starting_gives_the_documented_exit(example: Path, signum: int):
    """Whenever it comes, a signal gives exit 130 and one sentence, or, in the milliseconds
    before Python has started running mentorkit, ends it as it ends any program (killed by
    the signal, or Python's own start-up failing, exit 1). Never a traceback through
    mentorkit, never a change or a temporary file left."""
    before = example.read_bytes()
    said = 0
    for command in _entry_points():
        for delay in (0.0, 0.005, 0.015, 0.03, 0.05, 0.08, 0.12, 0.18, 0.3):
            process = subprocess.Popen([*command, "--as", "mentee", "--no-commit", "agenda", "add", "x"],
                                       cwd=example.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
            time.sleep(delay)
            process.send_signal(signum)
            _, stderr = process.communicate(timeout=60)
            where = f"{command[0]} after {delay} s: {process.returncode} {stderr!r}"
            assert not re.search(r'File "[^"]*/mentorkit/', stderr), where  # no frame of ours
            if process.returncode == 0:  # done before the signal came
                example.write_bytes(before)
                continue
            if process.returncode == 130:
                said += 1
                if stderr == "interrupted; the change to mentorship.yaml was saved\n":
                    example.write_bytes(before)  # as it says: done, then interrupted
                    continue
                assert stderr == "interrupted; nothing was changed\n", where
            elif process.returncode == -signum:
                # killed by the signal before mentorkit ran: nothing of ours said
                assert stderr in ("", "KeyboardInterrupt\n") or "Traceback" in stderr, where
            else:  # Python could not finish its own start-up (streams, runpy)
                assert process.returncode == 1 and "KeyboardInterrupt" in stderr, where
            assert example.read_bytes() == before, where
            assert not list(example.parent.glob(".mentorship.yaml.*.tmp")), where
    assert said, "no signal reached mentorkit's own handlers"


# Loaded into the child as sitecustomize: once mentorkit's handlers are in place, it counts
# the calls of the function named in SIGNAL_AT ("<exec>" is code compiled from a string: a
# dataclass or namedtuple being made as a module is imported) and sends the process
# SIGNAL_NUMBER as the chosen call begins ("NAME:N"); "NAME:N,NAME:N" sends a second signal
# after the first. The first is sent from a profile function and the second from a trace
# function, as Python drops either when it raises (the interrupt is raised in it). Without
# SIGNAL_AT it says at exit how many "<exec>" runs it saw.
_SIGNAL_AT_A_CALL = """
import os, sys
plan = [w.rpartition(":")[::2] for w in os.environ.get("SIGNAL_AT", "").split(",") if w]
sent = []
seen = {}
def ours(frame, event):
    code = frame.f_code
    name = "<exec>" if (code.co_filename, code.co_name) == ("<string>", "<module>") else code.co_name
    if event != "call":
        return None
    import signal
    handler = signal.getsignal(signal.SIGTERM)
    return name if getattr(handler, "__module__", "") == "mentorkit.cli" else None
def watching(step, unset):
    name, nth = plan[step]
    def watch(frame, event, arg):
        if len(sent) == step and ours(frame, event) == name:
            seen[step] = seen.get(step, 0) + 1
            if seen[step] == int(nth):
                unset(None)
                sent.append(name)
                os.kill(os.getpid(), int(os.environ["SIGNAL_NUMBER"]))
    return watch
def count(frame, event, arg):
    if ours(frame, event) == "<exec>":
        seen["<exec>"] = seen.get("<exec>", 0) + 1
if "SIGNAL_NUMBER" in os.environ and not plan:
    import atexit
    atexit.register(lambda: os.write(2, f"{seen.get('<exec>', 0)}\\n".encode()))
    sys.setprofile(count)
if plan:
    sys.setprofile(watching(0, sys.setprofile))
if len(plan) > 1:
    sys.settrace(watching(1, sys.settrace))
"""


def _signalled(example: Path, tmp_path: Path, signum: int, at: str) -> subprocess.CompletedProcess:
    hook = tmp_path / "hook"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(_SIGNAL_AT_A_CALL)
    env = {
        **os.environ,
        "PYTHONPATH": str(hook),
        "SIGNAL_NUMBER": str(int(signum)),
        "SIGNAL_AT": at,
    }
    return subprocess.run([*MK, "--as", "mentee", "--no-commit", "agenda", "add", "x"], cwd=example.parent,
                          env=env, capture_output=True, text=True, timeout=60)  # fmt: skip


def _interrupted_as_documented(example: Path, before: bytes, done: subprocess.CompletedProcess, where: str) -> None:  # fmt: skip
    where = f"{where}: {done.returncode} {done.stderr!r}"
    assert done.returncode == 130, where  # a normal exit, not -2: ended by SIGINT
    if done.stderr == "interrupted; the change to mentorship.yaml was saved\n":
        example.write_bytes(before)
        return
    assert done.stderr == "interrupted; nothing was changed\n", where
    assert example.read_bytes() == before, where
    assert not list(example.parent.glob(".mentorship.yaml.*.tmp")), where


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_signal_while_a_class_is_made_exits_130_not_by_the_signal(
    example: Path, tmp_path: Path, signum: int
):
    """CPython marks a run as ended by an unhandled Ctrl-C when a KeyboardInterrupt leaves
    code compiled from a string, even if it is handled, and `python -m` then kills itself
    by SIGINT after exiting. Interrupted exactly there, mentorkit still says its sentence
    and exits 130 by a normal exit, the file as it was."""
    before = example.read_bytes()
    counted = _signalled(example, tmp_path, signum, "")
    assert counted.returncode == 0, counted.stderr
    total = int(counted.stderr.splitlines()[-1])
    assert total > 10, "no class was made after mentorkit's handlers were in place"
    example.write_bytes(before)
    for at in sorted({total // 2, *range(total - 3, total + 1)}):
        done = _signalled(example, tmp_path, signum, f"<exec>:{at}")
        _interrupted_as_documented(example, before, done, f"signal at the run {at} of {total}")


@pytest.mark.parametrize(
    "at",
    [
        "parse_args:1",  # while the global options are read, before the command runs
        "cb:1",  # in a callback of the import system's locks, which Python cannot raise from
        "<exec>:1,outcome:1",  # a second signal as the first one's outcome is said
        "_transaction:1,_debug:1",  # a second signal as the first one is caught
    ],
)
def test_a_signal_anywhere_says_its_sentence_once_and_exits_130(example: Path, tmp_path: Path, at: str):  # fmt: skip
    before = example.read_bytes()
    done = _signalled(example, tmp_path, signal.SIGTERM, at)
    _interrupted_as_documented(example, before, done, f"signal at {at}")


def test_the_package_takes_the_signals_before_any_heavy_import():
    """The handlers are in place before the package imports anything: `signal` alone costs
    10-40 ms (enum, functools), a window in which a signal found Python's defaults."""
    import mentorkit

    code = (
        "import sys; sys.argv = ['mentorkit']; import mentorkit, _signal;"
        "print(sorted(m for m in ('signal', 'enum', 'typer', 'yaml') if m in sys.modules));"
        "print([_signal.getsignal(s).__name__ for s in (_signal.SIGINT, _signal.SIGTERM, _signal.SIGHUP)])"
    )
    source = str(Path(mentorkit.__file__).parent.parent)
    result = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": source}, timeout=60, check=True)  # fmt: skip
    handler = "_interrupted_while_starting"
    assert result.stdout.splitlines() == ["[]", str([handler] * 3)]


def test_sigterm_ends_a_command_like_ctrl_c(example: Path):
    """SIGTERM while a command waits (here on the editor of `edit`): 130 and one sentence."""
    marker = example.parent.parent / "editing"
    editor = example.parent.parent / "editor.sh"
    editor.write_text(f"#!/bin/sh\ntouch '{marker}'\nexec sleep 30\n")
    editor.chmod(0o755)
    before = example.read_bytes()
    process = subprocess.Popen([*MK, "--as", "mentee", "--no-commit", "edit"], cwd=example.parent,
                               env={**os.environ, "EDITOR": str(editor), "VISUAL": str(editor)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130, stderr
    assert stderr == "interrupted; nothing was changed\n"
    assert example.read_bytes() == before


def _paused_before_the_commit(repo: Path, marker: Path) -> subprocess.Popen:  # type: ignore[type-arg]
    """`agenda add`, saved and stopped just before git runs (it announces itself in `marker`)."""
    process = subprocess.Popen([*MK, "--as", "mentee", "agenda", "add", "During git"], cwd=repo,
                               env={**os.environ, "MENTORKIT_TEST_PAUSE": f"commit:{marker}"},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return process


def test_ctrl_c_during_the_commit_leaves_no_uncommitted_change(repo: Path):
    """SIGINT while git runs: either the change is saved and committed, or there is none."""
    marker = repo.parent / "paused"
    for _attempt in range(2):
        head = git(repo, "rev-parse", "HEAD")
        process = _paused_before_the_commit(repo, marker)
        marker.unlink()
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=90)
        assert git(repo, "status", "--porcelain", "mentorship.yaml") == ""
        moved = git(repo, "rev-parse", "HEAD") != head
        assert stderr.strip().splitlines()[-1] == (
            "interrupted; the change to mentorship.yaml was saved and committed"
            if moved
            else "interrupted; nothing was changed"
        )
        assert process.returncode == 130


def test_ctrl_c_during_the_push_of_sync_says_what_was_pushed(repo: Path):
    """SIGINT while `sync` pushes: the push finishes and the sentence says so (it said
    "nothing was changed" with the commits already on the remote)."""
    bare = repo.parent / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    assert run(repo, "git", "setup").returncode == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Set up")
    git(repo, "remote", "add", "origin", str(bare))
    git(repo, "push", "-q", "-u", "origin", "HEAD")
    marker = repo.parent / "pushing"
    hook = repo / ".git" / "hooks" / "pre-push"
    hook.write_text(f"#!/bin/sh\ntouch '{marker}'\nsleep 1\n")
    hook.chmod(0o755)
    assert run(repo, "--as", "mentee", "agenda", "add", "Before the push").returncode == 0
    process = subprocess.Popen([*MK, "sync"], cwd=repo, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)  # fmt: skip
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr == "interrupted; nothing was pulled, everything was pushed\n"
    remote_head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=bare, capture_output=True,
                                 text=True, check=True).stdout  # fmt: skip
    assert remote_head == git(repo, "rev-parse", "HEAD")


def test_a_commit_stopped_by_ctrl_c_leaves_the_file_and_the_index_as_they_were(repo: Path):
    """Ctrl-C reaches git too (the terminal signals the whole group): the commit fails after
    `git add` staged the new text. The file is put back, and so is its entry in the index,
    or the next `git commit` would record the change nobody made."""
    marker = repo.parent / "paused"
    hook = repo / ".git" / "hooks" / "prepare-commit-msg"  # runs despite --no-verify
    hook.write_text("#!/bin/sh\nexit 1\n")
    hook.chmod(0o755)
    before = (repo / "mentorship.yaml").read_bytes()
    process = _paused_before_the_commit(repo, marker)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=90)
    assert stderr.strip().splitlines()[-1] == "interrupted during the commit; nothing was changed"
    assert process.returncode == 130
    assert (repo / "mentorship.yaml").read_bytes() == before
    assert git(repo, "status", "--porcelain") == ""
    assert git(repo, "diff", "--cached", "--name-only") == ""


# --------------------------------------------------------------------------- hostile text


@pytest.fixture
def hostile(cli, repo: Path) -> Path:
    for args in (
        ["action", "add", HOSTILE, "--due", "2026-11-20"],
        ["agenda", "add", "Point <script>alert(1)</script> [click](javascript:alert(1))"],
        ["meeting", "log", "--notes", "Fine\n# Injected\n<img src=x onerror=alert(1)> " + HOSTILE],
        ["note", HOSTILE, "--needs-reply", "--at", "2026-11-20 10:00",
         "--link", "https://example.com/<script>x</script>"],
        ["availability", "set", "--urgent-contact", HOSTILE],
    ):  # fmt: skip
        assert cli("--as", "mentee", "--today", TODAY, *args).exit_code == 0
    return repo


VIEWS = [
    ["status"],
    ["status", "--json"],
    ["action", "list", "--status", "all"],
    ["action", "list", "--status", "all", "--json"],
    ["checkin", "--no-input"],
    ["checkin", "--no-input", "--format", "markdown"],
    ["followup"],
    ["followup", "--format", "text"],
    ["followup", "--eml", "-"],
    ["followup", "--mailto"],
    ["report", "--format", "md", "-o", "-"],
    ["report", "--format", "html", "-o", "-"],
    ["history"],
    ["contact", "list"],
    ["contact", "list", "--json"],
    ["urgent"],
    ["availability", "show"],
    ["stats"],
]


@pytest.mark.parametrize("view", VIEWS, ids=" ".join)
def test_hostile_text_reaches_no_output_raw(cli, hostile: Path, view: list[str]):
    result = cli("--as", "mentee", "--today", TODAY, *view)
    assert result.exit_code == 0, result.output
    assert not RAW_CONTROL.search(result.stdout + result.stderr), view
    if "--mailto" in view:  # percent-encoded: what the mail client receives
        from urllib.parse import unquote

        assert not RAW_CONTROL.search(unquote(result.stdout).replace("\n", "")), view
    if "markdown" in view or "md" in view or view == ["followup"]:
        assert "<script>" not in result.stdout and "<img" not in result.stdout
        assert not re.search(r"(?<!\\)\]\(javascript:", result.stdout)
        assert not re.search(r"^#+ Injected", result.stdout, re.MULTILINE)


def test_hostile_text_reaches_no_commit_message_textconv_or_file(hostile: Path):
    log = git(hostile, "log", "--format=%B")
    assert not RAW_CONTROL.search(log) and "\\x1b[2J" in log
    textconv = run(hostile, "git", "textconv", "mentorship.yaml")
    assert textconv.returncode == 0 and not RAW_CONTROL.search(textconv.stdout)
    for args in (["report", "-o", "r.html"], ["report", "--format", "md", "-o", "r.md"],
                 ["followup", "--eml", "f.eml"], ["export", "ics", "-o", "c.ics"]):  # fmt: skip
        result = run(hostile, "--as", "mentee", "--today", TODAY, *args)
        assert result.returncode == 0, result.stderr
        written = (hostile / args[-1]).read_text(encoding="utf-8")
        assert not RAW_CONTROL.search(written.replace("\r\n", "\n")), args


def test_init_keeps_names_on_one_line(isolated: Path):
    from .conftest import INIT_FLAGS

    flags = list(INIT_FLAGS)
    flags[flags.index("Diane Whitaker")] = "Diane\r\nBcc: someone@example.com"
    result = run(isolated, "--no-commit", "init", "--no-input", *flags)
    assert result.returncode == 0, result.stderr
    saved = storage.load(isolated / "mentorship.yaml").mentorship.people.mentor.name
    assert saved == "Diane Bcc: someone@example.com"


def test_an_interrupt_wrapped_in_another_error_is_still_an_interrupt(monkeypatch, capsys):
    # Python 3.11 reports Ctrl-C during a class's creation as RuntimeError("Error calling
    # __set_name__ ...") with the KeyboardInterrupt as its cause.
    from mentorkit import cli as entry

    def wrapped(**_: object) -> None:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as err:
            raise RuntimeError("Error calling __set_name__") from err

    monkeypatch.setattr(entry, "app", wrapped)
    monkeypatch.setattr(entry.sys, "argv", ["mentorkit", "status"])
    import signal

    handlers = {n: signal.getsignal(n) for n in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    try:
        with pytest.raises(SystemExit) as ended:
            entry.main()
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
    assert ended.value.code == 130
    assert capsys.readouterr().err.startswith("interrupted; ")
