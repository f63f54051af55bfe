"""Never lose a user's data: atomic writes, locking, comments, encodings, odd files."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mentorkit.errors import InvalidFile, NotFound
from mentorkit.file import storage

from .conftest import EXAMPLE


def _set_rule(path: Path, value: str) -> None:
    with storage.editing(path) as loaded:
        loaded.mentorship.agreement.response_time = value


def test_editing_writes_the_change_and_leaves_no_temporary_files(example: Path):
    _set_rule(example, "within a day")
    assert "  response_time: within a day\n" in example.read_text(encoding="utf-8")
    assert sorted(p.name for p in example.parent.iterdir()) == ["mentorship.yaml"]


def test_an_error_inside_the_edit_leaves_the_file_as_it_was(example: Path):
    before = example.read_bytes()
    with pytest.raises(RuntimeError), storage.editing(example) as loaded:
        loaded.mentorship.agreement.response_time = "changed"
        raise RuntimeError("boom")
    assert example.read_bytes() == before


def test_an_invalid_result_is_never_written(example: Path):
    before = example.read_bytes()
    with (
        pytest.raises(InvalidFile, match="not a known time zone"),
        storage.editing(example) as loaded,
    ):
        loaded.mentorship.people.mentor.timezone = "Nowhere/Atlantis"
    assert example.read_bytes() == before


def test_byte_order_mark_and_crlf_are_accepted_and_kept(example: Path):
    text = "\ufeff" + EXAMPLE.read_text(encoding="utf-8").replace("\n", "\r\n")
    example.write_bytes(text.encode("utf-8"))
    _set_rule(example, "within a day")
    written = example.read_bytes()
    assert written.startswith(b"\xef\xbb\xbf")
    assert b"  response_time: within a day\r\n" in written
    assert b"\n" not in written.replace(b"\r\n", b"")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"format: 1\nname: caf\xe9\n", "line 2: the file is not UTF-8 text"),
        (b"", "is empty"),
    ],
)
def test_unreadable_files_are_refused(example: Path, content: bytes, message: str):
    example.write_bytes(content)
    with pytest.raises(InvalidFile, match=message):
        storage.load(example)


def test_a_folder_where_the_file_should_be(isolated: Path):
    (isolated / "mentorship.yaml").mkdir()
    with pytest.raises(InvalidFile, match="is a folder"):
        storage.load(isolated / "mentorship.yaml")


def test_a_missing_file(isolated: Path):
    with pytest.raises(NotFound, match="does not exist"):
        storage.load(isolated / "nope.yaml")


def test_a_read_only_file_is_not_replaced(example: Path):
    before = example.read_bytes()
    example.chmod(0o444)
    with pytest.raises(InvalidFile, match="is read-only"):
        _set_rule(example, "within a day")
    assert example.read_bytes() == before


def test_the_file_mode_is_kept(example: Path):
    example.chmod(0o600)
    _set_rule(example, "within a day")
    assert example.stat().st_mode & 0o777 == 0o600


def test_a_huge_file_is_refused_before_parsing(example: Path):
    with open(example, "ab") as out:
        out.write(b"x" * (storage.MAX_BYTES + 1))
    with pytest.raises(
        InvalidFile, match=r"KB; mentorkit reads and writes mentorship files of up to [\d,]+ KB"
    ):
        storage.load(example)


def test_the_cache_is_used_and_never_trusted_over_the_file(example: Path, isolated: Path):
    first = storage.load(example)
    cache_files = list((isolated.parent / ".cache").glob("*.pickle"))
    assert len(cache_files) == 1
    again = storage.load(example)
    assert again.mentorship == first.mentorship
    # a change to the file (by hand) misses the cache and is parsed afresh
    example.write_text(
        example.read_text(encoding="utf-8").replace("within 2 working days", "by hand")
    )
    assert storage.load(example).mentorship.agreement.response_time == "by hand"
    # a corrupted cache entry is ignored
    for entry in (isolated.parent / ".cache").glob("*.pickle"):
        entry.write_text("not an entry")
    assert storage.load(example).mentorship.agreement.response_time == "by hand"


def test_a_cache_entry_is_read_only_as_signed_with_a_key_of_this_user_alone(
    example: Path, isolated: Path
):
    """An entry is unpickled only where its signature, made with a key file readable by
    this user alone, matches: a changed entry or a key others can read is not used."""
    cache = isolated.parent / ".cache"
    text = example.read_text(encoding="utf-8")
    digest = storage._digest(text)
    storage.load(example)
    (entry,) = cache.glob("*.pickle")
    assert storage._cache_get(digest) is not None
    signed = entry.read_bytes()
    entry.write_bytes(signed[:-1] + bytes([signed[-1] ^ 1]))  # one bit of the data changed
    assert storage._cache_get(digest) is None
    entry.write_bytes(signed)
    assert storage._cache_get(digest) is not None
    (cache / "key").chmod(0o644)
    assert storage._cache_get(digest) is None
    assert storage.load(example).mentorship == storage.parse(text, "x").mentorship
    (cache / "key").chmod(0o600)
    assert storage._cache_get(digest) is not None


def test_what_the_cache_gives_is_what_reading_the_file_gives(example: Path):
    """Unknown keys (a date, a kept scalar, keys that look like tags, a key that is not
    text) come back from the cache exactly as a full read gives them."""
    example.write_text(
        example.read_text(encoding="utf-8")
        + "x-when: 2026-01-02\nx-moment: 2026-01-02T10:30:00+01:00\nx-kept: 0755\n"
        + "$date: tagged\nx-map:\n  1: one\n  $$yaml: [a]\n",
        encoding="utf-8",
    )
    first = storage.load(example)
    assert storage._cache_get(storage._digest(example.read_text(encoding="utf-8"))) is not None
    again = storage.load(example)
    assert again.mentorship == first.mentorship and again.raw == first.raw
    assert again.unknown_keys == first.unknown_keys
    assert again.mentorship.extra.after == first.mentorship.extra.after
    for key in ("x-when", "x-moment", "x-kept", "$date", "x-map"):
        assert type(again.raw[key]) is type(first.raw[key]), key
        assert again.mentorship.extra[key] == first.mentorship.extra[key], key
    assert again.raw["x-kept"].tag == first.raw["x-kept"].tag
    assert list(again.raw["x-map"]) == list(first.raw["x-map"])


def test_a_verdict_cached_by_another_mentorkit_is_not_trusted(
    example: Path, monkeypatch: pytest.MonkeyPatch
):
    """A cache entry skips the semantic checks; one written by an older or edited mentorkit,
    whose checks may have let through what this one refuses, is parsed afresh."""
    digest = storage._digest(example.read_text(encoding="utf-8"))
    storage.load(example)
    assert storage._cache_get(digest) is not None
    monkeypatch.setattr(storage, "_code_stamp_memo", ["an older mentorkit"])
    assert storage._cache_get(digest) is None
    storage.load(example)
    assert storage._cache_get(digest) is not None


def test_a_second_process_waits_for_the_lock_and_loses_nothing(example: Path):
    """One process holds the file mid-edit; a second one waits, then applies its change on
    top of the first one's, so neither update is lost."""
    marker = example.parent / "paused"
    env = {**os.environ, "MENTORKIT_TEST_PAUSE": f"replace:{marker}"}
    first = subprocess.Popen(
        [sys.executable, "-m", "mentorkit", "--as", "mentor", "--no-commit", "rules", "set", "response_time", "first"],
        cwd=example.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists()
    second = subprocess.Popen(
        [sys.executable, "-m", "mentorkit", "--as", "mentee", "--no-commit", "rules", "set", "cancellations", "second"],
        cwd=example.parent, env={**os.environ}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    time.sleep(0.5)
    assert second.poll() is None  # waiting for the lock
    first.kill()  # killed mid-write: the old file stays, valid
    first.wait()
    assert second.wait(timeout=20) == 0, second.stderr.read()
    text = example.read_text(encoding="utf-8")
    assert "  cancellations: second\n" in text
    assert "response_time: first" not in text
    storage.load(example)
    leftovers = [p.name for p in example.parent.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) <= 1  # the killed writer's temporary file, never the real one


def test_busy_file_gives_up_with_a_clear_message(example: Path, monkeypatch):
    import fcntl

    monkeypatch.setenv("MENTORKIT_LOCK_TIMEOUT", "0.3")
    held = os.open(example.parent, os.O_RDONLY)  # what another mentorkit process holds
    try:
        fcntl.flock(held, fcntl.LOCK_EX)
        from mentorkit.errors import Busy

        with pytest.raises(Busy, match="another mentorkit command has been changing"):
            _set_rule(example, "x")
    finally:
        os.close(held)
