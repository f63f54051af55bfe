"""Editing the file by hand in $VISUAL or $EDITOR, as `crontab -e` and `visudo` do: the
edit is validated before it is saved, and an invalid file is never left behind."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from mentorkit.errors import InvalidFile, MentorkitError, UsageProblem
from mentorkit.file import storage


def editor_command() -> list[str]:
    command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        return shlex.split(command)
    except ValueError as err:
        raise UsageProblem(f"cannot read the editor command {command!r}: {err}") from None


def edit_by_hand(
    path: Path,
    *,
    retry: Callable[[InvalidFile], bool | None],
    after_write: Callable[[Path], object] | None = None,
    start: str | None = None,
) -> bool:
    """Open a copy in the editor; save it when valid. `retry` decides, after an invalid edit,
    whether to edit again (True), give up after showing the problems (False), or give up
    with no one to ask (None). Giving up keeps the edited text in FILE.edited beside the
    file, so no edit is lost; `start` is the text to begin from (an edit kept that way),
    else the file's. A saved edit removes the kept copy. Returns whether anything was saved."""
    original = storage.read_text(path)
    handle, name = tempfile.mkstemp(prefix="mentorship-", suffix=".yaml")
    copy = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(original if start is None else start)
        while True:
            _run_editor(copy)
            edited = copy.read_bytes().decode("utf-8", errors="strict")
            if edited == original:
                return False
            try:
                storage.replace_text(path, original, edited, after_write=after_write)
                kept_path(path).unlink(missing_ok=True)
                return True
            except InvalidFile as problem:
                if "changed by someone else" in problem.message:
                    kept = _keep(path, edited)
                    raise InvalidFile(
                        f"{problem.message}; your edit is kept in {kept}, nothing was saved"
                    ) from None
                again = retry(problem)
                if not again:
                    kept = _keep(path, edited)
                    kept_note = (
                        f"nothing was saved; your edit is kept in {kept} (`mentorkit edit` "
                        "again continues it)"
                    )
                    if again is None:  # the problems have not been shown yet
                        raise InvalidFile(
                            f"{problem.message}; {kept_note}", problem.problems
                        ) from None
                    raise InvalidFile(kept_note) from None
    except UnicodeDecodeError:
        raise InvalidFile("the edited file is not UTF-8 text; your edit was discarded") from None
    finally:
        copy.unlink(missing_ok=True)


def kept_path(path: Path) -> Path:
    """Where an edit that could not be saved is kept: FILE.edited beside the file."""
    return path.with_name(f"{path.name}.edited")


def _keep(path: Path, edited: str) -> Path:
    kept = kept_path(path)
    kept.write_text(edited, encoding="utf-8")
    return kept


def _run_editor(copy: Path) -> None:
    command = editor_command()
    try:
        result = subprocess.run([*command, str(copy)])
    except FileNotFoundError:
        raise MentorkitError(
            f"the editor {command[0]!r} was not found; set $VISUAL or $EDITOR"
        ) from None
    if result.returncode != 0:
        raise MentorkitError(
            f"the editor exited with status {result.returncode}; nothing was saved"
        )
