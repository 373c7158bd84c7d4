"""The request id carried from the request that enqueued a background task to the worker
that runs it.

When a task is enqueued under an id (`task_enqueued`), the id is kept in the cache under
the task result's id for a day; when a worker starts the task (`task_started`) it binds
that id, or a new one if the cache has none (the cache was away or emptied), so the
worker's log lines say which request asked for the work. A task run in the enqueuing
process (the immediate backend: Wagtail's own tasks after every save) keeps the id of
what it runs in, and costs the cache nothing.
"""

import logging

from django.core.cache import cache
from django.dispatch import receiver

from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.signals import task_enqueued, task_finished, task_started

from . import context

logger = logging.getLogger(__name__)
KEPT_SECONDS = 24 * 60 * 60
_tokens = {}


def _immediate(sender) -> bool:
    """Whether the signal comes from the immediate backend (its class is sent at enqueue,
    the worker sends a backend instance)."""
    backend = sender if isinstance(sender, type) else type(sender)
    return issubclass(backend, ImmediateBackend)


def _key(result_id) -> str:
    return f"observability:task:{result_id}"


@receiver(task_enqueued)
def remember_request_id(sender, task_result, **kwargs):
    request_id = context.current()
    if request_id is None or _immediate(sender):
        return
    try:
        cache.set(_key(task_result.id), request_id, KEPT_SECONDS)
    except Exception:
        logger.warning("request id of task %s not kept: the cache did not answer", task_result.id)


@receiver(task_started)
def bind_request_id(sender, task_result, **kwargs):
    if _immediate(sender):
        return  # run in the enqueuing process, under its id if it has one
    try:
        request_id = cache.get(_key(task_result.id))
    except Exception:
        request_id = None
    manager = context.bound(request_id)
    manager.__enter__()
    _tokens[task_result.id] = manager
    logger.debug("task %s started", task_result.task.name)


@receiver(task_finished)
def unbind_request_id(sender, task_result, **kwargs):
    manager = _tokens.pop(task_result.id, None)
    if manager is not None:
        logger.debug("task %s finished: %s", task_result.task.name, task_result.status)
        manager.__exit__(None, None, None)
