"""`manage.py export_content FILE`: the whole content as one JSON file, for backups."""

import sys

from django.core.management.base import BaseCommand

from ...content import write_export


class Command(BaseCommand):
    help = (
        "Write the whole content (pages in both languages with their revisions and "
        "translations, images and documents with their files, users, groups, workflows) "
        "to a JSON file. The file holds password hashes: store it as securely as the "
        "database. Restore it with import_content."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The file to write, or - for standard output.")
        parser.add_argument(
            "--no-media",
            action="store_true",
            help="Leave out the image and document files (when media is backed up apart).",
        )

    def handle(self, *args, path, no_media, **options):
        if path == "-":
            counts = write_export(sys.stdout, include_media=not no_media)
        else:
            with open(path, "w", encoding="utf-8") as stream:
                counts = write_export(stream, include_media=not no_media)
        total = sum(counts.values())
        self.stderr.write(self.style.SUCCESS(f"Exported {total} rows from {len(counts)} tables."))
