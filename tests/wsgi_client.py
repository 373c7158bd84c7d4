"""Requests through the WSGI application as gunicorn calls it (`cms.wsgi.application`):
its wrappers (the request observer, the response cache) run, which Django's test client
leaves out."""

from contextlib import contextmanager
from wsgiref.util import setup_testing_defaults

from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from cms.response_cache import STATUS_HEADER
from cms.wsgi import application


class Answer:
    def __init__(self, status, headers, body):
        self.status = int(status.split()[0])
        self.headers = {name.lower(): value for name, value in headers}
        self.set_cookies = [value for name, value in headers if name.lower() == "set-cookie"]
        self.body = body

    @property
    def cache(self) -> str:
        return self.headers.get(STATUS_HEADER.lower(), "")


def call(path, query="", method="GET", app=application, remote_addr=None, **headers) -> Answer:
    environ = {}
    setup_testing_defaults(environ)
    environ.update(
        REQUEST_METHOD=method,
        PATH_INFO=path,
        QUERY_STRING=query,
        HTTP_HOST="testserver",
        SERVER_NAME="testserver",
        SERVER_PORT="80",
    )
    environ.update({f"HTTP_{name.upper()}": value for name, value in headers.items()})
    if remote_addr is not None:
        environ["REMOTE_ADDR"] = remote_addr
    captured = {}

    def start_response(status, response_headers, exc_info=None):
        captured["status"], captured["headers"] = status, response_headers
        return lambda data: None

    with connections_kept():
        result = app(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
    return Answer(captured["status"], captured["headers"], body)


@contextmanager
def connections_kept():
    """Django closes the database connection when a request starts and finishes; in a test
    that would end the test's transaction (on PostgreSQL), so, as Django's test client
    does, not while the application answers. (The test client connects the closing again
    after each of its requests, so a fixture that disconnected it once is not enough.)"""
    closing = (request_started, request_finished)
    disconnected = [signal for signal in closing if signal.disconnect(close_old_connections)]
    try:
        yield
    finally:
        for signal in disconnected:
            signal.connect(close_old_connections)
