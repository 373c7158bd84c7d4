"""`manage.py rebuild_entries`: recompute the read model from the published pages."""

from django.core.management.base import BaseCommand, CommandError

from ... import entries


class Command(BaseCommand):
    help = (
        "Rebuild the table of entries (industries, leisure activities, schools) from the "
        "live municipality pages, and report what differed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only report the differences; change nothing.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Like --dry-run, and exit with status 1 if the table is out of step.",
        )

    def handle(self, *args, dry_run=False, check=False, **options):
        def progress(done, total):
            self.stdout.write(f"\r  pages read: {done}/{total}", ending="")
            self.stdout.flush()

        report = entries.rebuild(dry_run=dry_run or check, progress=progress)
        self.stdout.write("")
        for label, keys in (
            ("added", report.added),
            ("changed", report.changed),
            ("removed", report.removed),
        ):
            self.stdout.write(f"  {label}: {len(keys)}")
            if options["verbosity"] > 1:
                for page_id, block_id in keys:
                    self.stdout.write(f"    page {page_id}, block {block_id}")
        if report.in_step:
            self.stdout.write(self.style.SUCCESS(f"The table is in step: {report.total} entries."))
        elif dry_run or check:
            message = "The table is out of step; run without --dry-run to repair it."
            if check:
                raise CommandError(message)
            self.stdout.write(self.style.WARNING(message))
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Repaired. The table now holds {report.total} entries.")
            )
