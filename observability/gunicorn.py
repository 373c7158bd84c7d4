"""gunicorn's own log lines in the site's format (`LOG_FORMAT`, JSON unless "plain"), with
the request id on the access line, and without the client's address, the query string,
the referrer or the user agent (`cms.gunicorn` chooses the access line's fields)."""

import os

from gunicorn.glogging import Logger as GunicornLogger

from . import context
from .logs import JsonFormatter, RedactingFormatter, RequestIdFilter


class Logger(GunicornLogger):
    def setup(self, cfg):
        super().setup(cfg)
        json_lines = os.environ.get("LOG_FORMAT", "json").strip() != "plain"
        for log, plain in ((self.error_log, self.error_fmt), (self.access_log, "%(message)s")):
            for handler in log.handlers:
                handler.addFilter(RequestIdFilter())
                handler.setFormatter(
                    JsonFormatter() if json_lines else RedactingFormatter(plain, self.datefmt)
                )

    def access(self, resp, req, environ, request_time):
        request_id = next(
            (value for name, value in resp.headers if name.lower() == context.HEADER.lower()),
            None,
        )
        with context.bound(request_id or "-"):
            super().access(resp, req, environ, request_time)
