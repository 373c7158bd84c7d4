"""`manage.py sync_sources`: bring the open data sources into the site."""

import sys
from contextlib import nullcontext

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from ...locks import SourceBusy
from ...models import RunStatus
from ...pipeline import run_source
from ...recorded import RecordedServer
from ...registry import SOURCES

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Fetch, check and store the open data sources (job vacancies, registers, population). "
        "Each source runs in its own transaction and is logged; a failing source keeps its "
        "last good data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            action="append",
            choices=list(SOURCES),
            help="Only this source (may be repeated). Default: all.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; store nothing."
        )
        parser.add_argument(
            "--offline",
            action="store_true",
            help="Read the recorded sample payloads, served on 127.0.0.1 by this command, "
            "instead of the live services. The data is marked as sample data on the pages.",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Enqueue the sync as a background task instead of running it here.",
        )

    def handle(self, *args, source=None, dry_run=False, offline=False, enqueue=False, **options):
        names = source or list(SOURCES)
        if enqueue:
            from ...tasks import sync_sources_task

            result = sync_sources_task.enqueue(names=names, dry_run=dry_run)
            self.stdout.write(f"Enqueued task {result.id} ({result.status}).")
            return

        self.tty = getattr(self.stdout, "isatty", lambda: False)() or sys.stdout.isatty()
        server = RecordedServer() if offline else None
        context = nullcontext()
        if server is not None:
            server.start()
            context = override_settings(**server.settings())
            self.stdout.write(f"Offline: serving the recorded payloads on {server.base_url}")
        runs = []
        busy = []
        try:
            with context:
                for name in names:
                    self.current = name
                    try:
                        runs.append(
                            run_source(
                                name, dry_run=dry_run, progress=self.progress, sample=offline
                            )
                        )
                    except SourceBusy as error:
                        busy.append(name)
                        self.stderr.write(str(error))
                    if self.tty:
                        self.stdout.write("")
        finally:
            if server is not None:
                server.stop()
        self.summary(runs, dry_run)
        failed = [run.source for run in runs if run.status == RunStatus.FAILED]
        problems = []
        if failed:
            problems.append(
                f"Failed: {', '.join(failed)}. Their last good data is kept; the errors are "
                "in the run log (admin: Reports → Data imports)."
            )
        if busy:
            problems.append(
                f"Not run, another run is in progress: {', '.join(busy)}. Nothing of theirs "
                "was changed."
            )
        if problems:
            raise CommandError(" ".join(problems))

    def progress(self, stage: str, done: int, total: int) -> None:
        total = max(total, 1)
        filled = int(BAR_WIDTH * done / total)
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        line = f"  {self.current:15} {stage:14} [{bar}] {done}/{total}"
        if self.tty:
            self.stdout.write("\r" + line, ending="")
            self.stdout.flush()
        elif done == total:
            self.stdout.write(line)

    def summary(self, runs, dry_run: bool) -> None:
        heading = "Would change (dry run):" if dry_run else "Summary:"
        self.stdout.write(heading)
        self.stdout.write(
            f"  {'source':15} {'status':10} {'read':>6} {'added':>6} {'updated':>7} "
            f"{'removed':>7} {'same':>6} {'skipped':>7}"
        )
        for run in runs:
            style = self.style.ERROR if run.status == RunStatus.FAILED else self.style.SUCCESS
            self.stdout.write(
                style(
                    f"  {run.source:15} {run.status:10} {run.fetched:>6} {run.added:>6} "
                    f"{run.updated:>7} {run.removed:>7} {run.unchanged:>6} {run.skipped:>7}"
                )
            )
            for message in run.errors:
                self.stdout.write(f"    ! {message.get('en', '')}")
