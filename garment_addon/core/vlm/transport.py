"""One HTTP POST under a total deadline (connect + headers + body) that a trickling server cannot stretch.

``requests`` and ``http.client`` time out each socket read, not the request: a server that sends a
byte every few seconds keeps them waiting forever. Here a watchdog shuts the socket down when the
deadline passes, whatever the request is doing (connecting, TLS handshake, headers, body).
"""

from __future__ import annotations

import http.client
import os
import socket
import ssl
import threading
import time
import urllib.request
from dataclasses import dataclass
from http.client import HTTPException
from urllib.parse import urlsplit

MAX_BODY = 4 * 2**20  # a chat answer is a few kB; a server streaming more is misbehaving


class TimedOut(Exception):
    """The deadline passed before the whole answer arrived."""


class Unreachable(Exception):
    """No connection to the server (DNS, refused, TLS): the URL, not the model, is wrong."""


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    text: str


class _Watchdog:
    """Shuts the request's socket down at the deadline; ``fired`` tells the reader why it stopped."""

    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds
        self.fired = False
        self._fd: int | None = None
        self._done = False
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, seconds), self._fire)
        self._timer.daemon = True

    def left(self) -> float:
        return max(0.01, self.end - time.monotonic())

    def connect(self, address, timeout=None, source_address=None) -> socket.socket:
        """socket.create_connection bounded by the deadline, remembered so the watchdog can shut it."""
        sock = socket.create_connection(address, self.left(), source_address)
        with self._lock:
            self._fd = sock.fileno()
            if self.fired:
                sock.close()
                raise TimedOut
        return sock

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            if self._done or self._fd is None:
                return
            try:  # shut down a duplicate: the connection's own fd stays valid for its owner to close
                dup = socket.socket(fileno=os.dup(self._fd))
                dup.shutdown(socket.SHUT_RDWR)
                dup.close()
            except OSError:
                pass

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        with self._lock:
            self._done = True
        self._timer.cancel()


def _tls_context() -> ssl.SSLContext:
    try:
        import certifi  # the bundle requests uses, when installed

        return ssl.create_default_context(cafile=certifi.where())
    except ImportError:
        return ssl.create_default_context()


def _connection(url, dog: _Watchdog) -> tuple[http.client.HTTPConnection, str]:
    """A connection for ``url`` (through HTTP(S)_PROXY when set) and the request target to send."""
    u = urlsplit(url)
    port = u.port or (443 if u.scheme == "https" else 80)
    target = (u.path or "/") + (f"?{u.query}" if u.query else "")
    proxy = urllib.request.getproxies().get(u.scheme)
    if proxy and urllib.request.proxy_bypass(u.hostname or ""):
        proxy = None
    host, conn_port = u.hostname, port
    if proxy:
        p = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        host, conn_port = p.hostname, p.port or 8080
    if u.scheme == "https":
        conn = http.client.HTTPSConnection(host, conn_port, timeout=dog.left(), context=_tls_context())
        if proxy:
            conn.set_tunnel(u.hostname, port)
    else:
        conn = http.client.HTTPConnection(host, conn_port, timeout=dog.left())
        if proxy:
            target = url
    conn._create_connection = dog.connect  # every socket it opens is bounded by the deadline
    return conn, target


def post(url: str, body: bytes, headers: dict[str, str], seconds: float) -> Reply:
    """POST ``body``; the Reply within ``seconds`` in all, or TimedOut / Unreachable / OSError."""
    dog = _Watchdog(seconds)
    conn, target = _connection(url, dog)
    try:
        with dog:  # left before conn.close(): the watchdog never touches a closed (reused) fd
            _connect(conn, dog)
            try:
                conn.request("POST", target, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read(MAX_BODY + 1)
            except (OSError, HTTPException) as exc:
                if dog.fired or isinstance(exc, TimeoutError):
                    raise TimedOut from None
                raise
            if dog.fired:  # a close-delimited body cut short by the watchdog reads as complete
                raise TimedOut
    finally:
        conn.close()
    if len(data) > MAX_BODY:
        raise OSError(f"answer larger than {MAX_BODY // 2**20} MB")
    try:
        text = data.decode(resp.headers.get_content_charset() or "utf-8", "replace")
    except LookupError:
        text = data.decode("utf-8", "replace")
    return Reply(resp.status, {k.lower(): v for k, v in resp.getheaders()}, text)


def _connect(conn: http.client.HTTPConnection, dog: _Watchdog) -> None:
    try:
        conn.connect()
    except TimedOut:
        raise
    except OSError as exc:  # ssl.SSLError is one too
        if dog.fired or isinstance(exc, TimeoutError):
            raise TimedOut from None
        raise Unreachable(exc.strerror or str(exc)[:120] or exc.__class__.__name__) from None
