"""The recorded services on loopback, and an HTTP client that records its waits."""

import pytest

from sources.http import HttpClient
from sources.recorded import RecordedServer


@pytest.fixture
def recorded(settings):
    """The recorded payloads served on 127.0.0.1, with every source pointed at them."""
    with RecordedServer() as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        yield server


class Waits(list):
    """Stands in for time.sleep: remembers how long the client would have waited."""

    def __call__(self, seconds):
        self.append(seconds)


@pytest.fixture
def waits():
    return Waits()


@pytest.fixture
def http_client(waits):
    client = HttpClient(
        timeout=0.5, retries=3, backoff=1.0, max_bytes=64 * 1024, max_retry_after=30, sleep=waits
    )
    yield client
    client.close()
