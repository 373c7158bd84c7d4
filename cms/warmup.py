"""Warming the application in gunicorn's master before it forks its workers.

A fresh worker's first request would otherwise pay for what every request after it gets
for free: importing the modules that views import lazily, reading the translation
catalogues, building the URL resolvers, compiling the templates (the cached template
loader keeps them), building the StreamField block definitions. Rendering one page of
each kind once, in the master, does all of that once; every worker forked afterwards,
including those gunicorn starts when it recycles one, inherits it.

The warm-up asks Django directly (not the response cache, which would keep the answers),
as an anonymous reader on the site's own host. It is best effort: a database that does
not answer, or a page that fails, is logged and the server starts all the same. Every
database connection it opened is closed before the fork (a connection must never be
shared by two processes); Redis' client opens new connections in a forked process by
itself.
"""

import logging
import time
from urllib.parse import urlsplit
from wsgiref.util import setup_testing_defaults

from django.conf import settings
from django.db import DatabaseError, connections

from wagtail.models import Page

logger = logging.getLogger(__name__)

# Besides one live page of each page type: the front pages, the sitemap and the API.
FIXED_PATHS = ("/nb/", "/en/", "/sitemap.xml", "/sitemap-1.xml", "/api/v1/pages?limit=1")


def paths_to_warm() -> list[str]:
    """The fixed paths, and the address of one live page of each type in each language
    (the first in the tree's order): one query for the kinds, one for each page."""
    paths = list(FIXED_PATHS)
    listed = Page.objects.live().public().filter(depth__gt=2)
    kinds = listed.order_by().values_list("content_type", "locale").distinct()
    for content_type, locale in kinds:
        page = listed.filter(content_type=content_type, locale=locale).order_by("path").first()
        url = page.specific_deferred.get_url() if page else None
        if url:
            paths.append(urlsplit(url).path)
    return paths


def warm(application, close_connections: bool = True) -> list[tuple[str, int]]:
    """Render each path once through `application`; (path, status) of each."""
    started = time.monotonic()
    answers = []
    try:
        paths = paths_to_warm()
    except DatabaseError as error:
        logger.warning("warm-up skipped: the database did not answer (%s)", error)
        paths = []
    for path in paths:
        try:
            answers.append((path, _get(application, path)))
        except Exception:  # a page that fails here fails for its reader too, and is reported
            logger.exception("warm-up: %s failed", path)
            answers.append((path, 500))
    if close_connections:
        connections.close_all()
    logger.info(
        "warmed up %d addresses in %.2f s before starting workers",
        len(answers),
        time.monotonic() - started,
    )
    return answers


def _get(application, target: str) -> int:
    path, _sep, query = target.partition("?")
    host = urlsplit(settings.SITE_BASE_URL).netloc if settings.SITE_BASE_URL else ""
    host = host or "localhost"
    environ = {}
    setup_testing_defaults(environ)
    environ.update(
        REQUEST_METHOD="GET",
        PATH_INFO=path,
        QUERY_STRING=query,
        HTTP_HOST=host,
        SERVER_NAME=host.split(":")[0],
        HTTP_ACCEPT="text/html",
        HTTP_ACCEPT_LANGUAGE=settings.LANGUAGE_CODE,
    )
    if settings.SECURE_SSL_REDIRECT:
        environ.update(
            {"wsgi.url_scheme": "https", "HTTPS": "on", "HTTP_X_FORWARDED_PROTO": "https"}
        )
    status = {}

    def start_response(line, headers, exc_info=None):
        status["code"] = int(line.split()[0])
        return lambda data: None

    result = application(environ, start_response)
    try:
        for _chunk in result:
            pass
    finally:
        if hasattr(result, "close"):
            result.close()
    return status["code"]
