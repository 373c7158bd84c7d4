"""A background task run by the worker (`manage.py db_worker`) logs under the id of the
request that enqueued it (`observability.tasks`)."""

from django.core.management import call_command

import pytest

from observability import context

from .tasks import request_id_seen


@pytest.mark.django_db(transaction=True)  # the worker commits and closes its connection
def test_a_background_task_runs_under_the_request_id_that_enqueued_it(settings):
    # As in production: queued in the database, run by `manage.py db_worker`.
    settings.TASKS = {**settings.TASKS, "default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with context.bound("req-enqueuing-42"):
        result = request_id_seen.enqueue()
    assert context.current() is None
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    assert request_id_seen.get_result(result.id).return_value == "req-enqueuing-42"


@pytest.mark.django_db(transaction=True)
def test_a_scheduled_task_gets_an_id_of_its_own(settings):
    settings.TASKS = {**settings.TASKS, "default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    first, second = request_id_seen.enqueue(), request_id_seen.enqueue()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    seen = {request_id_seen.get_result(each.id).return_value for each in (first, second)}
    assert len(seen) == 2
    assert all(context.accepted(each) for each in seen)
