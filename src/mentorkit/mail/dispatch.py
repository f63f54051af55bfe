"""Sending messages exactly once: claim them in the record of mail sent, deliver, then
record each recipient as sent, or release the claim so that the next run tries again.
Each recipient is a key of its own, so a retry never goes to whoever already got it."""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

from mentorkit.domain.wording import plural
from mentorkit.errors import Interrupted, MailNotSent, MentorkitError
from mentorkit.file.storage import signals_held
from mentorkit.git import git
from mentorkit.git.ledger import Ledger, held, remote_of, safe_key
from mentorkit.mail.settings import MailSettings
from mentorkit.output import one_line

# A server's permanent refusal of a recipient (RFC 5321 5yz), as `send.deliver` reports it
_PERMANENT = re.compile(r"5\d\d\b")

Deliver = Callable[[MailSettings, EmailMessage, list[str]], dict[str, str]]


@dataclass
class Outgoing:
    """One recipient's copy of a message, under the key that makes it go once."""

    key: str
    recipient: str
    message: EmailMessage
    label: str  # what it is and for whom, for the report of the run


@dataclass
class Outcome:
    sent: list[Outgoing] = field(default_factory=list)
    already: list[Outgoing] = field(default_factory=list)  # sent before, by any clone
    refused: list[tuple[Outgoing, str]] = field(default_factory=list)  # tried again
    failed: list[tuple[Outgoing, str]] = field(default_factory=list)  # refused for good
    failed_before: list[Outgoing] = field(default_factory=list)  # and not tried again
    failure: MentorkitError | None = None  # why the rest did not go


def run_id(who: str | None) -> str:
    """Which run holds a claim: the git identity (or role) of who ran it, where, its pid."""
    return safe_key(f"{who or 'someone'}@{socket.gethostname()}:{os.getpid()}")


def dispatch(
    work_tree: Path,
    settings: MailSettings,
    outgoing: list[Outgoing] | Callable[[set[str]], list[Outgoing]],
    *,
    who: str | None,
    now: datetime,
    send: Deliver | None = None,
) -> Outcome:
    """Send each outgoing copy that no run has sent or is sending; see the module's doc.
    `outgoing` may be a function of the keys already sent or being sent by another run,
    called once the record has been read."""
    if send is None:
        from mentorkit.mail.send import deliver  # smtplib and ssl: only to send

        send = deliver
    outcome = Outcome()
    run = run_id(git.config("user.email", work_tree) or who)  # the holder, as git knows it
    with held(work_tree):
        ledger = Ledger(work_tree, remote_of(work_tree))
        ledger.read()
        ledger.record_pending()
        if callable(outgoing):
            outgoing = outgoing(ledger.taken(now, run))
        if not outgoing:
            return outcome
        wanted = [o for o in outgoing if o.key not in ledger.sent()]
        outcome.already = [o for o in outgoing if o.key in ledger.sent()]
        # Refused for good (a 5xx): tried again only for another address
        failed = ledger.failed()
        outcome.failed_before = [o for o in wanted if refused_earlier(failed, o.key, o.recipient)]
        wanted = [o for o in wanted if all(o is not f for f in outcome.failed_before)]
        mine = set(ledger.claim([o.key for o in wanted], run, now))
        outcome.already += [o for o in wanted if o.key not in mine and o.key in ledger.sent()]
        states: dict[str, str] = {}
        in_flight: set[str] = set()  # handed to the server when an interrupt came
        try:
            for message, copies in _by_message([o for o in wanted if o.key in mine]):
                if outcome.failure is not None:
                    states.update({o.key: "released" for o in copies})
                    continue
                in_flight = {o.key for o in copies}
                try:
                    refused = send(settings, message, [o.recipient for o in copies])
                except MentorkitError as err:
                    in_flight = set()
                    outcome.failure = err
                    states.update({o.key: "released" for o in copies})
                    continue
                in_flight = set()
                for copy in copies:
                    if copy.recipient in refused and _PERMANENT.match(refused[copy.recipient]):
                        outcome.failed.append((copy, refused[copy.recipient]))
                        states[copy.key] = "failed"
                    elif copy.recipient in refused:
                        outcome.refused.append((copy, refused[copy.recipient]))
                        states[copy.key] = "released"
                    else:
                        outcome.sent.append(copy)
                        states[copy.key] = "sent"
        except KeyboardInterrupt as stop:
            if not getattr(stop, "maybe_delivered", True):
                in_flight = set()
            raise Interrupted(_interrupted(outcome, mine, states, in_flight)) from None
        finally:
            # What was not handed to the server is released for the next run at once;
            # a copy the server may have taken keeps its claim (retried after an hour).
            states.update({k: "released" for k in mine if k not in states and k not in in_flight})
            with signals_held():
                ledger.settle(states, run, now, {o.key: o.recipient for o, _ in outcome.failed})
    return outcome


def _interrupted(
    outcome: Outcome, mine: set[str], states: dict[str, str], in_flight: set[str]
) -> str:
    released = sum(1 for k in mine if k not in states and k not in in_flight)
    released += sum(1 for state in states.values() if state == "released")
    said = [f"{plural(len(outcome.sent), 'message')} sent and recorded"]
    if released:
        said.append(f"{plural(released, 'message')} left for the next run")
    if in_flight:
        said.append(
            f"{plural(len(in_flight), 'message')} being sent when it stopped, retried "
            f"after an hour unless recorded as sent"
        )
    return "interrupted while sending; " + ", ".join(said)


def _by_message(copies: list[Outgoing]) -> list[tuple[EmailMessage, list[Outgoing]]]:
    groups: dict[int, tuple[EmailMessage, list[Outgoing]]] = {}
    for copy in copies:
        groups.setdefault(id(copy.message), (copy.message, []))[1].append(copy)
    return list(groups.values())


def raise_for(outcome: Outcome, *, again: str = "") -> None:
    """The run's failure as one sentence and its exit code, after what did go was told.
    A copy refused for good is told once, by the run it was refused in, unless `again`
    (how to send it anyway) is given: then it is told on every run."""
    if outcome.failure is not None:
        raise outcome.failure
    if outcome.failed:
        copy, reason = outcome.failed[0]
        more = f" (and {len(outcome.failed) - 1} more)" if len(outcome.failed) > 1 else ""
        raise MailNotSent(
            f"{copy.label} was refused for good for {one_line(copy.recipient)}: {reason}{more}; "
            f"it is not tried again at this address: correct it in the file{again}"
        )
    if outcome.failed_before and again:
        copy = outcome.failed_before[0]
        raise MailNotSent(
            f"{copy.label} was refused for good for {one_line(copy.recipient)} earlier; "
            f"correct the address in the file{again}"
        )
    if outcome.refused:
        copy, reason = outcome.refused[0]
        more = f" (and {len(outcome.refused) - 1} more)" if len(outcome.refused) > 1 else ""
        raise MailNotSent(
            f"{copy.label} was not sent to {one_line(copy.recipient)}: {reason}{more}; "
            "not recorded as sent to them, the next run tries again"
        )


def taken(work_tree: Path, now: datetime) -> tuple[set[str], dict[str, str]]:
    """The keys sent, or being sent by a run, as the record says now (for a dry run), and
    those refused for good, each with the address refused (see `refused_earlier`)."""
    ledger = Ledger(work_tree, remote_of(work_tree))
    ledger.read()
    return ledger.taken(now, run_id(None)), ledger.failed()


def refused_earlier(failed: dict[str, str], key: str, recipient: str) -> bool:
    """Whether the server refused this copy for good at this very address."""
    return failed.get(key) == safe_key(recipient)
