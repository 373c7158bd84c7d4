"""The one HTTP client every source uses, and the parsers for what it receives.

- a timeout on every request (connect and read);
- retries with exponential backoff on network errors and on 500, 502, 503 and 504;
- 429 answered by waiting as long as `Retry-After` asks (seconds or an HTTP date), up to
  a ceiling, and then failing clearly rather than hanging;
- conditional requests (`If-None-Match`, `If-Modified-Since`): a 304 is an answer;
- a ceiling on the size of an answer, checked on `Content-Length` and while reading;
- JSON parsed with errors that say where, XML parsed only through defusedxml (no DTDs,
  no entities, no external references).
"""

import json
import logging
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import defusedxml.ElementTree
import requests
from defusedxml import DefusedXmlException

from .errors import FetchError, PayloadError

logger = logging.getLogger(__name__)

RETRY_STATUSES = {500, 502, 503, 504}
USER_AGENT = "ranaregionen-sources/1 (+https://ranaregionen.no)"


@dataclass
class Response:
    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def json(self):
        return parse_json(self.body, self.url)

    def xml(self):
        return parse_xml(self.body, self.url)

    def text(self) -> str:
        try:
            return self.body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise PayloadError(
                _("The answer from %(url)s is not UTF-8 text: %(error)s."),
                url=self.url,
                error=error,
            ) from error


def parse_json(body: bytes, url: str = ""):
    try:
        return json.loads(body)
    except UnicodeDecodeError as error:
        raise PayloadError(
            _("The answer from %(url)s is not UTF-8 text: %(error)s."), url=url, error=error
        ) from error
    except json.JSONDecodeError as error:
        raise PayloadError(
            _(
                "The answer from %(url)s is not valid JSON (line %(line)s, column %(column)s: "
                "%(reason)s). The service may be down or have changed its format."
            ),
            url=url,
            line=error.lineno,
            column=error.colno,
            reason=error.msg,
        ) from error


def parse_xml(body: bytes, url: str = ""):
    """Parse XML refusing DTDs, entity declarations and external references."""
    try:
        return defusedxml.ElementTree.fromstring(
            body, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as error:
        raise PayloadError(
            _(
                "The XML from %(url)s was refused because it declares a DTD or entities "
                "(%(reason)s); such documents can read local files or exhaust memory."
            ),
            url=url,
            reason=type(error).__name__,
        ) from error
    except defusedxml.ElementTree.ParseError as error:
        raise PayloadError(
            _("The answer from %(url)s is not well-formed XML: %(reason)s."),
            url=url,
            reason=error,
        ) from error


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - timezone.now()).total_seconds())


def short_url(url: str) -> str:
    """The URL without its query: tokens and long filters stay out of the log."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


class HttpClient:
    """A `requests` session with the pipeline's rules. `sleep` is injectable so that the
    tests can check the waits without waiting."""

    def __init__(
        self,
        *,
        timeout: float | None = None,
        retries: int | None = None,
        backoff: float | None = None,
        max_bytes: int | None = None,
        max_retry_after: float | None = None,
        sleep=time.sleep,
    ):
        self.timeout = timeout if timeout is not None else settings.SOURCES_HTTP_TIMEOUT
        self.retries = retries if retries is not None else settings.SOURCES_HTTP_RETRIES
        self.backoff = backoff if backoff is not None else settings.SOURCES_HTTP_BACKOFF
        self.max_bytes = max_bytes if max_bytes is not None else settings.SOURCES_MAX_RESPONSE_BYTES
        self.max_retry_after = (
            max_retry_after if max_retry_after is not None else settings.SOURCES_MAX_RETRY_AFTER
        )
        self.sleep = sleep
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        # Never pick up a proxy from the environment for these calls: the recorded
        # payloads are served on loopback, and production reaches the services directly.
        self.session.trust_env = False
        self.requests_made = 0

    def close(self):
        self.session.close()

    def get(self, url, *, params=None, headers=None, accept=(200,)) -> Response:
        return self.request("GET", url, params=params, headers=headers, accept=accept)

    def post(self, url, *, json_body=None, headers=None, accept=(200,)) -> Response:
        return self.request("POST", url, json_body=json_body, headers=headers, accept=accept)

    def request(
        self, method, url, *, params=None, json_body=None, headers=None, accept=(200,)
    ) -> Response:
        """Answer with a response whose status is in `accept` (304 is always accepted),
        or raise `FetchError` saying why not, after the retries."""
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._once(method, url, params, json_body, headers)
            except requests.RequestException as error:
                if attempt > self.retries:
                    kind = (
                        _("timed out")
                        if isinstance(error, requests.Timeout)
                        else _("could not be reached")
                    )
                    raise FetchError(
                        _(
                            "%(url)s %(kind)s after %(attempts)s attempts. Check the address "
                            "in the settings and the network; the last good data is kept."
                        ),
                        url=short_url(url),
                        kind=kind,
                        attempts=attempt,
                    ) from error
                self._wait(self.backoff * 2 ** (attempt - 1), url, str(error))
                continue

            if response.status in accept or response.status == 304:
                return response
            if response.status == 429:
                delay = _retry_after_seconds(response.headers.get("retry-after"))
                if delay is None:
                    delay = self.backoff * 2 ** (attempt - 1)
                if attempt > self.retries or delay > self.max_retry_after:
                    raise FetchError(
                        _(
                            "%(url)s refused more requests (429 Too Many Requests) and asked "
                            "to wait %(delay)s seconds. The next scheduled run will try again."
                        ),
                        url=short_url(url),
                        delay=round(delay),
                    )
                self._wait(delay, url, "429")
                continue
            if response.status in RETRY_STATUSES and attempt <= self.retries:
                self._wait(self.backoff * 2 ** (attempt - 1), url, str(response.status))
                continue
            raise FetchError(
                _("%(url)s answered with HTTP status %(status)s."),
                url=short_url(url),
                status=response.status,
            )

    def _wait(self, seconds: float, url: str, reason: str) -> None:
        logger.warning("Retrying %s in %.1f s (%s)", short_url(url), seconds, reason)
        self.sleep(seconds)

    def _once(self, method, url, params, json_body, headers) -> Response:
        self.requests_made += 1
        with self.session.request(
            method,
            url,
            params=params,
            json=json_body,
            headers=headers or {},
            timeout=self.timeout,
            stream=True,
            allow_redirects=True,
        ) as answer:
            length = answer.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > self.max_bytes:
                raise self._too_large(url)
            chunks, size = [], 0
            for chunk in answer.iter_content(chunk_size=64 * 1024):
                size += len(chunk)
                if size > self.max_bytes:
                    raise self._too_large(url)
                chunks.append(chunk)
            return Response(
                url=answer.url,
                status=answer.status_code,
                headers={key.lower(): value for key, value in answer.headers.items()},
                body=b"".join(chunks),
            )

    def _too_large(self, url):
        return PayloadError(
            _(
                "The answer from %(url)s is larger than %(limit)s bytes and was refused. "
                "If the source has grown, raise SOURCES_MAX_RESPONSE_BYTES."
            ),
            url=short_url(url),
            limit=self.max_bytes,
        )
