"""A real SMTP server on localhost for the tests: aiosmtpd with STARTTLS (a self-signed
certificate made with the openssl command) and AUTH, keeping every message it accepts."""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
import subprocess
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER = "diane-smtp"
PASSWORD = "s3cret-Pa55-do-not-leak"


def make_certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)  # type: ignore[return-value]


@dataclass
class Handler:
    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # for good (550)
    defer: set[str] = field(default_factory=set)  # for now (450)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        if address in self.defer:
            return "450 4.2.1 mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
            )
        return "250 Message accepted"


def _authenticate(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == USER.encode()
        and auth_data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class MailServer:
    """Started and stopped by the tests; `received` holds what it accepted."""

    def __init__(self, cert: Path, key: Path) -> None:
        self.handler = Handler()
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.context.load_cert_chain(cert, key)
        self.port = free_port()
        self.cert = cert
        self.controller: Controller | None = None

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def start(self) -> None:
        """Listen (again: a stopped server can be started on the same port)."""
        self.controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port, tls_context=self.context,
            require_starttls=True, authenticator=_authenticate, auth_require_tls=True,
            decode_data=False, server_hostname="127.0.0.1",
        )  # fmt: skip
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def configure(repo: Path, server: MailServer, *, password: str = PASSWORD) -> None:
    """The clone's git config as a user sets it: sendemail.* keys, and the password given
    by a credential helper (here a shell function standing in for a keychain)."""
    for key, value in (
        ("sendemail.smtpServer", "127.0.0.1"),
        ("sendemail.smtpServerPort", str(server.port)),
        ("sendemail.smtpEncryption", "tls"),
        ("sendemail.smtpUser", USER),
        ("sendemail.smtpSSLCertPath", str(server.cert)),
        ("mentorkit.smtpTimeout", "10"),
        ("credential.helper", f'!f() {{ test "$1" = get && echo password={password}; }}; f'),
    ):
        subprocess.run(["git", "config", key, value], cwd=repo, check=True)
