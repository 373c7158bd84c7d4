"""The pipeline as a background task (django-tasks).

`sync_sources_task.enqueue()` runs every source on the configured task backend; a
scheduler (cron, a systemd timer or the platform's scheduled jobs) calls
`manage.py sync_sources --enqueue` at the chosen interval.
"""

from django_tasks import task

from .pipeline import run_sources


@task()
def sync_sources_task(names: list[str] | None = None, dry_run: bool = False) -> list[dict]:
    runs = run_sources(names or None, dry_run=dry_run)
    return [
        {
            "source": run.source,
            "run": run.pk,
            "status": run.status,
            "added": run.added,
            "updated": run.updated,
            "removed": run.removed,
            "errors": len(run.errors),
        }
        for run in runs
    ]
