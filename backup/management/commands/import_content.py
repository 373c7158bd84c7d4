"""`manage.py import_content FILE`: replace the content with that of an export."""

import json

from django.core.management.base import BaseCommand, CommandError

from ...content import BackupError, has_content, import_content


class Command(BaseCommand):
    help = (
        "Replace the whole content of this database with the content of a file written by "
        "export_content, in one transaction, and rebuild the search and reference indexes. "
        "Refuses to overwrite existing pages unless --replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The file written by export_content.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace the pages, users and media that are in the database now.",
        )

    def handle(self, *args, path, replace, **options):
        try:
            with open(path, encoding="utf-8") as stream:
                document = json.load(stream)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        except json.JSONDecodeError as error:
            raise CommandError(f"{path} is not valid JSON: {error}.") from error
        if has_content() and not replace:
            raise CommandError(
                "This database already has pages. Run with --replace to replace its whole "
                "content with the file's (make an export of it first)."
            )
        try:
            counts = import_content(document)
        except BackupError as error:
            raise CommandError(str(error)) from error
        total = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(f"Imported {total} rows into {len(counts)} tables."))
