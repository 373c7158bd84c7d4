"""The id of the work being done: a request, a background task or a pipeline run.

Log lines, error reports and task runs carry it, so that an operator can follow one
reader's request, or one publish, from the web process into the task worker. An id sent
by the proxy in front (`X-Request-ID`) is kept when it looks like one; otherwise a new one
is made.
"""

import contextvars
import re
import uuid
from contextlib import contextmanager

HEADER = "X-Request-ID"
ENVIRON_KEY = "HTTP_X_REQUEST_ID"
# What an incoming id may look like: a proxy's UUID or trace id, never free text (which
# could carry personal data or break a log line).
ACCEPTED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,99}")

_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


def new_id() -> str:
    return uuid.uuid4().hex


def accepted(incoming: str | None) -> str | None:
    """`incoming` when it is an id we keep, else None."""
    if incoming and ACCEPTED.fullmatch(incoming):
        return incoming
    return None


def current() -> str | None:
    """The id of the work being done in this thread or task, if any."""
    return _current.get()


@contextmanager
def bound(request_id: str | None = None):
    """Do the enclosed work under `request_id` (a new id if none is given)."""
    request_id = request_id or new_id()
    token = _current.set(request_id)
    try:
        yield request_id
    finally:
        _current.reset(token)


@contextmanager
def ensured():
    """The enclosed work under the current id, or under a new one when there is none (a
    management command, a scheduled run)."""
    existing = current()
    if existing:
        yield existing
    else:
        with bound() as request_id:
            yield request_id
