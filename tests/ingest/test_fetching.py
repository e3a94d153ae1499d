"""The fetcher against a real local server: limits, redirects, address checks (threat cases 1-7)."""

from __future__ import annotations

import datetime as dt
import gzip
import threading
import time
import zlib

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from councillor_hub.ingest.fetching import (
    FetchOptions,
    FetchRefused,
    _check_hop,
    fetch_feed,
    is_public_address,
    retry_after_seconds,
    user_agent_for,
)

from .conftest import FAST, NOW, Project, feed_entry

ALLOW = FetchOptions(**{**FAST.__dict__, "allow_hosts": frozenset({"localhost"})})


def test_plain_fetch_and_conditional_headers(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/f", headers={"If-None-Match": '"e1"'}).respond_with_data("", status=304)
    httpserver.expect_request("/f").respond_with_data("<rss/>", headers={"ETag": '"e1"'})
    first = fetch_feed(httpserver.url_for("/f"), ALLOW)
    assert (first.outcome, first.body, first.etag) == ("ok", b"<rss/>", '"e1"')
    second = fetch_feed(httpserver.url_for("/f"), ALLOW, etag='"e1"')
    assert second.outcome == "not-modified"


def test_loopback_refused_unless_allowed(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/f").respond_with_data("<rss/>")
    result = fetch_feed(httpserver.url_for("/f"), FAST)
    assert (result.outcome, result.reason) == ("failed", "blocked-address")
    assert not httpserver.log  # refused before connecting


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.2:{port}/f",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]:{port}/f",
        "http://[::1]:{port}/f",
        "http://10.0.0.5/f",
        "http://0.0.0.0:{port}/f",
    ],
)
def test_redirect_to_private_address_refused(httpserver: HTTPServer, target: str) -> None:
    httpserver.expect_request("/r").respond_with_data(
        "", status=302, headers={"Location": target.format(port=httpserver.port)}
    )
    result = fetch_feed(httpserver.url_for("/r"), ALLOW)
    assert (result.outcome, result.reason) == ("failed", "blocked-address"), result.detail
    assert len(httpserver.log) == 1


@pytest.mark.parametrize(
    ("location", "reason"),
    [("file:///etc/passwd", "bad-scheme"), ("gopher://localhost/", "bad-scheme"), ("ftp://x/", "bad-scheme")],
)
def test_redirect_to_other_schemes_refused(httpserver: HTTPServer, location: str, reason: str) -> None:
    httpserver.expect_request("/r").respond_with_data("", status=301, headers={"Location": location})
    result = fetch_feed(httpserver.url_for("/r"), ALLOW)
    assert (result.outcome, result.reason) == ("failed", reason)


def test_https_to_http_downgrade_refused() -> None:
    with pytest.raises(FetchRefused) as caught:
        _check_hop(httpx.URL("http://example.org/feed"), httpx.URL("https://example.org/feed"))
    assert caught.value.reason == "downgrade"
    _check_hop(httpx.URL("https://example.org/feed"), httpx.URL("http://example.org/feed"))  # upgrade is fine


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:4700::1111", True),
        ("127.0.0.1", False),
        ("10.1.1.1", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("255.255.255.255", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("64:ff9b::a00:1", False),
        ("2002:7f00:1::", False),
        ("not-an-ip", False),
    ],
)
def test_address_classification(address: str, public: bool) -> None:
    assert is_public_address(address) is public


def test_permanent_redirect_chain_is_reported(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/older"})
    httpserver.expect_request("/older").respond_with_data("", status=308, headers={"Location": "/new"})
    httpserver.expect_request("/new").respond_with_data("<rss/>")
    result = fetch_feed(httpserver.url_for("/old"), ALLOW)
    assert result.outcome == "ok" and result.moved_to == httpserver.url_for("/new")


def test_temporary_hop_in_chain_is_not_a_move(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/tmp"})
    httpserver.expect_request("/tmp").respond_with_data("", status=302, headers={"Location": "/new"})
    httpserver.expect_request("/new").respond_with_data("<rss/>")
    result = fetch_feed(httpserver.url_for("/old"), ALLOW)
    assert result.outcome == "ok" and result.moved_to is None


def test_redirect_loop_stops(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/loop").respond_with_data("", status=302, headers={"Location": "/loop"})
    result = fetch_feed(httpserver.url_for("/loop"), ALLOW)
    assert (result.outcome, result.reason) == ("failed", "too-many-redirects")
    assert len(httpserver.log) == ALLOW.max_redirects + 1


def test_moved_feed_is_reported_in_state(project: Project, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new"})
    httpserver.expect_request("/new").respond_with_data("<rss version='2.0'><channel></channel></rss>")
    project.write_registry(feed_entry("b", httpserver.url_for("/old")))
    report = project.ingest()
    assert "update its url to " + httpserver.url_for("/new") in report.feeds[0].reason
    state = project.state()["feeds"]["b"]
    assert state["status"] == "redirected" and state["suggested_url"] == httpserver.url_for("/new")


@pytest.mark.parametrize("in_headers", [True, False])
def test_slow_loris_hits_the_deadline(slow_server, in_headers: bool) -> None:  # type: ignore[no-untyped-def]
    server = slow_server(in_headers=in_headers)
    options = FetchOptions(connect_timeout=1, read_timeout=1, deadline=1.5, allow_hosts=frozenset({"127.0.0.1"}))
    started = time.monotonic()
    result = within(10, fetch_feed, f"http://127.0.0.1:{server.port}/feed", options)
    elapsed = time.monotonic() - started
    assert (result.outcome, result.reason) == ("failed", "timeout")
    assert elapsed < 2.5


def within(seconds: float, function, *args):  # type: ignore[no-untyped-def]
    """``function(*args)``, failing the test after ``seconds`` instead of hanging with it.

    The slow-loris server dribbles for hours: if the fetcher's deadline broke, a plain call would
    hang the suite rather than fail (issue #15). The call runs in a daemon thread that is left
    behind if it overruns (the server fixture closes its socket when the test ends).
    """
    outcome: list[object] = []
    worker = threading.Thread(target=lambda: outcome.append(function(*args)), daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive() or not outcome:
        pytest.fail(f"{function.__name__} did not return within {seconds} s")
    return outcome[0]


def test_oversized_body_without_length_is_cut_off(httpserver: HTTPServer) -> None:
    def endless():  # type: ignore[no-untyped-def]
        chunk = b"<!-- padding -->" * 4096
        for _ in range(200):  # ~13 MB, chunked, no Content-Length
            yield chunk

    httpserver.expect_request("/big").respond_with_response(Response(endless(), content_type="text/xml"))
    options = FetchOptions(**{**ALLOW.__dict__, "max_bytes": 1024 * 1024})
    result = fetch_feed(httpserver.url_for("/big"), options)
    assert (result.outcome, result.reason) == ("failed", "too-large")


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_compression_bomb_is_stopped_at_the_decompressed_cap(httpserver: HTTPServer, encoding: str) -> None:
    payload = b"\0" * (64 * 1024 * 1024)
    bomb = gzip.compress(payload, compresslevel=9) if encoding == "gzip" else zlib.compress(payload, 9)
    assert len(bomb) < 200_000
    httpserver.expect_request("/bomb").respond_with_data(bomb, headers={"Content-Encoding": encoding})
    result = fetch_feed(httpserver.url_for("/bomb"), ALLOW)
    assert (result.outcome, result.reason) == ("failed", "too-large")


def test_gzip_feed_is_decoded(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/gz").respond_with_data(gzip.compress(b"<rss/>"), headers={"Content-Encoding": "gzip"})
    result = fetch_feed(httpserver.url_for("/gz"), ALLOW)
    assert (result.outcome, result.body) == ("ok", b"<rss/>")


def test_status_codes(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/gone").respond_with_data("", status=410)
    httpserver.expect_request("/busy").respond_with_data("", status=429, headers={"Retry-After": "120"})
    httpserver.expect_request("/missing").respond_with_data("", status=404)
    assert fetch_feed(httpserver.url_for("/gone"), ALLOW).outcome == "gone"
    busy = fetch_feed(httpserver.url_for("/busy"), ALLOW, now=NOW)
    assert (busy.outcome, busy.reason, busy.retry_after) == ("failed", "http-429", 120.0)
    assert fetch_feed(httpserver.url_for("/missing"), ALLOW).reason == "http-404"


def test_retry_after_forms() -> None:
    assert retry_after_seconds("3600", NOW) == 3600
    later = NOW + dt.timedelta(hours=2)
    assert retry_after_seconds(later.strftime("%a, %d %b %Y %H:%M:%S GMT"), NOW) == 7200
    assert retry_after_seconds("soon", NOW) is None


def test_user_agent_names_the_site(project: Project) -> None:
    assert user_agent_for(project.hub.site_url).endswith("(+https://hub.example.org/)")
    assert user_agent_for(project.hub.site_url).startswith("CouncillorHub-Ingest/")


@pytest.fixture
def tls_server(tmp_path):  # type: ignore[no-untyped-def]
    """An https server for ``localhost`` with a self-signed certificate (needs the openssl tool)."""
    import http.server
    import shutil
    import ssl
    import subprocess
    import threading

    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
        check=True, capture_output=True,
    )  # fmt: skip

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            self.send_response(200)
            self.send_header("Content-Length", "6")
            self.end_headers()
            self.wfile.write(b"<rss/>")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], cert
    server.shutdown()
    server.server_close()
    thread.join()


def test_tls_checks_the_host_name_while_connecting_to_the_checked_address(tls_server, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import ssl

    from councillor_hub.ingest import fetching

    port, cert = tls_server
    options = FetchOptions(**{**FAST.__dict__, "allow_hosts": frozenset({"localhost", "127.0.0.1"})})
    untrusted = fetch_feed(f"https://localhost:{port}/feed", options)
    assert (untrusted.outcome, untrusted.reason) == ("failed", "tls")
    real = ssl.create_default_context
    monkeypatch.setattr(fetching.ssl, "create_default_context", lambda cafile=None: real(cafile=str(cert)))
    trusted = fetch_feed(f"https://localhost:{port}/feed", options)
    assert (trusted.outcome, trusted.body) == ("ok", b"<rss/>")  # SNI and certificate name: localhost
    by_address = fetch_feed(f"https://127.0.0.1:{port}/feed", options)
    assert (by_address.outcome, by_address.reason) == ("failed", "tls")  # the certificate is not for the IP


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("9" * 14, 86400.0),  # issue #15: once an OverflowError that stopped every run
        ("9" * 400, 86400.0),
        ("0" * 30 + "60", 60.0),
        ("7200", 7200.0),
        (" 120 ", 120.0),
        ("Fri, 31 Dec 9999 23:59:59 GMT", 86400.0),
        ("Sun, 01 Jan 2023 00:00:00 GMT", 0.0),
        ("-5", None),
        ("1e9", None),
        ("١٢٣", None),  # digits, but not ASCII ones
        ("Mon, 99 Foo 99999999999 GMT", None),
        ("x" * 10_000, None),
    ],
)
def test_retry_after_is_bounded(value: str, seconds: float | None) -> None:
    assert retry_after_seconds(value, NOW) == seconds


def test_oversized_validators_are_not_kept(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/f").respond_with_data(
        "<rss/>", headers={"ETag": '"' + "e" * 5000 + '"', "Last-Modified": "Tue, 04 Jun 2024 09:00:00 GMT"}
    )
    result = fetch_feed(httpserver.url_for("/f"), ALLOW)
    assert (result.etag, result.last_modified) == (None, "Tue, 04 Jun 2024 09:00:00 GMT")


def _answers(table: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    """A resolver that answers from ``table`` (names no real DNS server would answer this way)."""

    def lookup(host: str, port: int) -> list[str]:
        return table[host]

    return lookup


@pytest.mark.parametrize(
    "addresses",
    [
        ["93.184.216.34", "127.0.0.1"],
        ["127.0.0.1", "93.184.216.34"],
        ["2606:4700::1111", "::ffff:10.0.0.1"],
        ["93.184.216.34", "169.254.169.254"],
    ],
)
def test_a_name_with_any_private_answer_is_refused(httpserver: HTTPServer, addresses: list[str]) -> None:
    # The rebinding rule: one private answer among public ones refuses the host, whatever the order.
    httpserver.expect_request("/f").respond_with_data("<rss/>")
    options = FetchOptions(**{**FAST.__dict__, "lookup": _answers({"mixed.test": addresses})})
    result = fetch_feed(f"http://mixed.test:{httpserver.port}/f", options)
    assert (result.outcome, result.reason) == ("failed", "blocked-address")
    private = next(a for a in addresses if not is_public_address(a))
    assert private in result.detail
    assert not httpserver.log


def test_the_connection_goes_to_the_checked_answers(httpserver: HTTPServer) -> None:
    # The control for the test above: the resolver given is the one used to connect.
    httpserver.expect_request("/f").respond_with_data("<rss/>")
    options = FetchOptions(
        **{**FAST.__dict__, "lookup": _answers({"feed.test": ["127.0.0.1"]}), "allow_hosts": frozenset({"feed.test"})}
    )
    result = fetch_feed(f"http://feed.test:{httpserver.port}/f", options)
    assert (result.outcome, result.body) == ("ok", b"<rss/>")
    assert httpserver.log[0][0].headers["Host"] == f"feed.test:{httpserver.port}"


class RawServer:
    """Answers every connection with the same bytes, exactly as given (headers no framework would send)."""

    def __init__(self, answer: bytes) -> None:
        import socket

        self.answer = answer
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                try:
                    conn.recv(65536)
                    conn.sendall(self.answer)
                except OSError:
                    continue

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        self.sock.close()


@pytest.mark.parametrize(
    "headers",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: " + b"9" * 40 + b"\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\nContent-Length: 7\r\n",
        b"HTTP/1.1 503 Busy\r\nContent-Length: 6\r\nRetry-After: " + b"9" * 5000 + b"\r\n",
        b"HTTP/1.1 429 Busy\r\nContent-Length: 6\r\nRetry-After: Fri, 31 Dec 99999 23:59:59 GMT\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\nETag: " + b"e" * 5000 + b"\r\n",
        b"HTTP/1.1 99999999999999999999 Odd\r\nContent-Length: 6\r\n",
    ],
)
def test_hostile_numeric_headers_never_raise(headers: bytes) -> None:
    # Issue #15: every number a server sends is bounded; a fetch reports, it never raises.
    server = RawServer(headers + b"Connection: close\r\n\r\n<rss/>")
    try:
        options = FetchOptions(**{**FAST.__dict__, "allow_hosts": frozenset({"127.0.0.1"})})
        result = within(10, lambda: fetch_feed(f"http://127.0.0.1:{server.port}/f", options, now=NOW))
    finally:
        server.close()
    assert result.outcome in ("ok", "failed")
    assert result.retry_after is None or 0 <= result.retry_after <= 86400
    assert result.etag is None or len(result.etag) <= 1000
