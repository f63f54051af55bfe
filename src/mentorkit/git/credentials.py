"""Passwords through `git credential`: whatever helper git uses for the person (a keychain,
`libsecret`, `store`) keeps them; mentorkit never writes one down itself."""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path


def _request(fields: dict[str, str]) -> str | None:
    """The fields in git's credential protocol; None when a value would break a line (a
    login with a newline would add fields of its own)."""
    if any(c in value for value in fields.values() for c in "\n\r\0"):
        return None
    return "".join(f"{key}={value}\n" for key, value in fields.items() if value) + "\n"


def _silent(env: dict[str, str]) -> list[str]:
    """Nothing may ask: no terminal prompt, no askpass program (which GIT_TERMINAL_PROMPT
    does not stop); the git options that go with it."""
    env["GIT_TERMINAL_PROMPT"] = "0"
    env.pop("GIT_ASKPASS", None)
    env.pop("SSH_ASKPASS", None)
    return ["-c", "core.askPass="]


def fill(
    folder: Path, fields: dict[str, str], *, may_ask: bool = False, timeout: float = 60
) -> dict[str, str]:
    """`git credential fill` for `fields` (protocol, host, username): what the helpers gave,
    with `password` when one did. Only when `may_ask` may git ask (on the terminal or
    through an askpass program); otherwise a helper gets `timeout` seconds."""
    request = _request(fields)
    if request is None:
        return {}
    env = dict(os.environ)
    options = [] if may_ask else _silent(env)
    try:
        result = subprocess.run(
            ["git", *options, "credential", "fill"],
            cwd=folder,
            input=request,
            stdout=subprocess.PIPE,
            stderr=None if may_ask else subprocess.PIPE,
            text=True,
            env=env,
            timeout=None if may_ask else timeout,
        )
    except (subprocess.TimeoutExpired, OSError):
        return {}
    if result.returncode != 0:
        return {}
    return dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)


def tell(folder: Path, fields: dict[str, str], verdict: str) -> None:
    """`git credential approve` (the password worked: the helper keeps it) or `reject`
    (it was refused: the helper forgets it, so the next run asks for a new one). Failing
    to tell git is not reported: what happened with the server is what matters."""
    request = _request(fields)
    if request is None:
        return
    env = dict(os.environ)
    options = _silent(env)
    with contextlib.suppress(subprocess.TimeoutExpired, OSError):
        subprocess.run(
            ["git", *options, "credential", verdict],
            cwd=folder, input=request, capture_output=True, text=True, env=env,
            timeout=10,
        )  # fmt: skip
