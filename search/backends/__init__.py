"""The engines behind site search: the interface (`base`) and one backend per database."""

from django.db import connection

from .base import SearchBackend
from .postgres import PostgresBackend
from .sqlite import SqliteBackend


def get_backend() -> SearchBackend:
    """The engine of the database the index lives in."""
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()
