"""Throw-away PostgreSQL databases for the benchmarks."""

from urllib.parse import urlparse, urlunparse


def server_and_database(url: str) -> tuple[str, str]:
    """The server's maintenance database URL and the database's name, from `url`."""
    parsed = urlparse(url)
    return urlunparse(parsed._replace(path="/postgres")), parsed.path.lstrip("/")


def recreate_database(url: str) -> None:
    """Drop the database `url` names, if it is there, and create it empty."""
    import psycopg

    server, name = server_and_database(url)
    with psycopg.connect(server.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
