"""Log records with the request id, written as one JSON object a line without personal data.

`LOG_FORMAT=json` (the production default) chooses `JsonFormatter`; the plain format
carries the id too. The formatter redacts e-mail and IP addresses wherever they appear in
a message or a traceback: the site's readers are anonymous and its logs must not make them
otherwise (and editors' addresses have no business in a log shipped to a log service).
"""

import ipaddress
import json
import logging
import re
from datetime import UTC, datetime

from . import context

# The atext of RFC 5322 before the "@", a domain after it.
EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
# Candidates, each confirmed by `ipaddress` (so that "12:30" or "v1.2.3" stay as written).
IPV4_LIKE = re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.])")
IPV6_LIKE = re.compile(r"(?<![\w:.])[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")
REDACTED_EMAIL = "[email]"
REDACTED_IP = "[ip]"


def _ip(match: re.Match) -> str:
    found = match.group(0)
    candidate = found.rstrip(".")  # the full stop of a sentence
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return found
    return REDACTED_IP + found[len(candidate) :]


def redact(text: str) -> str:
    """`text` with e-mail and IP addresses replaced by placeholders."""
    text = EMAIL.sub(REDACTED_EMAIL, text)
    text = IPV4_LIKE.sub(_ip, text)
    return IPV6_LIKE.sub(_ip, text)


class RequestIdFilter(logging.Filter):
    """Puts the current request id on the record as `request_id` ("-" outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = context.current() or "-"
        return True


class RedactingFormatter(logging.Formatter):
    """The plain format, with personal data redacted."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id, and the traceback
    when there is one. Nothing else from the record is written (a record's `extra` may
    hold a request object, with its cookies and addresses)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
            "request_id": getattr(record, "request_id", None) or context.current() or "-",
        }
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        if record.stack_info:
            entry["stack"] = redact(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False)


def configuration(log_format: str, level: str) -> dict:
    """The LOGGING setting for `log_format` ("json" or "plain")."""
    formatter = (
        {"()": "observability.logs.JsonFormatter"}
        if log_format == "json"
        else {
            "()": "observability.logs.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        }
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "observability.logs.RequestIdFilter"}},
        "formatters": {"default": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.request": {"level": "ERROR"},
            # Wagtail logs every publish and background task at INFO; keep commands readable.
            "wagtail": {"level": "WARNING"},
            "django_tasks": {"level": "WARNING"},
        },
    }
