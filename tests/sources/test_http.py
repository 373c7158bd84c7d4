"""The HTTP client every source uses: timeouts, retries with backoff, 429, size limits,
and the JSON and XML parsers, against a real server on loopback."""

import threading
import time
from email.utils import formatdate

import pytest

from sources.errors import FetchError, PayloadError
from sources.http import parse_json, parse_xml
from sources.recorded import Reply, json_reply


def sequence(*replies):
    """A handler that gives `replies` in turn, then repeats the last."""
    remaining = list(replies)

    def handler(request, match):
        return remaining.pop(0) if len(remaining) > 1 else remaining[0]

    return handler


def test_a_slow_service_times_out_after_retries_with_exponential_backoff(
    recorded, http_client, waits
):
    answer = threading.Event()

    def hanging(request, match):
        answer.wait(timeout=60)  # hangs until the client has given up
        return json_reply({})

    recorded.add(r"/slow", hanging)
    try:
        with pytest.raises(FetchError) as raised:
            http_client.get(f"{recorded.base_url}/slow")
    finally:
        answer.set()
    assert "timed out after 4 attempts" in raised.value.render("en")
    assert waits == [1.0, 2.0, 4.0]
    assert len(recorded.requests_to("/slow")) == 4


def test_server_errors_are_retried_until_the_service_answers(recorded, http_client, waits):
    recorded.add(r"/flaky", sequence(Reply(status=503), Reply(status=502), json_reply({"ok": 1})))
    response = http_client.get(f"{recorded.base_url}/flaky")
    assert response.json() == {"ok": 1}
    assert waits == [1.0, 2.0]


def test_429_waits_as_long_as_retry_after_asks(recorded, http_client, waits):
    recorded.add(
        r"/limited",
        sequence(Reply(status=429, headers={"Retry-After": "7"}), json_reply({"ok": 1})),
    )
    assert http_client.get(f"{recorded.base_url}/limited").json() == {"ok": 1}
    assert waits == [7.0]


def test_429_understands_an_http_date_in_retry_after(recorded, http_client, waits):
    later = formatdate(time.time() + 10, usegmt=True)
    recorded.add(
        r"/limited",
        sequence(Reply(status=429, headers={"Retry-After": later}), json_reply({"ok": 1})),
    )
    http_client.get(f"{recorded.base_url}/limited")
    assert len(waits) == 1
    assert 5 <= waits[0] <= 11


def test_429_asking_for_too_long_a_wait_fails_clearly_without_waiting(recorded, http_client, waits):
    recorded.add(r"/limited", sequence(Reply(status=429, headers={"Retry-After": "3600"})))
    with pytest.raises(FetchError) as raised:
        http_client.get(f"{recorded.base_url}/limited")
    assert "429" in raised.value.render("en")
    assert "3600" in raised.value.render("nb")
    assert waits == []


def test_a_client_error_is_not_retried(recorded, http_client, waits):
    with pytest.raises(FetchError) as raised:
        http_client.get(f"{recorded.base_url}/nowhere")
    assert "404" in raised.value.render("en")
    assert waits == []
    assert len(recorded.requests_to("/nowhere")) == 1


@pytest.mark.parametrize("send_length", [True, False], ids=["content-length", "streamed"])
def test_an_oversized_answer_is_refused(recorded, http_client, send_length):
    body = b"[" + b"1," * 40_000 + b"1]"
    recorded.add(r"/big", lambda request, match: Reply(body=body, send_length=send_length))
    with pytest.raises(PayloadError) as raised:
        http_client.get(f"{recorded.base_url}/big")
    assert "SOURCES_MAX_RESPONSE_BYTES" in raised.value.render("en")


def test_304_is_an_answer(recorded, http_client):
    recorded.add(r"/same", lambda request, match: Reply(status=304))
    assert http_client.get(f"{recorded.base_url}/same").not_modified


def test_invalid_json_says_where():
    with pytest.raises(PayloadError) as raised:
        parse_json(b'{"items": [1, 2,', "https://example.org/feed")
    message = raised.value.render("en")
    assert "not valid JSON" in message
    assert "line 1" in message
    assert "https://example.org/feed" in message
    assert "ikke gyldig JSON" in raised.value.render("nb")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<VacancyList>&lol3;</VacancyList>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<VacancyList>&xxe;</VacancyList>"""


@pytest.mark.parametrize("body", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["expansion", "external"])
def test_xml_with_entities_is_refused(body):
    with pytest.raises(PayloadError) as raised:
        parse_xml(body, "https://example.org/list.xml")
    assert "DTD or entities" in raised.value.render("en")


def test_plain_xml_is_parsed():
    root = parse_xml(b'<VacancyList xmlns="urn:EasyCruit"><Vacancy id="1"/></VacancyList>')
    assert root[0].get("id") == "1"


def test_broken_xml_is_refused_clearly():
    with pytest.raises(PayloadError) as raised:
        parse_xml(b"<VacancyList><Vacancy></VacancyList>")
    assert "not well-formed XML" in raised.value.render("en")
