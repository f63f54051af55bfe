"""Delivering a message: by SMTP (STARTTLS or SMTPS, with a login) or through a
sendmail-compatible command, never through a shell. Every failure is one sentence that
names the server and never the password."""

from __future__ import annotations

import shlex
import smtplib
import ssl
import subprocess
from email.message import EmailMessage
from email.utils import parseaddr

from mentorkit.errors import MailNotSent, MailSettingsProblem
from mentorkit.mail.addresses import envelope_address, why_not
from mentorkit.mail.settings import MailSettings, forget_password
from mentorkit.output import one_line


def plain_address(text: str, what: str) -> str:
    """An address the envelope can carry as it is, or refused: no display name, no
    list, nothing a server or a sendmail command could read as more than one address."""
    address = envelope_address(text)
    if address is None:
        raise MailSettingsProblem(f"{what} {one_line(text)!r} is not a plain email address")
    return address


def _server_said(err: smtplib.SMTPResponseException) -> str:
    said = err.smtp_error
    text = said.decode("utf-8", "replace") if isinstance(said, bytes) else str(said)
    return one_line(f"{err.smtp_code} {text}".strip())


def deliver(settings: MailSettings, message: EmailMessage, recipients: list[str]) -> dict[str, str]:
    """Send `message` to `recipients` (the envelope: only these get it, whatever its
    headers say). Returns the recipients the server refused or that mail cannot carry
    (`addresses.why_not`), each with its reason, the others sent all the same;
    raises when nothing could go at all."""
    envelope_from = plain_address(parseaddr(str(message["From"]))[1], "the sender address")
    refused = {r: why_not(r) for r in recipients if envelope_address(r) is None}
    as_sent = {envelope_address(r) or r: r for r in recipients if r not in refused}
    if not as_sent:
        return refused
    if settings.sendmail:
        _through_command(settings, message, envelope_from, list(as_sent))
        return refused
    by_server = _through_smtp(settings, message, envelope_from, list(as_sent))
    return refused | {as_sent.get(address, address): why for address, why in by_server.items()}


def _through_command(
    settings: MailSettings, message: EmailMessage, envelope_from: str, recipients: list[str]
) -> None:
    argv = shlex.split(settings.sendmail or "")
    dot_alone = [] if "-i" in argv[1:] or "-oi" in argv[1:] else ["-i"]  # once is enough
    argv = [*argv, *dot_alone, "-f", envelope_from, "--", *recipients]
    try:
        result = subprocess.run(
            argv, input=message.as_bytes(), capture_output=True, timeout=settings.timeout
        )
    except FileNotFoundError:
        raise MailSettingsProblem(f"the mail command {argv[0]!r} was not found") from None
    except subprocess.TimeoutExpired:
        raise MailNotSent(
            f"the mail command {argv[0]!r} did not finish within {settings.timeout:g} s"
        ) from None
    if result.returncode != 0:
        said = result.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = one_line(said[-1]) if said else f"exit status {result.returncode}"
        raise MailNotSent(f"the mail command {argv[0]!r} failed: {reason}")


def connect(settings: MailSettings) -> smtplib.SMTP:
    """A logged-in connection to the SMTP server, or one sentence saying what is wrong."""
    where = settings.describe()
    context = _tls_context(settings.cafile)
    server: smtplib.SMTP | None = None
    try:
        if settings.encryption == "ssl":
            server = smtplib.SMTP_SSL(
                settings.server or "", settings.effective_port(), timeout=settings.timeout,
                context=context,
            )  # fmt: skip
        else:
            server = smtplib.SMTP(
                settings.server or "", settings.effective_port(), timeout=settings.timeout
            )
        server.ehlo()
        if settings.encryption == "tls":
            server.starttls(context=context)
            server.ehlo()
        if settings.user:
            if settings.encryption is None:
                raise MailSettingsProblem(
                    f"refusing to send the password for {settings.user} to {where} unencrypted; "
                    "set sendemail.smtpEncryption to tls or ssl"
                )
            _login(server, settings.user, settings.password or "")
        return server
    except MailSettingsProblem:
        _close(server)
        raise
    except smtplib.SMTPAuthenticationError as err:
        _close(server)
        forget_password(settings)
        raise MailSettingsProblem(
            f"the mail server {where} refused the login of {settings.user}: {_server_said(err)}"
        ) from None
    except smtplib.SMTPNotSupportedError:
        _close(server)
        raise MailSettingsProblem(
            f"the mail server {where} offers no STARTTLS (or no login); check "
            "sendemail.smtpEncryption and the port"
        ) from None
    except ssl.SSLCertVerificationError as err:
        _close(server)
        raise MailSettingsProblem(
            f"the certificate of the mail server {where} is not trusted ({err.verify_message}); "
            "set sendemail.smtpSSLCertPath to the certificate that signs it"
        ) from None
    except ssl.SSLError as err:
        _close(server)
        if settings.encryption == "ssl" and err.reason == "WRONG_VERSION_NUMBER":
            raise MailSettingsProblem(
                f"the mail server {where} does not start with TLS, so smtpEncryption ssl "
                "cannot work; set sendemail.smtpEncryption to tls (STARTTLS) for this port"
            ) from None
        raise MailNotSent(f"could not reach the mail server {where}: {_reason(err)}") from None
    except TimeoutError:
        _close(server)
        raise MailNotSent(
            f"the mail server {where} did not answer within {settings.timeout:g} s"
        ) from None
    except (smtplib.SMTPException, OSError) as err:
        _close(server)
        if _timed_out(err):
            raise MailNotSent(
                f"the mail server {where} did not answer within {settings.timeout:g} s"
            ) from None
        raise MailNotSent(f"could not reach the mail server {where}: {_reason(err)}") from None


def _tls_context(cafile: str | None) -> ssl.SSLContext:
    """The checks for the server's certificate: the system's, or the one file named."""
    if not cafile:
        return ssl.create_default_context()
    try:
        return ssl.create_default_context(cafile=cafile)
    except (OSError, ssl.SSLError) as err:
        why = (
            "does not exist"
            if isinstance(err, FileNotFoundError)
            else f"cannot be used: {_reason(err)}"
        )
        raise MailSettingsProblem(
            f"the certificate file {one_line(cafile)!r} {why}; check sendemail.smtpSSLCertPath "
            "(or MENTORKIT_SMTP_CAFILE)"
        ) from None


def _login(server: smtplib.SMTP, user: str, password: str) -> None:
    """One login with the best mechanism the server offers. (smtplib's `login` tries the
    next mechanism after a refusal, and some servers then wait instead of answering.)"""
    offered = (server.esmtp_features.get("auth") or "").upper().split()
    server.user, server.password = user, password
    for mechanism, method in (
        ("CRAM-MD5", server.auth_cram_md5),
        ("PLAIN", server.auth_plain),
        ("LOGIN", server.auth_login),
    ):
        if mechanism in offered:
            server.auth(mechanism, method)
            return
    raise smtplib.SMTPNotSupportedError("no login mechanism in common")


def _timed_out(err: BaseException) -> bool:
    # smtplib reports a read that timed out as a disconnection
    return isinstance(err, smtplib.SMTPServerDisconnected) and "timed out" in str(err)


def _reason(err: BaseException) -> str:
    if isinstance(err, smtplib.SMTPResponseException):
        return _server_said(err)
    return one_line(getattr(err, "strerror", None) or str(err) or type(err).__name__)


def _close(server: smtplib.SMTP | None) -> None:
    if server is None:
        return
    try:
        server.quit()
    except (smtplib.SMTPException, OSError):
        server.close()


class StoppedSending(KeyboardInterrupt):
    """Ctrl-C or a termination signal while sending, and whether the server may have
    taken the message by then (not while connecting and logging in)."""

    def __init__(self, maybe_delivered: bool) -> None:
        super().__init__()
        self.maybe_delivered = maybe_delivered


def _through_smtp(
    settings: MailSettings, message: EmailMessage, envelope_from: str, recipients: list[str]
) -> dict[str, str]:
    try:
        server = connect(settings)
    except KeyboardInterrupt:
        raise StoppedSending(maybe_delivered=False) from None
    where = settings.describe()
    try:
        refused = server.send_message(message, from_addr=envelope_from, to_addrs=recipients)
    except smtplib.SMTPRecipientsRefused as err:
        refused = err.recipients
    except smtplib.SMTPSenderRefused as err:
        raise MailSettingsProblem(
            f"the mail server {where} refused the sender {envelope_from}: {_server_said(err)}"
        ) from None
    except TimeoutError:
        raise MailNotSent(
            f"the mail server {where} did not answer within {settings.timeout:g} s"
        ) from None
    except (smtplib.SMTPException, OSError) as err:
        if _timed_out(err):
            raise MailNotSent(
                f"the mail server {where} did not answer within {settings.timeout:g} s"
            ) from None
        raise MailNotSent(f"the mail server {where} failed while sending: {_reason(err)}") from None
    finally:
        _close(server)
    return {
        address: one_line(
            f"{code} {said.decode('utf-8', 'replace') if isinstance(said, bytes) else said}"
        )
        for address, (code, said) in refused.items()
    }


def check(settings: MailSettings) -> str:
    """Connect and log in as a send would, then leave: what was checked, in one line."""
    if settings.sendmail:
        argv = shlex.split(settings.sendmail)
        import shutil

        if not argv or shutil.which(argv[0]) is None:
            raise MailSettingsProblem(f"the mail command {settings.sendmail!r} was not found")
        return f"mail goes through the command {settings.sendmail!r}"
    server = connect(settings)
    _close(server)
    login = f", logged in as {settings.user}" if settings.user else ""
    return f"connected to {settings.describe()} ({settings.encryption or 'unencrypted'}{login})"
