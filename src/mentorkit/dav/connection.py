"""The connected CalDAV collection: where it is (this clone's git config, never the shared
file), the password (through `git credential`), and the few requests a sync makes, sent by
the caldav library; every failure becomes one sentence from the error hierarchy."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

from mentorkit.errors import (
    CalendarSettingsProblem,
    CalendarUnreachable,
    GitProblem,
    MentorkitError,
    UsageProblem,
)
from mentorkit.git import credentials

if TYPE_CHECKING:
    from caldav.davclient import DAVClient

    from mentorkit.file.model import Role

URL_KEY, USER_KEY, FOR_KEY, AUTO_KEY = (
    "mentorkit.calendarUrl",
    "mentorkit.calendarUser",
    "mentorkit.calendarFor",
    "mentorkit.calendarAutoSync",
)
_LOCAL = ("localhost", "127.0.0.1", "::1")
_NO = ("false", "no", "off", "0")
_PATH_SAFE = "/:@!$&'()*+,;=~"


def shown_url(text: str) -> str:
    """A URL as it may be shown: without a login or password in it."""
    try:
        parts = urlsplit(text)
    except ValueError:
        return "the URL"
    if "@" not in parts.netloc:
        return text
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


class TimeUp(BaseException):
    """Raised by the alarm in the middle of a request that ran past its deadline (a
    BaseException, so that no library code catching Exception swallows it)."""


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Interrupt what runs inside after `seconds` of wall time, however the server
    trickles its answer (a socket timeout bounds each read only): SIGALRM raises TimeUp
    in the main thread; the earlier handler and timer are put back afterwards. Elsewhere
    than in the main thread there is no alarm, and the socket timeout alone applies."""

    def ring(signum: int, frame: object) -> None:
        raise TimeUp

    try:
        earlier = signal.signal(signal.SIGALRM, ring)
    except ValueError:  # not the main thread
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, earlier)


@dataclass
class Connection:
    """The collection this clone keeps in sync, and whose calendar it is."""

    url: str
    user: str | None = None
    person: Role | None = None
    auto: bool = True

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc

    def credential(self) -> dict[str, str]:
        parts = urlsplit(self.url)
        return {"protocol": parts.scheme, "host": parts.netloc, "username": self.user or ""}


def connected(folder: Path) -> Connection | None:
    """The collection connected in this clone, or None (also outside git)."""
    from mentorkit.git.git import config_matching

    try:
        found = config_matching(r"^mentorkit\.calendar", folder)
    except (OSError, GitProblem):
        return None
    url = found.get(URL_KEY.lower())
    if not url:
        return None
    person = found.get(FOR_KEY.lower())
    return Connection(
        url=url,
        user=found.get(USER_KEY.lower()) or None,
        person=person if person in ("mentor", "mentee") else None,  # type: ignore[arg-type]  # checked just here
        auto=found.get(AUTO_KEY.lower(), "true").lower() not in _NO,
    )


def _set(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "config", "--local", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )


def remember(folder: Path, connection: Connection) -> None:
    """Write the connection to this clone's git config (`.git/config`)."""
    for key, value in ((URL_KEY, connection.url), (FOR_KEY, connection.person or "")):
        result = _set(folder, key, value)
        if result.returncode != 0:
            raise GitProblem(
                f"could not write {key} to this clone's git config: {result.stderr.strip()}"
            )
    if connection.user:
        _set(folder, USER_KEY, connection.user)
    else:
        _set(folder, "--unset", USER_KEY)


def forget(folder: Path) -> None:
    for key in (URL_KEY, USER_KEY, FOR_KEY):
        _set(folder, "--unset-all", key)


def parse_url(text: str) -> tuple[str, str | None, str | None]:
    """A collection URL as typed: (the URL without a login in it, the user, the password).
    Plain http is refused except on this machine: the password would cross the network
    readable."""
    parts = urlsplit(text.strip())
    shown = shown_url(text.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageProblem(
            f"{shown!r} is not a calendar URL; give the collection's https:// address "
            "(Nextcloud: https://HOST/remote.php/dav/calendars/USER/CALENDAR/)"
        )
    if parts.scheme == "http" and parts.hostname not in _LOCAL:
        raise UsageProblem(
            f"{shown!r} is plain http: the password would cross the network unencrypted; "
            "use the https:// address"
        )
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    path = quote(unquote(path), safe=_PATH_SAFE)  # typed with a space or as %20: the same
    url = urlunsplit((parts.scheme, netloc, path, parts.query, ""))
    user = unquote(parts.username) if parts.username else None
    if user is not None and not one_line(user):
        raise UsageProblem(
            "the login in the URL is not one line of text without control characters"
        )
    password = unquote(parts.password) if parts.password else None
    return url, user, password


def one_line(text: str) -> bool:
    return bool(text.strip()) and not any(ord(c) < 32 or 127 <= ord(c) < 160 for c in text)


def password_for(
    folder: Path, connection: Connection, *, may_ask: bool = False, timeout: float = 20
) -> str:
    """The password from `git credential fill` (a helper gets `timeout` seconds); the user
    name it gave, if none was set. Never for plain http to another machine (a URL set in
    git config by hand): the password would cross the network readable."""
    parts = urlsplit(connection.url)
    if parts.scheme != "https" and parts.hostname not in _LOCAL:
        raise CalendarSettingsProblem(
            f"{shown_url(connection.url)!r} (git config {URL_KEY}) is not https: the password "
            "would cross the network unencrypted; connect the https:// address"
        )
    answer = credentials.fill(folder, connection.credential(), may_ask=may_ask, timeout=timeout)
    if not connection.user and answer.get("username"):
        connection.user = answer["username"]
    if not answer.get("password") or not connection.user:
        raise CalendarSettingsProblem(
            f"no password for the calendar at {connection.host}: git credential fill gave none; "
            "run `mentorkit calendar connect URL` on a terminal, or store one with a "
            "credential helper (git help credentials)"
        )
    return answer["password"]


@dataclass
class Listing:
    """What a PROPFIND of the collection said: whether it is a calendar, which components
    it takes (None: any), and the ETag of each resource in it, by path."""

    is_calendar: bool = False
    components: list[str] | None = None
    etags: dict[str, str | None] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # the collection's change tokens

    @property
    def takes_todos(self) -> bool:
        return self.components is None or "VTODO" in self.components


@dataclass
class Answer:
    status: int
    etag: str | None = None
    text: str = ""
    reason: str = ""


class Collection:
    """An open session with the collection: keep-alive, one login, `timeout` seconds a
    request."""

    def __init__(
        self,
        connection: Connection,
        password: str,
        timeout: float,
        folder: Path,
        budget: float | None = None,
    ):
        import logging

        from caldav.davclient import DAVClient

        # the library logs its doubts (a 401 without a challenge...) on the root logger,
        # which would print them; what matters reaches the user as an error instead
        logging.getLogger("caldav").addHandler(logging.NullHandler())
        logging.getLogger("caldav").propagate = False
        self.connection = connection
        self.timeout = timeout
        self.budget = budget
        self.give_up = None if budget is None else time.monotonic() + budget
        self._folder = folder
        self._password = password
        self.client: DAVClient = DAVClient(
            url=connection.url,
            username=connection.user,
            password=password,
            timeout=timeout,  # type: ignore[arg-type]  # niquests takes a float too
            rate_limit_handle=False,
            enable_rfc6764=False,
        )
        self.base = connection.url
        # a redirect is reported, not followed: the login goes only where it was sent
        self.client.session.max_redirects = 0

    def path_of(self, href: str) -> str:
        return unquote(urlsplit(urljoin(self.base, href)).path)

    def url_of(self, path: str) -> str:
        return urljoin(self.base, quote(path))

    def href_for(self, name: str) -> str:
        return self.path_of(quote(name))

    def inside(self, path: str) -> bool:
        """Whether `path` is a resource of the collection itself: a server's answer naming
        anything else is not acted on."""
        own = self.path_of(self.base).rstrip("/") + "/"
        name = path[len(own) :] if path.startswith(own) else ""
        return bool(name) and "/" not in name

    @contextlib.contextmanager
    def _talking(self) -> Iterator[None]:
        """caldav's and the network's failures as one sentence each."""
        import niquests
        from caldav.lib import error

        host = self.connection.host
        limit = self.timeout
        if self.give_up is not None:
            limit = min(limit, self.give_up - time.monotonic())
            if limit <= 0:
                raise CalendarUnreachable(
                    f"the calendar server {host} is slow (more than {self.budget:g} s in all)"
                )
        try:
            with deadline(limit):
                yield
        except TimeUp:
            if limit < self.timeout:
                raise CalendarUnreachable(
                    f"the calendar server {host} is slow (more than {self.budget:g} s in all)"
                ) from None
            raise CalendarUnreachable(
                f"the calendar server {host} did not answer within {self.timeout:g} s"
            ) from None
        except error.NotFoundError:
            raise CalendarSettingsProblem(
                f"there is no calendar at {self.base} (404 Not Found): give the "
                "collection's own URL"
            ) from None
        except error.AuthorizationError as err:
            if err.status == 403 or "forbidden" in str(err.reason).lower():
                raise CalendarSettingsProblem(
                    f"the calendar server {host} refused {self.connection.user} access to "
                    f"{self.base} (403 Forbidden): check that it is a calendar of yours that "
                    "this login may write to"
                ) from None
            credentials.tell(
                self._folder, {**self.connection.credential(), "password": self._password}, "reject"
            )
            raise CalendarSettingsProblem(
                f"the calendar server {host} refused the login {self.connection.user} "
                "(401): the password or app token is wrong; it was handed back with git "
                "credential reject: run `mentorkit calendar connect URL` to give the right one"
            ) from None
        except niquests.exceptions.Timeout:
            raise CalendarUnreachable(
                f"the calendar server {host} did not answer within {self.timeout:g} s"
            ) from None
        except error.RateLimitError:
            raise CalendarUnreachable(
                f"the calendar server {host} asked to wait before trying again"
            ) from None
        except niquests.exceptions.TooManyRedirects as err:
            response = getattr(err, "response", None)
            where = (response.headers.get("Location") if response is not None else None) or "?"
            raise CalendarSettingsProblem(
                f"{self.base} redirects to {shown_url(urljoin(self.base, where))}: connect "
                "that URL (redirects are not followed, so the login goes only where you say)"
            ) from None
        except (niquests.exceptions.RequestException, OSError) as err:
            _unusable_tls(host, err)
            raise CalendarUnreachable(
                f"could not reach the calendar server {host} ({_short(err)})"
            ) from None
        except error.DAVError as err:
            import re

            failed = re.match(r"\s*5\d\d [A-Za-z][A-Za-z -]*", str(err.args[0]) if err.args else "")
            if failed:  # the server's own failure, as caldav words it
                raise CalendarUnreachable(
                    f"the calendar server {host} failed ({failed.group(0).strip()})"
                ) from None
            raise CalendarUnreachable(
                f"the calendar server {host} gave an answer that could not be used ({_short(err)})"
            ) from None

    def _answer(self, response: Any) -> Answer:
        status = int(response.status)
        if status >= 500:
            raise CalendarUnreachable(
                f"the calendar server {self.connection.host} failed ({status} {response.reason})"
            )
        headers = response.headers or {}
        return Answer(status, headers.get("ETag"), response.raw or "", str(response.reason))

    def listing(self) -> Listing:
        from caldav.collection import Calendar
        from caldav.elements import cdav, dav
        from caldav.elements.base import BaseElement

        from mentorkit.dav.token import CTAG, SYNC_TOKEN

        class CTag(BaseElement):
            tag = CTAG

        found = Listing()
        with self._talking():
            calendar = Calendar(client=self.client, url=self.base)
            asked = [dav.ResourceType(), cdav.SupportedCalendarComponentSet(), dav.GetEtag()]
            response: Any = calendar.get_properties(
                [*asked, dav.SyncToken(), CTag()],
                depth=1,
                parse_response_xml=False,
            )
            if response.status == 404:
                raise CalendarSettingsProblem(
                    f"there is no calendar at {self.base} (404 Not Found): give the "
                    "collection's own URL"
                )
            self._answer(response)
            results = response.parse_propfind()
        own = self.path_of(self.base).rstrip("/")
        for result in results:
            path = self.path_of(result.href)
            kinds = result.properties.get(dav.ResourceType.tag) or []
            if path.rstrip("/") == own:
                found.is_calendar = cdav.Calendar.tag in kinds
                comps = result.properties.get(cdav.SupportedCalendarComponentSet.tag)
                found.components = [c.upper() for c in comps] if comps else None
                for name in (SYNC_TOKEN, CTAG):
                    value = result.properties.get(name)
                    if isinstance(value, str) and value.strip():
                        found.tokens[name] = value.strip()
            elif self.inside(path) and dav.Collection.tag not in kinds and result.status == 200:
                found.etags[path] = result.properties.get(dav.GetEtag.tag)
        if not found.is_calendar:
            raise CalendarSettingsProblem(
                f"{self.base} is not a calendar collection: give the URL of one calendar "
                "(Nextcloud: https://HOST/remote.php/dav/calendars/USER/CALENDAR/)"
            )
        if found.components is not None and "VEVENT" not in found.components:
            raise CalendarSettingsProblem(
                f"{self.base} holds only {', '.join(found.components)}, no events: connect "
                "a calendar that holds events"
            )
        return found

    def relisted(self) -> Listing | None:
        """The listing again, after the writes; None if it could not be had (the sync
        itself is done)."""
        try:
            return self.listing()
        except MentorkitError:
            return None

    def get(self, path: str) -> Answer:
        with self._talking():
            return self._answer(self.client.request(self.url_of(path), "GET"))

    def put(self, path: str, body: str, *, if_match: str | None) -> Answer:
        """PUT with If-Match (the ETag the item had) or, for a new one, If-None-Match."""
        headers = {"Content-Type": "text/calendar; charset=utf-8"}
        if if_match:
            headers["If-Match"] = if_match
        else:
            headers["If-None-Match"] = "*"
        with self._talking():
            return self._answer(self.client.put(self.url_of(path), body, headers))

    def delete(self, path: str, *, if_match: str | None) -> Answer:
        headers = {"If-Match": if_match} if if_match else {}
        with self._talking():
            return self._answer(self.client.delete(self.url_of(path), headers))

    def find_uid(self, uid: str) -> str | None:
        """Where the collection holds `uid` under another name (a calendar that imported an
        earlier export): its path, or None."""
        from caldav.collection import Calendar
        from caldav.lib import error

        with self._talking():
            calendar = Calendar(client=self.client, url=self.base)
            try:
                found: Any = calendar.object_by_uid(uid)
            except error.NotFoundError:
                return None
        path = self.path_of(str(found.url)) if found.url else None
        return path if path and self.inside(path) else None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.close()


def _unusable_tls(host: str, err: BaseException) -> None:
    """A certificate not trusted, or https to a port that speaks plain http: trying again
    will not help, so these are settings problems, each in one sentence."""
    told = repr(err)
    if "CERTIFICATE_VERIFY_FAILED" in told or "certificate verify failed" in told:
        raise CalendarSettingsProblem(
            f"the certificate of the calendar server {host} is not trusted (certificate "
            "verify failed); for a private certificate authority set SSL_CERT_FILE to its "
            "certificate file"
        ) from None
    if "WRONG_VERSION_NUMBER" in told or "wrong version number" in told:
        raise CalendarSettingsProblem(
            f"the calendar server {host} does not speak https at that port: check the URL"
        ) from None


def _short(err: BaseException) -> str:
    text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def connect(
    folder: Path, url_text: str, user: str | None, person: Role, *, may_ask: bool
) -> tuple[Connection, Collection, Listing]:
    """Check that the URL is a calendar this login may read, then remember it in this
    clone's git config and hand the password to git's credential helper (`approve`)."""
    if user is not None and not one_line(user):
        raise UsageProblem("--user is not a login: one line of text without control characters")
    url, url_user, url_password = parse_url(url_text)
    connection = Connection(url, user or url_user, person)
    password = url_password or password_for(folder, connection, may_ask=may_ask)
    if not connection.user:
        raise UsageProblem(
            "which login? Say --user NAME (or put it in the URL: https://NAME@HOST/...)"
        )
    collection = Collection(connection, password, 20.0, folder, 300.0)
    listing = collection.listing()
    credentials.tell(folder, {**connection.credential(), "password": password}, "approve")
    remember(folder, connection)
    return connection, collection, listing
