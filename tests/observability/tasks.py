"""A background task for the tests: it returns the request id it runs under."""

from django_tasks import task

from observability import context


@task()
def request_id_seen() -> str | None:
    return context.current()
