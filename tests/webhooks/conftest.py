"""The webhook tests run on the shared region (`tests.regions`) with a partner's endpoint
on loopback."""

import pytest

from ..regions import region, region_keys  # noqa: F401  (the shared test region)
from ..servers import WebhookReceiver


@pytest.fixture
def receiver():
    with WebhookReceiver() as server:
        yield server
