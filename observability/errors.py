"""Error reports to Sentry (or a service that speaks its protocol) when `SENTRY_DSN` is set.

Reports carry the request id as a tag, the release and the environment, and no personal
data: Sentry's own `send_default_pii` stays off (no cookies, no user, no IP address), the
request's headers and query string are dropped, and the message and the traceback's
values are redacted like the logs.
"""

import os

from .context import current
from .logs import redact


def _scrub(value):
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: _scrub(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item) for item in value]
    return value


def before_send(event, hint):
    request_id = current()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    request = event.get("request")
    if isinstance(request, dict):
        event["request"] = {key: request[key] for key in ("url", "method") if key in request}
        if "url" in event["request"]:
            event["request"]["url"] = event["request"]["url"].split("?", 1)[0]
    event.pop("user", None)
    event.pop("server_name", None)
    for key in ("message", "logentry", "exception", "breadcrumbs", "extra"):
        if key in event:
            event[key] = _scrub(event[key])
    return event


def init_from_environment(environ=os.environ) -> bool:
    """Start error reporting if `SENTRY_DSN` is set; whether it was started."""
    dsn = environ.get("SENTRY_DSN", "").strip()
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environ.get("SENTRY_ENVIRONMENT", "production"),
        release=environ.get("SENTRY_RELEASE") or None,
        send_default_pii=False,
        traces_sample_rate=float(environ.get("SENTRY_TRACES_SAMPLE_RATE", "0") or 0),
        integrations=[DjangoIntegration(), LoggingIntegration()],
        before_send=before_send,
        # Local variables in a traceback may hold anything a reader sent.
        include_local_variables=False,
        max_request_body_size="never",
    )
    return True
