"""`manage.py rebuild_search_index`: index every live, public page and entry again."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from region_pages import versions

from ...indexing import index_pages


class Command(BaseCommand):
    help = (
        "Rebuild the site search index from the live pages and the read model of entries. "
        "Publishing keeps the index in step; this is for a new installation or a repair."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        with transaction.atomic():
            count = index_pages()
            # Answers cached before the rebuild are not served after it.
            versions.bump()
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {count} pages and entries in {seconds:.1f} s.")
        )
