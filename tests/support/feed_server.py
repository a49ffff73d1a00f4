"""A real HTTP server on 127.0.0.1 with programmable routes, for fetcher and pipeline tests.

Runs `http.server` in a background thread so tests exercise real sockets, real timeouts and
real (mis)behaving servers without any network access. Each route is a `Route` (or a function
of the request returning one); every request is recorded for assertions.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

TLS_DIR = Path(__file__).resolve().parent / "tls"
TLS_HOST = "feeds.test"
TLS_TRUST = TLS_DIR / "feeds-test-cert.pem"


@dataclass(frozen=True)
class Route:
    """One canned response. `chunks` streams the body piece by piece with `chunk_delay`
    between pieces; `content_length=False` omits the header and closes the connection to end
    the body (HTTP/1.1 §6.3 rule 8). `hang_up` closes the connection without answering, as a
    server does when it times out a kept-alive connection just as a request arrives."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    chunks: tuple[bytes, ...] | None = None
    chunk_delay: float = 0.0
    content_length: bool = True
    hang_up: bool = False


@dataclass(frozen=True)
class RecordedRequest:
    """What the server received."""

    path: str
    headers: dict[str, str]
    peer: tuple[str, int] = ("", 0)  # the client's address and port: one per connection


Responder = Route | Callable[[RecordedRequest], Route]


class FeedServer:
    """Routes by path; unknown paths get 404. Use `serve()` to run one."""

    def __init__(self) -> None:
        self.routes: dict[str, Responder] = {}
        self.requests: list[RecordedRequest] = []
        self.max_in_flight = 0
        self._in_flight = 0
        self._lock = threading.Lock()
        self.stopping = threading.Event()
        self.port = 0
        self.tls = False
        self.server_names: list[str | None] = []

    def url(self, path: str) -> str:
        """The full URL of a path on this server (by name `feeds.test` when serving TLS)."""
        if self.tls:
            return f"https://{TLS_HOST}:{self.port}{path}"
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, responder: Responder) -> str:
        """Install a route and return its URL."""
        self.routes[path] = responder
        return self.url(path)

    def _enter(self, request: RecordedRequest) -> Route:
        with self._lock:
            self.requests.append(request)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        responder = self.routes.get(request.path, Route(status=404, body=b"not found"))
        return responder(request) if callable(responder) else responder

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1


def conditional(body: bytes, *, etag: str | None = None, last_modified: str | None = None,
                content_type: str = "application/rss+xml") -> Callable[[RecordedRequest], Route]:
    """A route that honours If-None-Match / If-Modified-Since like a well-behaved server."""
    validators = {"content-type": content_type}
    if etag:
        validators["etag"] = etag
    if last_modified:
        validators["last-modified"] = last_modified

    def respond(request: RecordedRequest) -> Route:
        if etag and request.headers.get("if-none-match") == etag:
            return Route(status=304, headers=validators)
        if last_modified and request.headers.get("if-modified-since") == last_modified:
            return Route(status=304, headers=validators)
        return Route(body=body, headers=validators)

    return respond


def _handler_for(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def handle(self) -> None:
            # The client hangs up on purpose in timeout and size-limit tests.
            with suppress(BrokenPipeError, ConnectionResetError):
                super().handle()

        def do_GET(self) -> None:
            recorded = RecordedRequest(
                self.path, {k.lower(): v for k, v in self.headers.items()},
                (str(self.client_address[0]), int(self.client_address[1])),
            )
            route = server._enter(recorded)
            try:
                self._respond(route)
            finally:
                server._leave()

        def _respond(self, route: Route) -> None:
            if route.hang_up:
                self.close_connection = True
                return
            if route.delay and server.stopping.wait(route.delay):
                return
            self.send_response(route.status)
            for name, value in route.headers.items():
                self.send_header(name, value)
            pieces = route.chunks if route.chunks is not None else (route.body,)
            if route.content_length and route.status != 304:
                self.send_header("Content-Length", str(sum(len(p) for p in pieces)))
            if not route.content_length:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            for index, piece in enumerate(pieces):
                if index and route.chunk_delay and server.stopping.wait(route.chunk_delay):
                    return
                self.wfile.write(piece)
                self.wfile.flush()

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: pytest shows failures, not access logs."""

    return Handler


@contextmanager
def serve(*, tls: bool = False) -> Iterator[FeedServer]:
    """Run a `FeedServer` on an ephemeral 127.0.0.1 port for the duration of the block.

    With `tls=True` it serves HTTPS as `feeds.test` (certificate in `tls/`; clients trust
    `TLS_TRUST`) and records the TLS server name each client asked for.
    """
    state = FeedServer()
    state.tls = tls
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(state))
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(TLS_DIR / "feeds-test.pem")

        def record_name(_sock: ssl.SSLObject, name: str | None, _ctx: ssl.SSLContext) -> None:
            state.server_names.append(name)

        context.sni_callback = record_name
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    state.port = httpd.server_address[1]
    thread = threading.Thread(
        target=httpd.serve_forever, args=(0.05,), name="feed-server", daemon=True
    )
    thread.start()
    try:
        yield state
    finally:
        state.stopping.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
