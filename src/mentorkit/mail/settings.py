"""Mail settings without a config system of our own: git's `sendemail.*` keys, overridden
by `mentorkit.*` keys and then by `MENTORKIT_SMTP_*` environment variables; the password
from MENTORKIT_SMTP_PASSWORD, `sendemail.smtpPass` or `git credential fill`, never from
the repository's files."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from mentorkit.errors import MailSettingsProblem
from mentorkit.git import credentials
from mentorkit.git.git import config_matching

# setting: (git keys, most specific first; environment variable)
_KEYS: dict[str, tuple[tuple[str, ...], str]] = {
    "server": (("mentorkit.smtpServer", "sendemail.smtpServer"), "MENTORKIT_SMTP_SERVER"),
    "port": (("mentorkit.smtpServerPort", "sendemail.smtpServerPort"), "MENTORKIT_SMTP_PORT"),
    "encryption": (
        ("mentorkit.smtpEncryption", "sendemail.smtpEncryption"),
        "MENTORKIT_SMTP_ENCRYPTION",
    ),
    "user": (("mentorkit.smtpUser", "sendemail.smtpUser"), "MENTORKIT_SMTP_USER"),
    "cafile": (
        ("mentorkit.smtpSSLCertPath", "sendemail.smtpSSLCertPath"),
        "MENTORKIT_SMTP_CAFILE",
    ),
    "sendmail": (("mentorkit.sendmailCmd", "sendemail.sendmailCmd"), "MENTORKIT_SENDMAIL"),
    "sender": (("mentorkit.from", "sendemail.from"), "MENTORKIT_FROM"),
    "timeout": (("mentorkit.smtpTimeout",), "MENTORKIT_SMTP_TIMEOUT"),
    "quiet": (("mentorkit.quietHours",), "MENTORKIT_QUIET_HOURS"),
    "brief_hours": (("mentorkit.briefHours",), "MENTORKIT_BRIEF_HOURS"),
}


@dataclass
class MailSettings:
    """Where and how mail goes. `password` is filled in only when sending, and is never
    shown: not in its repr, messages or errors."""

    server: str | None = None
    port: int | None = None
    encryption: str | None = None  # "tls" (STARTTLS), "ssl" (SMTPS) or none
    user: str | None = None
    cafile: str | None = None
    sendmail: str | None = None
    sender: str | None = None  # the From address for reminders (`sendemail.from`)
    timeout: float = 30.0
    quiet: str = "21:00-08:00"
    brief_hours: int = 24
    password: str | None = field(default=None, repr=False)
    # where `git credential fill` gave the password, so a refused one can be rejected
    credential: tuple[Path, dict[str, str]] | None = field(default=None, repr=False)

    def describe(self) -> str:
        if self.sendmail:
            return f"the command {self.sendmail!r}"
        return f"{self.server}:{self.effective_port()}"

    def effective_port(self) -> int:
        if self.port:
            return self.port
        return 465 if self.encryption == "ssl" else 587 if self.encryption == "tls" else 25


def read_settings(folder: Path) -> MailSettings:
    """The settings as git config and the environment give them, checked."""
    found: dict[str, str] = {}
    source: dict[str, str] = {}  # where each came from, as the user named it
    configured = config_matching(r"^(sendemail|mentorkit)\.", folder)
    for name, (keys, variable) in _KEYS.items():
        if variable in os.environ:  # set but empty: the git config key is unset here
            value: str | None = os.environ[variable].strip()
            source[name] = variable
        else:
            key = next((k for k in keys if configured.get(k.lower())), None)
            value = configured[key.lower()] if key else None
            source[name] = f"git config {key}"
        if value:
            found[name] = value
    settings = MailSettings()
    settings.server = found.get("server")
    if settings.server and settings.server.startswith("/") and "sendmail" not in found:
        # git send-email: an absolute path as the server is a sendmail-like program
        settings.sendmail, settings.server = settings.server, None
    settings.sendmail = found.get("sendmail", settings.sendmail)
    settings.user = found.get("user")
    settings.cafile = found.get("cafile")
    settings.sender = found.get("sender")
    encryption = (found.get("encryption") or "").lower() or None
    if encryption not in (None, "tls", "ssl", "none"):
        raise MailSettingsProblem(
            f"{source['encryption']} is {encryption!r}; use tls (STARTTLS), ssl, or none"
        )
    settings.encryption = None if encryption == "none" else encryption
    for name, kind in (("port", int), ("timeout", float), ("brief_hours", int)):
        if name in found:
            setattr(settings, name, _number(source[name], found[name], kind))
    if "quiet" in found:
        settings.quiet = found["quiet"]
    return settings


def _number(where: str, text: str, kind: type[int] | type[float]) -> int | float:
    try:
        value = kind(text)
    except ValueError:
        raise MailSettingsProblem(f"{where} is {text!r}, which is not a number") from None
    if not 0 < value <= 65535:
        raise MailSettingsProblem(f"{where} is {text!r}, out of range (1 to 65535)")
    return value


def require_transport(settings: MailSettings) -> None:
    if not settings.server and not settings.sendmail:
        raise MailSettingsProblem(
            "no mail server is set: set git config sendemail.smtpServer (with "
            "sendemail.smtpServerPort, sendemail.smtpEncryption, sendemail.smtpUser), or "
            "sendemail.sendmailCmd; see the README's Email section"
        )


def fill_password(settings: MailSettings, folder: Path) -> None:
    """The password for `settings.user`: MENTORKIT_SMTP_PASSWORD, else `git credential
    fill` (the helpers git already uses), never asking on a terminal when unattended."""
    if not settings.user or settings.sendmail:
        return
    from_env = os.environ.get("MENTORKIT_SMTP_PASSWORD")
    if from_env:
        settings.password = from_env
        return
    configured = config_matching(r"^(sendemail|mentorkit)\.", folder)  # also sendemail.smtpPass
    if configured.get("sendemail.smtppass"):
        settings.password = configured["sendemail.smtppass"]
        return
    request = {
        "protocol": "smtp",
        "host": f"{settings.server}:{settings.effective_port()}",
        "username": settings.user,
    }
    answer = credentials.fill(folder, request)
    if not answer.get("password"):
        raise MailSettingsProblem(
            f"no password for {settings.user} at {settings.describe()}: git credential fill "
            "gave none; store one with a credential helper or set MENTORKIT_SMTP_PASSWORD"
        )
    settings.password = answer["password"]
    settings.credential = (folder, request)


def forget_password(settings: MailSettings) -> None:
    """After the server refused the login: `git credential reject`, as git does, so the
    helper drops the password and the next run asks for a new one."""
    if settings.credential is None or settings.password is None:
        return
    folder, request = settings.credential
    credentials.tell(folder, {**request, "password": settings.password}, "reject")
