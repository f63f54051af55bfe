"""Whether the collection changed since the last sync, asked with the standard library
alone: one read-only PROPFIND (Depth 0) for one of the collection's change tokens (the
CalendarServer getctag, which servers compute with less work, or the RFC 6578 sync-token);
either changes with any change to any resource in the collection. The caldav library's HTTP stack takes about half
a second to import; a sync of an unchanged file into an unchanged collection needs only
this one answer. Anything but a plain answer gives None, and the sync then takes the full
path through the caldav library: this never decides that there is something to do, only,
when every sign agrees, that there is nothing."""

from __future__ import annotations

import base64
import os
from urllib.parse import unquote, urljoin, urlsplit

from mentorkit.dav.connection import _TimeUp, deadline

SYNC_TOKEN, CTAG = "{DAV:}sync-token", "{http://calendarserver.org/ns/}getctag"
_ASKED = {
    SYNC_TOKEN: b"<sync-token/>",
    CTAG: b"<CS:getctag/>",
}
_PROXIES = ("http_proxy", "https_proxy", "all_proxy")
_MOST = 64 * 1024  # a Depth 0 answer about one collection is a few hundred bytes


def current(url: str, user: str, password: str, timeout: float, name: str) -> str | None:
    """The collection's change token `name` (SYNC_TOKEN or CTAG) as the server reports it
    now, or None when the answer is anything but a plain 207 naming the collection itself (a
    login refused, a redirect, a proxy to go through, TLS trouble, no token, slowness...)."""
    if any(os.environ.get(name) or os.environ.get(name.upper()) for name in _PROXIES):
        return None  # the caldav library's stack knows proxies; this one does not
    try:
        with deadline(timeout):
            return _ask(url, user, password, timeout, name)
    except (_TimeUp, OSError, ValueError):
        return None


def _ask(url: str, user: str, password: str, timeout: float, name: str) -> str | None:
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
            b"<prop>" + _ASKED[name] + b"</prop></propfind>"
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
    return _tokens(data, url).get(name)


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
