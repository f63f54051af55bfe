"""Whether the collection changed since the last sync, asked with the standard library
alone: one read-only PROPFIND (Depth 0) for the collection's change tokens (the CalendarServer
getctag and the RFC 6578 sync-token, whichever the server gives); each should change with
any change to any resource in the collection, and "unchanged" needs all of them unchanged. The caldav library's HTTP stack takes about half
a second to import; a sync of an unchanged file into an unchanged collection needs only
this one answer. Anything but a plain answer gives None, and the sync then takes the full
path through the caldav library: this never decides that there is something to do, only,
when every sign agrees, that there is nothing."""

from __future__ import annotations

import base64
import os
import re
from urllib.parse import unquote, urljoin, urlsplit

from mentorkit.dav.connection import TimeUp, deadline
from mentorkit.errors import CalendarUnreachable

SYNC_TOKEN, CTAG = "{DAV:}sync-token", "{http://calendarserver.org/ns/}getctag"
_ASKED = b"<sync-token/><CS:getctag/>"
_PROXIES = ("http_proxy", "https_proxy", "all_proxy")
_MOST = 64 * 1024  # a Depth 0 answer about one collection is a few hundred bytes


def current(url: str, user: str, password: str, timeout: float) -> dict[str, str] | None:
    """The collection's change tokens (SYNC_TOKEN, CTAG) as the server reports them now, or
    None when the answer is anything but a plain 207 naming the collection itself (a login
    refused, a redirect, a proxy to go through, TLS trouble, no token...). A server that
    does not answer within `timeout` is CalendarUnreachable: asking it again the full way
    would only wait as long once more."""
    if any(os.environ.get(name) or os.environ.get(name.upper()) for name in _PROXIES):
        return None  # the caldav library's stack knows proxies; this one does not
    try:
        with deadline(timeout):
            return _ask(url, user, password, timeout)
    except (TimeUp, TimeoutError):
        host = urlsplit(url).netloc.rpartition("@")[2]
        raise CalendarUnreachable(
            f"the calendar server {host} did not answer within {timeout:g} s"
        ) from None
    except (OSError, ValueError):
        return None


def telling(value: str) -> bool:
    """Whether a token can tell this collection from one deleted and made again under the
    same URL: one that is a small counter at its end (sabre/dav's, used by Nextcloud and
    Baikal, is `http://sabre.io/ns/sync/N`, and N starts again at 1 for a new calendar)
    cannot, whatever it says."""
    return re.search(r"(?:^|[^0-9A-Za-z])\d{1,9}$", value.strip().strip('"')) is None


def _ask(url: str, user: str, password: str, timeout: float) -> dict[str, str] | None:
    import http.client

    parts = urlsplit(url)
    if parts.query or parts.fragment or not parts.hostname:
        return None
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        import ssl

        connection = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=timeout, context=ssl.create_default_context()
        )
    elif parts.scheme == "http":
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    else:
        return None
    login = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    headers = {
        "Authorization": f"Basic {login}",
        "Depth": "0",
        "Content-Type": 'application/xml; charset="utf-8"',
        "Accept-Encoding": "identity",
        "User-Agent": "mentorkit",
    }
    try:
        asked = (
            b'<?xml version="1.0" encoding="utf-8"?>\n'
            b'<propfind xmlns="DAV:" xmlns:CS="http://calendarserver.org/ns/">'
            b"<prop>" + _ASKED + b"</prop></propfind>"
        )
        connection.request("PROPFIND", parts.path or "/", asked, headers)
        response = connection.getresponse()
        if response.status != 207 or response.getheader("Content-Encoding", "identity") not in (
            "identity",
            "",
        ):
            return None
        data = response.read(_MOST + 1)
    except http.client.HTTPException:
        return None
    finally:
        connection.close()
    if len(data) > _MOST:
        return None
    return _tokens(data, url) or None


def _tokens(data: bytes, url: str) -> dict[str, str]:
    """The tokens a multistatus gives the collection at `url`, if it names that one only
    (else none)."""
    from xml.etree import ElementTree

    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return {}
    answers = root.findall("{DAV:}response") if root.tag == "{DAV:}multistatus" else []
    if len(answers) != 1:
        return {}
    href = answers[0].findtext("{DAV:}href") or ""
    own = unquote(urlsplit(url).path).rstrip("/")
    if unquote(urlsplit(urljoin(url, href.strip())).path).rstrip("/") != own:
        return {}
    found = {}
    for propstat in answers[0].findall("{DAV:}propstat"):
        status = (propstat.findtext("{DAV:}status") or "").split()
        if len(status) < 2 or status[1] != "200":
            continue
        for name in (SYNC_TOKEN, CTAG):
            value = propstat.find(f"{{DAV:}}prop/{name}")
            if value is not None and (value.text or "").strip():
                found[name] = value.text.strip()  # type: ignore[union-attr]  # just checked
    return found
