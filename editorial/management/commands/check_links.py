"""`manage.py check_links`: the nightly check of the external links in published pages
(`editorial.links`). Run it once a night (cron, a systemd timer): it says how far it has
come while it runs and what it found when it is done; officers see their pages' broken
links on the dashboard. The output is for operators and in English."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, no_translations

from observability import context

from ... import links


class Command(BaseCommand):
    help = "Check the external links in published pages and keep the broken ones."

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit",
            type=int,
            default=settings.LINK_CHECK_LIMIT,
            help="the most addresses to check (default: LINK_CHECK_LIMIT, %(default)s)",
        )
        parser.add_argument(
            "--per-host",
            type=int,
            default=settings.LINK_CHECK_PER_HOST,
            help="the most addresses of one host (default: %(default)s)",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=settings.LINK_CHECK_TIMEOUT,
            help="seconds a server has to answer (default: %(default)s)",
        )

    @no_translations
    def handle(self, *args, limit, per_host, timeout, **options):
        if limit < 1 or per_host < 1 or timeout <= 0:
            raise CommandError("Give --limit and --per-host from 1 and --timeout above 0.")
        with context.ensured():
            pages_by_url = links.published_links()
            total = min(len(pages_by_url), limit)
            self.stdout.write(
                f"{len(pages_by_url)} external addresses in published pages; checking {total}."
            )
            step = max(1, total // 10)

            def progress(done: int, of: int) -> None:
                if done % step == 0 or done == of:
                    self.stdout.write(f"  checked {done} of {of}")

            results = links.check_all(
                pages_by_url, limit=limit, per_host=per_host, timeout=timeout, progress=progress
            )
            broken = links.record(results, pages_by_url)
        failed = sorted((r for r in results if r.broken), key=lambda r: r.url)
        self.stdout.write(
            f"{len(results)} checked, {len(failed)} broken ({broken} links in pages)."
        )
        for result in failed:
            self.stdout.write(f"  {result.url}: {result.problem}")
