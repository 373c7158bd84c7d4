"""Bulk machine translation as a background task (django-tasks, which Wagtail also uses).

A web request only creates a `MachineTranslationJob` and enqueues `run_job` when its
transaction commits; the task translates page after page and saves its progress after
each, so the admin can show it. A key DeepL refuses or a quota used up stops the job (the
remaining pages would fail the same way); any other failure is recorded for its page and
the job goes on.
"""

from django.db import transaction
from django.utils import timezone

from wagtail.models import Page

from django_tasks import task

from .deepl import DeepLError
from .machine import machine_translate_page
from .models import MachineTranslationJob

STOPPING_STATUSES = {403, 456}


def start_job(page_ids: list[int], language: str, user=None) -> MachineTranslationJob:
    job = MachineTranslationJob.objects.create(
        requested_by=user if user is not None and user.is_authenticated else None,
        language=language,
        page_ids=list(page_ids),
        total=len(page_ids),
    )
    transaction.on_commit(lambda: run_job.enqueue(job.pk))
    return job


@task(backend="translations")
def run_job(job_id: int) -> dict:
    job = MachineTranslationJob.objects.get(pk=job_id)
    job.state = MachineTranslationJob.State.RUNNING
    job.total = len(job.page_ids)
    job.save(update_fields=["state", "total"])
    pages = Page.objects.in_bulk(job.page_ids)
    stopped = None
    for page_id in job.page_ids:
        page = pages.get(page_id)
        if stopped is not None:
            _problem(job, page_id, page, stopped)
        elif page is None:
            _problem(job, page_id, None, "The page no longer exists.")
        else:
            try:
                machine_translate_page(page, job.language, user=job.requested_by)
            except DeepLError as error:
                _problem(job, page_id, page, str(error.message))
                if error.status in STOPPING_STATUSES:
                    stopped = str(error.message)
            else:
                job.done += 1
        job.save(update_fields=["done", "failed", "problems"])
    job.state = (
        MachineTranslationJob.State.FAILED
        if job.failed and not job.done
        else MachineTranslationJob.State.FINISHED
    )
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "finished_at"])
    return {"done": job.done, "failed": job.failed}


def _problem(job, page_id, page, message):
    job.failed += 1
    job.problems.append({"page_id": page_id, "title": page.title if page else "", "error": message})
