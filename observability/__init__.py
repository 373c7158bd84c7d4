"""Seeing the site run: request ids, structured logs, metrics and error reports.

The lowest floor: every app may record a metric or read the current request id, and this
package imports none of them.

- `context`: the id of the request (or task, or pipeline run) being served, carried in a
  context variable, taken from an incoming `X-Request-ID` or made up;
- `logs`: a filter that puts the id on every log record and a JSON formatter that writes
  one object a line and leaves out personal data (e-mail and IP addresses are redacted);
- `metrics`: the Prometheus metrics and their exposition (one process or gunicorn's many);
- `wsgi`: the outermost WSGI wrapper that gives each request its id and measures it, and
  answers the metrics endpoint to a scraper that shows the token;
- `errors`: error reports to Sentry when `SENTRY_DSN` is set, without personal data;
- `tasks`: the id carried from the request that enqueued a background task to the worker.
"""
