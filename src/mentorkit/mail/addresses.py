"""Addresses as mail carries them: a person's address from the file made safe for the
envelope and the headers, or refused for that person alone."""

from __future__ import annotations

import re
from email.headerregistry import Address

from mentorkit.output import one_line

_PLAIN = re.compile(r"[^@\s,;<>()\[\]\"\\]+@[^@\s,;<>()\[\]\"\\]+")


def envelope_address(text: str) -> str | None:
    """`text` as an address a server and a sendmail command take as exactly one address,
    its domain in the ASCII form (IDNA); None where mail cannot carry it: not a plain
    address, one that reads as a command-line option, or a local part outside ASCII
    (which needs a server with SMTPUTF8, and most headers cannot carry it)."""
    text = text.strip()
    if not _PLAIN.fullmatch(text) or text.startswith("-"):
        return None
    local, domain = text.rsplit("@", 1)
    if not local.isascii():
        return None
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    return f"{local}@{domain}"


def header_address(name: str, email: str) -> Address | None:
    """The name and address as one header entry, quoted or encoded by the email package
    so that no name can read as more addresses; None where the address cannot be sent."""
    address = envelope_address(email)
    if address is None:
        return None
    return Address(display_name=one_line(name), addr_spec=address)


def why_not(email: str) -> str:
    """One sentence: why `email` is not an address mail can be sent to."""
    shown = one_line(email)
    if _PLAIN.fullmatch(email.strip()) and not email.strip().startswith("-"):
        return (
            f"{shown!r} has letters outside ASCII before the @, which this mail path cannot "
            "carry; write an ASCII address for this person in the file"
        )
    return f"{shown!r} is not an address mail can be sent to"
