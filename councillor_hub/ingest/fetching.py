"""Fetch one feed over HTTP with hard limits, never reaching hosts it should not.

feedparser's own fetcher has no timeout, no size cap, follows redirects to internal hosts and
reads ``file:`` URLs (threat model §0.3), so feeds are fetched here with httpx and only the bytes go
to the parser. The guarantees:

* **Time**: connect and read timeouts per socket operation, and a total per-feed deadline that every
  socket read is also held to, so a server dribbling one byte a second (in the headers or the
  body) is cut off at the deadline (slow loris).
* **Size**: the body is streamed and decompressed here, a bounded amount at a time, and the fetch
  stops as soon as the *decompressed* size passes the cap (gzip bombs never get inflated).
* **Where**: http and https only; every hop's host is resolved here and refused if any address it
  uses is loopback, private, link-local, reserved, multicast or unspecified (IPv4, IPv6 and
  IPv4-mapped IPv6), unless the host is allowed. The connection then goes to exactly the checked
  addresses (a custom httpcore network backend), so a DNS answer cannot change between check and
  connect (DNS rebinding); TLS still uses the host name for SNI and certificate checks.
* **Redirects** are followed by hand, at most ``max_redirects`` hops, never from https to http;
  a chain of only permanent redirects (301/308) is reported with the new URL to put in the registry.
* **Politeness**: a clear User-Agent, conditional GET (ETag / Last-Modified), and the status codes
  that tell us to stop (410) or slow down (429, 5xx, with Retry-After).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import ipaddress
import socket
import ssl
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin

import certifi
import httpcore
import httpx

from .. import __version__

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
PROJECT_URL = "https://github.com/councillor-hub/councillor-hub"
REDIRECT_CODES = {301, 302, 303, 307, 308}
PERMANENT_REDIRECT_CODES = {301, 308}
NAT64 = ipaddress.ip_network("64:ff9b::/96")


# (host, port) → the addresses it resolves to.
Lookup = Callable[[str, int], list[str]]


@dataclass(frozen=True)
class FetchOptions:
    """Limits for one feed fetch; the defaults suit a daily job over a few hundred blogs."""

    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 60.0
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = 5
    user_agent: str = f"CouncillorHub-Ingest/{__version__} (+{PROJECT_URL})"
    allow_hosts: frozenset[str] = frozenset()
    # None: a new ``default_tls_context()`` per fetch. A run makes one and shares it: loading the
    # CA bundle costs about 25 ms of CPU, which was a quarter of the fetch threads' time (issue #14).
    tls_context: ssl.SSLContext | None = field(default=None, compare=False, repr=False)
    # None: the operating system's resolver. Tests pass their own to give a host name answers no
    # real DNS server would (one public and one private address, the rebinding case).
    lookup: Lookup | None = field(default=None, compare=False, repr=False)


@dataclass
class FetchResult:
    """What happened when fetching one feed.

    ``outcome`` is one of ``ok`` (``body`` holds the bytes), ``not-modified``, ``gone`` or
    ``failed`` (``reason`` is a short stable code such as ``timeout`` or ``http-503``;
    ``detail`` is a sentence for people).
    """

    outcome: str
    url: str
    final_url: str | None = None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    http_status: int | None = None
    moved_to: str | None = None
    retry_after: float | None = None
    reason: str = ""
    detail: str = ""


class FetchRefused(Exception):
    """A fetch we will not make (or continue); ``reason`` is a short stable code."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def user_agent_for(site_url: str | None) -> str:
    """``CouncillorHub-Ingest/<version> (+<the hub's site_url>)``, so a blog's owner can see who fetches."""
    url = site_url if site_url and site_url.startswith(("https://", "http://")) else PROJECT_URL
    return f"CouncillorHub-Ingest/{__version__} (+{url})"


# --- Addresses ---------------------------------------------------------------------------------


def is_public_address(address: str) -> bool:
    """True only for globally routable unicast addresses (IPv4-mapped and NAT64 IPv6 unwrapped)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            ip = embedded
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or not ip.is_global
    )


def system_lookup(host: str, port: int) -> list[str]:
    """The addresses the operating system's resolver gives for ``host`` (``Lookup``)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def resolve(host: str, port: int, *, allowed: bool, lookup: Lookup | None = None) -> list[str]:
    """The addresses to connect to for ``host``; refuses non-public ones unless ``allowed``."""
    try:
        found = (lookup or system_lookup)(host, port)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchRefused("dns", f"cannot find the host {host!r} ({exc})") from exc
    addresses = list(dict.fromkeys(found))
    if allowed:
        return addresses
    refused = [a for a in addresses if not is_public_address(a)]
    if refused:
        # All or nothing: a name that mixes public and private answers is a rebinding trick.
        raise FetchRefused(
            "blocked-address",
            f"{host} resolves to a private or local address ({', '.join(refused)}); "
            "allow it with --allow-host or allow_hosts if this is intended",
        )
    return addresses


# --- A network backend that connects only to checked addresses, within the deadline -----------


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream, deadline: float) -> None:
        self.inner = inner
        self.deadline = deadline

    def _timeout(self, timeout: float | None) -> float:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise httpcore.ReadTimeout("the feed's total time limit was reached")
        return remaining if timeout is None else min(timeout, remaining)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, self._timeout(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, self._timeout(timeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(
            self.inner.start_tls(ssl_context, server_hostname, self._timeout(timeout)), self.deadline
        )

    def get_extra_info(self, info: str) -> object:
        return self.inner.get_extra_info(info)


class PinnedBackend(httpcore.NetworkBackend):
    """Connects a host name only to the addresses the fetcher checked for it (``pins``)."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.pins: dict[str, list[str]] = {}
        self.inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self.pins.get(host.lower())
        if not addresses:
            raise httpcore.ConnectError(f"{host} was not checked before connecting")
        last_error: Exception | None = None
        for address in addresses:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                raise httpcore.ConnectTimeout("the feed's total time limit was reached")
            try:
                stream = self.inner.connect_tcp(
                    address, port, min(timeout or remaining, remaining), local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
                continue
            return _DeadlineStream(stream, self.deadline)
        assert last_error is not None
        raise last_error

    def connect_unix_socket(self, *args: object, **kwargs: object) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are never used for feeds")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def default_tls_context() -> ssl.SSLContext:
    """Certificate and host name checks against certifi's CA bundle (safe to share between threads)."""
    return ssl.create_default_context(cafile=certifi.where())


class PinnedTransport(httpx.HTTPTransport):
    def __init__(self, backend: PinnedBackend, tls_context: ssl.SSLContext) -> None:
        # Given the context, httpx does not load a CA bundle of its own for the pool replaced below.
        super().__init__(verify=tls_context, trust_env=False, retries=0)
        # httpx has no public way to pass a network backend; httpcore's pool takes one.
        self._pool = httpcore.ConnectionPool(
            ssl_context=tls_context,
            max_connections=4,
            retries=0,
            network_backend=backend,
        )


# --- Bodies --------------------------------------------------------------------------------------


class _Decoder:
    """Content-Encoding decoding that never produces more than ``limit`` bytes in total."""

    def __init__(self, encoding: str, limit: int) -> None:
        self.encoding = encoding
        self.limit = limit
        self.total = 0
        self.inflater: zlib._Decompress | None = None

    def _new_inflater(self, first: bytes) -> zlib._Decompress:
        if self.encoding in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        # "deflate" is meant to be zlib-wrapped, but some servers send raw deflate.
        wrapped = len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0
        return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)

    def _count(self, data: bytes) -> bytes:
        self.total += len(data)
        if self.total > self.limit:
            raise FetchRefused("too-large", f"the feed is bigger than {self.limit // 1024} KiB once decompressed")
        return data

    def feed(self, chunk: bytes) -> bytes:
        if self.encoding in ("", "identity"):
            return self._count(chunk)
        out = []
        pending = chunk
        while pending:
            if self.inflater is None:
                self.inflater = self._new_inflater(pending)
            try:
                out.append(self._count(self.inflater.decompress(pending, self.limit - self.total + 1)))
            except zlib.error as exc:
                raise FetchRefused("bad-compression", f"the compressed body is damaged ({exc})") from exc
            pending = self.inflater.unconsumed_tail
            if self.inflater.eof:
                pending = self.inflater.unused_data  # another gzip member, or nothing
                self.inflater = None
        return b"".join(out)


def _read_body(response: httpx.Response, max_bytes: int, deadline: float) -> bytes:
    encodings = [e.strip().lower() for e in response.headers.get("content-encoding", "").split(",") if e.strip()]
    if len(encodings) > 1 or (encodings and encodings[0] not in ("gzip", "x-gzip", "deflate", "identity")):
        raise FetchRefused("bad-compression", f"unsupported Content-Encoding {', '.join(encodings)!r}")
    decoder = _Decoder(encodings[0] if encodings else "", max_bytes)
    raw_total = 0
    parts = []
    for chunk in response.iter_raw(chunk_size=64 * 1024):
        raw_total += len(chunk)
        if raw_total > max_bytes:
            raise FetchRefused("too-large", f"the feed is bigger than {max_bytes // 1024} KiB")
        if time.monotonic() > deadline:
            raise FetchRefused("timeout", "the feed took longer than its time limit to download")
        parts.append(decoder.feed(chunk))
    return b"".join(parts)


# Longest wait the ingester ever honours, and the most digits of a number read from a header.
# A server can send any header it likes: a Retry-After of 14 digits once overflowed
# ``datetime.timedelta`` and stopped every run (issue #15), so numbers are bounded as text,
# before they become numbers.
MAX_RETRY_AFTER = dt.timedelta(days=1)
MAX_HEADER_DIGITS = 12
# Validators are echoed back on the next request and stored in state.json: a huge one is a
# broken or hostile server, and is not kept.
MAX_VALIDATOR_LENGTH = 1000


def header_seconds(value: str | None) -> int | None:
    """A header holding a whole number of seconds (``Retry-After: 120``), or None if it does not.

    Surplus digits are not parsed: anything longer than ``MAX_HEADER_DIGITS`` is "very long" and
    the caller clamps it (issue #15).
    """
    if value is None:
        return None
    value = value.strip()
    if not value or not value.isascii() or not value.isdigit():
        return None
    if len(value.lstrip("0")) > MAX_HEADER_DIGITS:
        return 10**MAX_HEADER_DIGITS
    return int(value)


def retry_after_seconds(value: str | None, now: dt.datetime) -> float | None:
    """Retry-After as seconds from ``now``, at most one day (it may be seconds or an HTTP date)."""
    if not value:
        return None
    cap = MAX_RETRY_AFTER.total_seconds()
    seconds = header_seconds(value)
    if seconds is not None:
        return float(min(seconds, cap))
    if len(value) > 100:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, OverflowError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return min(cap, max(0.0, (when - now).total_seconds()))


def validator(value: str | None) -> str | None:
    """An ETag or Last-Modified worth sending back, or None."""
    if not value or len(value) > MAX_VALIDATOR_LENGTH:
        return None
    return value


# --- The fetch -----------------------------------------------------------------------------------


def _check_hop(url: httpx.URL, previous: httpx.URL | None) -> None:
    if url.scheme not in ("http", "https"):
        raise FetchRefused("bad-scheme", f"only http and https feeds are fetched, not {url.scheme or 'a bare path'}:")
    if previous is not None and previous.scheme == "https" and url.scheme == "http":
        raise FetchRefused("downgrade", f"refused to follow a redirect from https to plain http ({url})")
    if not url.host:
        raise FetchRefused("bad-url", f"{url} has no host")
    if url.userinfo:
        raise FetchRefused("bad-url", "feed addresses must not carry a user name or password")


def fetch_feed(
    url: str,
    options: FetchOptions,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    now: dt.datetime | None = None,
) -> FetchResult:
    """Fetch ``url`` under ``options``' limits. Never raises for network or server trouble."""
    now = now or dt.datetime.now(dt.UTC)
    deadline = time.monotonic() + options.deadline
    backend = PinnedBackend(deadline)
    timeout = httpx.Timeout(
        connect=min(options.connect_timeout, options.deadline),
        read=min(options.read_timeout, options.deadline),
        write=min(options.read_timeout, options.deadline),
        pool=min(options.read_timeout, options.deadline),
    )
    headers = {
        "User-Agent": options.user_agent,
        "Accept": "application/atom+xml, application/rss+xml, application/rdf+xml, application/xml;q=0.9, "
        "text/xml;q=0.9, */*;q=0.1",
        # Only encodings decoded (and capped) here; never brotli/zstd we cannot bound the same way.
        "Accept-Encoding": "gzip, deflate",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    allowed = {h.lower().strip("[]") for h in options.allow_hosts}
    result = FetchResult(outcome="failed", url=url)
    permanent_only = True
    try:
        with httpx.Client(
            transport=PinnedTransport(backend, options.tls_context or default_tls_context()),
            timeout=timeout,
            follow_redirects=False,
            trust_env=False,
        ) as client:
            current = httpx.URL(url)
            previous: httpx.URL | None = None
            for hop in range(options.max_redirects + 1):
                _check_hop(current, previous)
                host = current.raw_host.decode("ascii").lower()
                port = current.port or (443 if current.scheme == "https" else 80)
                backend.pins[host] = resolve(host, port, allowed=host in allowed, lookup=options.lookup)
                with client.stream("GET", current, headers=headers) as response:
                    status = response.status_code
                    result.http_status = status
                    if status in REDIRECT_CODES:
                        location = response.headers.get("location")
                        if not location:
                            raise FetchRefused("bad-redirect", f"HTTP {status} without a Location header")
                        try:
                            target = httpx.URL(urljoin(str(current), location.strip()))
                        except (httpx.InvalidURL, ValueError) as exc:
                            raise FetchRefused("bad-redirect", f"unusable redirect target {location!r}") from exc
                        permanent_only = permanent_only and status in PERMANENT_REDIRECT_CODES
                        previous, current = current, target
                        if hop == options.max_redirects:
                            raise FetchRefused("too-many-redirects", f"more than {options.max_redirects} redirects")
                        continue
                    result.final_url = str(current)
                    if hop and permanent_only:
                        result.moved_to = str(current)
                    result.etag = validator(response.headers.get("etag"))
                    result.last_modified = validator(response.headers.get("last-modified"))
                    if status == 304 and not (etag or last_modified):
                        # "Not modified" since what? We sent no validators: the server is at fault,
                        # and saying "unchanged" would hide that the feed was never read (issue #15).
                        result.reason = "bad-304"
                        result.detail = (
                            "HTTP 304 Not Modified to a request that asked for the whole feed (a server fault)"
                        )
                    elif status == 304:
                        result.outcome = "not-modified"
                    elif status == 410:
                        result.outcome, result.reason, result.detail = "gone", "gone", "HTTP 410 Gone"
                    elif 200 <= status < 300:
                        result.body = _read_body(response, options.max_bytes, deadline)
                        # No Content-Location: feedparser would resolve relative guids against the
                        # feed's URL, and a moved feed would then change every post's identity.
                        result.headers = {"content-type": response.headers.get("content-type", "")}
                        result.outcome = "ok"
                    else:
                        result.reason, result.detail = f"http-{status}", f"HTTP {status} {response.reason_phrase}"
                        if status == 429 or status >= 500:
                            result.retry_after = retry_after_seconds(response.headers.get("retry-after"), now)
                    return result
    except FetchRefused as exc:
        result.reason, result.detail = exc.reason, exc.detail
    except httpx.TimeoutException:
        result.reason, result.detail = "timeout", f"no complete answer within {options.deadline:g} s"
    except httpx.InvalidURL as exc:
        result.reason, result.detail = "bad-url", str(exc)
    except (httpx.HTTPError, httpcore.ConnectError) as exc:
        message = str(exc) or type(exc).__name__
        reason = "tls" if "certificate" in message.lower() or "ssl" in message.lower() else "connect"
        result.reason, result.detail = reason, message
    result.outcome = "failed"
    return result
