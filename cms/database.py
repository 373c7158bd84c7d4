"""A safe read whose database connection died during the request is answered anyway.

Django checks a persistent connection before a request reuses it (``CONN_HEALTH_CHECKS``),
which covers a connection that died while idle (a database restart, a failover, an
operator's ``pg_terminate_backend``). A connection that dies *while* a request uses it
still fails that request. For GET and HEAD, which change nothing, that request is run
once more on a fresh connection. Any other method is never retried: its first attempt
may have had effects outside the database.

The retry wraps the whole handler, so the view's transaction (``ATOMIC_REQUESTS``) has
been rolled back and left before the second attempt begins its own.
"""

import logging

from django.db import InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD"})
CONNECTION_ERRORS = (OperationalError, InterfaceError)


def _broken_connections() -> list:
    """The open connections of this thread that a database error has left unusable."""
    broken = []
    for connection in connections.all(initialized_only=True):
        if connection.connection is None:
            continue
        if connection.errors_occurred and not connection.is_usable():
            broken.append(connection)
    return broken


class RetrySafeReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in SAFE_METHODS:
            return self.get_response(request)
        # What the other middleware sets on the request (its session, its user, the API's
        # problem) belongs to one attempt; the second starts from the request as it came.
        state = dict(request.__dict__)
        response = self.get_response(request)
        if not self._lost_connection(request, response):
            return response
        broken = _broken_connections()
        logger.warning(
            "Database connection lost during %s %s; answering it again on a new connection",
            request.method,
            request.path,
        )
        for connection in broken:
            connection.close()
        request.__dict__.clear()
        request.__dict__.update(state)
        return self.get_response(request)

    def process_exception(self, request, exception):
        """Note a view that failed on its connection (after its transaction was left)."""
        if request.method in SAFE_METHODS and isinstance(exception, CONNECTION_ERRORS):
            request._database_connection_lost = True
        return None

    @staticmethod
    def _lost_connection(request, response) -> bool:
        if response.status_code < 500:
            return False
        if getattr(request, "_database_connection_lost", False):
            return True
        # An error outside the view (middleware, a template rendered after the view)
        # reaches here as a 500 without passing process_exception.
        return bool(_broken_connections())
