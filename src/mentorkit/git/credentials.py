"""Passwords through `git credential`: whatever helper git uses for the person (a keychain,
`libsecret`, `store`) keeps them; mentorkit never writes one down itself."""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path


def _request(fields: dict[str, str]) -> str:
    return "".join(f"{key}={value}\n" for key, value in fields.items() if value) + "\n"


def fill(folder: Path, fields: dict[str, str], *, may_ask: bool = False) -> dict[str, str]:
    """`git credential fill` for `fields` (protocol, host, username): what the helpers gave,
    with `password` when one did; git asks on the terminal only when `may_ask`."""
    env = dict(os.environ)
    if not may_ask:
        env["GIT_TERMINAL_PROMPT"] = "0"
    try:
        result = subprocess.run(
            ["git", "credential", "fill"],
            cwd=folder,
            input=_request(fields),
            stdout=subprocess.PIPE,
            stderr=None if may_ask else subprocess.PIPE,
            text=True,
            env=env,
            timeout=None if may_ask else 60,
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
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    with contextlib.suppress(subprocess.TimeoutExpired, OSError):
        subprocess.run(
            ["git", "credential", verdict],
            cwd=folder, input=_request(fields), capture_output=True, text=True, env=env,
            timeout=60,
        )  # fmt: skip
