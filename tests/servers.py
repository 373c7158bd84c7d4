"""Real servers on loopback that the tests start and stop themselves.

- an S3-protocol server (moto's server mode): boto3 talks to it over HTTP; in a thread of
  this process, or as a process of its own that can be stopped or frozen;
- a Redis server of our own on a free port (never the machine's one on 6379);
- a recorder of HTTP PURGE requests, standing in for Varnish or a CDN's purge endpoint;
- a partner's webhook endpoint, recording what it is sent;
- Sentry's ingestion endpoint, recording the error reports it is sent.
"""

import gzip
import json
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"Nothing answered on 127.0.0.1:{port} within {timeout} s")


class S3Server:
    """moto's S3 server in a thread of this process; the clients still speak HTTP to it."""

    region = "eu-north-1"
    access_key = "test-access-key"
    secret_key = "test-secret-key"

    def __init__(self):
        self.port = free_port()
        self._server = None

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "S3Server":
        from moto.server import ThreadedMotoServer

        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._server.start()
        wait_for_port(self.port)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def environ(self, bucket: str) -> dict[str, str]:
        """The environment production would have, for `cms.settings.base.media_storage`."""
        return {
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint_url,
            "AWS_S3_REGION_NAME": self.region,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_S3_ADDRESSING_STYLE": "path",
            "AWS_S3_TIMEOUT": "2",
        }

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
        )


class ServerProcess:
    """A server process of our own that can be stopped (refusing connections meanwhile), or
    paused and resumed (hanging meanwhile)."""

    def __init__(self):
        self.port = free_port()
        self._process = None
        self._paused = False

    def command(self) -> list[str]:
        raise NotImplementedError

    def start(self):
        self._process = subprocess.Popen(  # noqa: S603 - fixed arguments
            self.command(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_for_port(self.port)
        return self

    def pause(self) -> None:
        """Freeze the process (SIGSTOP): the kernel still accepts connections, but nothing
        answers, as with a server that hangs or a network that drops packets."""
        self._process.send_signal(signal.SIGSTOP)
        self._paused = True

    def resume(self) -> None:
        """Let the frozen process run again (SIGCONT), with everything it held."""
        self._process.send_signal(signal.SIGCONT)
        self._paused = False

    def stop(self) -> None:
        if self._process is not None:
            if self._paused:
                self.resume()  # a frozen process would not act on SIGTERM
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None


class RedisServer(ServerProcess):
    """A redis-server of our own on a free port, without persistence."""

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def command(self) -> list[str]:
        executable = shutil.which("redis-server")
        if executable is None:
            raise RuntimeError("redis-server is missing: run `make system-deps`.")
        return [
            executable,
            *("--port", str(self.port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no"),
        ]


class S3Process(ServerProcess, S3Server):
    """moto's S3 server as a process of its own, for the tests that stop or freeze it."""

    def __init__(self):
        ServerProcess.__init__(self)

    def command(self) -> list[str]:
        return [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)]


class LoopbackHTTPServer:
    """An HTTP server in a thread of this process on a free port, with a handler of its own."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]):
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class _QuietHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass


class PurgeRecorder(LoopbackHTTPServer):
    """An HTTP server that answers PURGE with 200 and records (Host, path) of each."""

    def __init__(self):
        self.requests: list[tuple[str, str]] = []
        recorder = self

        class Handler(_QuietHandler):
            def do_PURGE(self):
                with recorder._lock:
                    recorder.requests.append((self.headers.get("Host", ""), self.path))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        super().__init__(Handler)

    def paths(self) -> set[str]:
        with self._lock:
            return {path for _host, path in self.requests}

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()


class WebhookReceiver(LoopbackHTTPServer):
    """A partner's webhook endpoint: records each POST (headers, body) and answers with the
    next of the statuses it is given (then 204); a 3xx status carries a Location."""

    def __init__(self):
        self.deliveries: list[tuple[dict[str, str], bytes]] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(_QuietHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver._lock:
                    receiver.deliveries.append(
                        ({name.lower(): value for name, value in self.headers.items()}, body)
                    )
                    status = receiver.statuses.pop(0) if receiver.statuses else 204
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", "/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

        super().__init__(Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/ranaregionen"


class SentryReceiver(LoopbackHTTPServer):
    """Sentry's ingestion endpoint as the SDK speaks to it (`POST /api/<project>/envelope/`,
    gzip-compressed envelopes: a JSON header line, then an item header and payload per
    item); records the events it is sent and signals each."""

    project = 42
    key = "0123456789abcdef0123456789abcdef"

    def __init__(self):
        self.events: list[dict] = []
        self.raw: list[bytes] = []
        self.received = threading.Event()
        receiver = self

        class Handler(_QuietHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                with receiver._lock:
                    receiver.raw.append(body)
                    receiver.events += _envelope_events(body)
                if self.path == f"/api/{receiver.project}/envelope/":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(b"{}")
                else:
                    self.send_response(404)
                    self.end_headers()
                receiver.received.set()

        super().__init__(Handler)

    @property
    def dsn(self) -> str:
        return f"http://{self.key}@127.0.0.1:{self.port}/{self.project}"


def _envelope_events(envelope: bytes) -> list[dict]:
    lines = envelope.split(b"\n")
    events, index = [], 1
    while index + 1 < len(lines):
        header = json.loads(lines[index])
        payload = lines[index + 1]
        if header.get("type") == "event":
            events.append(json.loads(payload))
        index += 2
    return events


class LinkTarget(LoopbackHTTPServer):
    """A website that editors link to: each path answers as `answers` says (a status, or
    a (HEAD status, GET status) pair), and every request is recorded (method, path, UA)."""

    def __init__(self, answers: dict[str, int | tuple[int, int]]):
        self.answers = dict(answers)
        self.requests: list[tuple[str, str, str]] = []
        target = self

        class Handler(_QuietHandler):
            def answer(self, method: str) -> None:
                with target._lock:
                    target.requests.append((method, self.path, self.headers["User-Agent"]))
                    status = target.answers.get(self.path, 404)
                if isinstance(status, tuple):
                    status = status[0] if method == "HEAD" else status[1]
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", "/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_HEAD(self):
                self.answer("HEAD")

            def do_GET(self):
                self.answer("GET")

        super().__init__(Handler)
