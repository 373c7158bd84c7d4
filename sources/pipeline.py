"""Running a source: fetch, parse and validate outside the database, then upsert in one
transaction, and log the run.

A failure anywhere leaves the source's data as the last good run left it (the upsert's
transaction is rolled back, the cursor and validators are not advanced); the run is logged
as failed with its errors, and the data becomes stale after SOURCES_STALE_AFTER_HOURS.
A dry run does everything, counts what would change, and rolls back.

A run that changed data brings the pages that show it in step in the same transaction
(`Source.refresh_pages`: entries, change feed, search index, and a CDN purge after the
commit; see `sources.pages`).
"""

import logging
import time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observability import context, metrics
from region_pages import versions

from .base import Context, Counts
from .errors import SourceError
from .http import HttpClient
from .locks import SourceBusy, source_lock
from .models import RunStatus, SourceState, SyncRun
from .registry import get_source

logger = logging.getLogger(__name__)


def run_source(name: str, **options) -> SyncRun:
    """Run one source, unless another run of it is in progress (then SourceBusy)."""
    get_source(name)  # an unknown name fails before any lock is taken
    # Under the enqueuing request's id, or an id of its own (a scheduled run).
    with context.ensured(), source_lock(name):
        started = time.perf_counter()
        run = _run(name, **options)
        metrics.SOURCE_RUNS.labels(source=name, status=run.status).inc()
        metrics.SOURCE_RUN_DURATION.labels(source=name).observe(time.perf_counter() - started)
        return run


def _run(
    name: str,
    *,
    dry_run: bool = False,
    progress=None,
    client: HttpClient | None = None,
    sample: bool = False,
) -> SyncRun:
    source = get_source(name)
    own_client = client is None
    client = client or HttpClient()
    run = SyncRun.objects.create(source=name, dry_run=dry_run, sample=sample)
    state, _created = SourceState.objects.get_or_create(source=name)
    ctx = Context(client=client, state=state, dry_run=dry_run, sample=sample, progress=progress)
    logger.info("Sync of %s started (run %s%s)", name, run.pk, ", dry run" if dry_run else "")
    errors: list[dict] = []
    counts = Counts()
    try:
        fetched = source.fetch(ctx)
        with transaction.atomic():
            if fetched.not_modified:
                counts = source.on_not_modified(ctx)
            else:
                records = source.parse(fetched, ctx)
                valid, problems = source.validate(records, ctx)
                errors += [problem.as_log_entry() for problem in problems]
                counts = source.upsert(valid, ctx)
                counts.skipped += len(problems)
                counts.fetched = max(counts.fetched, len(records))
            if dry_run:
                transaction.set_rollback(True)
            else:
                if counts.changed:
                    source.refresh_pages(ctx)
                _record_success(state, ctx)
        status = RunStatus.SUCCEEDED if counts.changed else RunStatus.UNCHANGED
    except SourceError as error:
        errors.append(error.as_log_entry())
        status = RunStatus.FAILED
        logger.error("Sync of %s failed: %s", name, error.render("en"))
    except Exception as error:
        logger.exception("Sync of %s failed unexpectedly", name)
        errors.append(
            SourceError(
                _("Unexpected error (%(error)s). The details are in the server log."),
                error=type(error).__name__,
            ).as_log_entry()
        )
        status = RunStatus.FAILED
    finally:
        if own_client:
            client.close()

    if status == RunStatus.FAILED and not dry_run:
        SourceState.objects.filter(pk=state.pk).update(
            last_attempt_at=timezone.now(), last_failed=True
        )
    for name_ in ("fetched", "added", "updated", "removed", "unchanged", "skipped"):
        setattr(run, name_, getattr(counts, name_))
    run.status = status
    run.errors = errors
    run.finished_at = timezone.now()
    run.save()
    if not dry_run:
        versions.bump()
    logger.info(
        "Sync of %s ended: %s, %s read, %s added, %s updated, %s removed, %s skipped",
        name,
        status,
        counts.fetched,
        counts.added,
        counts.updated,
        counts.removed,
        counts.skipped,
    )
    return run


def _record_success(state: SourceState, ctx: Context) -> None:
    state.last_success_at = ctx.now
    state.last_attempt_at = ctx.now
    state.last_failed = False
    state.sample = ctx.sample
    state.validators = {**state.validators, **ctx.new_validators}
    if ctx.new_cursor is not None:
        state.cursor = ctx.new_cursor
    state.save()


def run_sources(names=None, **kwargs) -> list[SyncRun]:
    """Run the sources one after another; a source whose run is in progress is skipped."""
    from .registry import SOURCES

    runs = []
    for name in names or list(SOURCES):
        try:
            runs.append(run_source(name, **kwargs))
        except SourceBusy as busy:
            logger.warning("Sync of %s skipped: %s", name, busy.render("en"))
    return runs
