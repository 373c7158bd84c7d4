"""`manage.py translation_status`: the status of every page's translations, for people and cron."""

import json

from django.core.management.base import BaseCommand, CommandError

from ...status import REGION, Status, counts, page_statuses, target_languages


class Command(BaseCommand):
    help = (
        "Show, for every live Norwegian page, whether its translation is missing, "
        "machine-translated and not reviewed, out of date (naming the fields that "
        "changed), partly translated, not published or in sync."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--language",
            action="append",
            dest="languages",
            metavar="CODE",
            help="Only this target language (repeatable). Default: every one configured.",
        )
        parser.add_argument(
            "--municipality",
            metavar="NUMBER",
            help=f"Only the pages of this municipality (kommunenummer), or '{REGION}' "
            "for the region's own pages.",
        )
        parser.add_argument(
            "--status",
            choices=Status.values,
            help="Only pages in this status.",
        )
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a table.")
        parser.add_argument(
            "--fail-on-outdated",
            action="store_true",
            help="Exit with status 1 if any translation is out of date (for scheduled checks).",
        )

    def handle(self, *args, languages=None, municipality=None, status=None, **options):
        configured = target_languages()
        for code in languages or []:
            if code not in configured:
                raise CommandError(
                    f"Unknown language {code!r}; choose one of: {', '.join(configured)}."
                )
        rows = page_statuses(languages=languages, municipality=municipality, status=status)
        summary = counts(rows)
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {"counts": summary, "pages": [row.as_dict() for row in rows]},
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            self._table(rows, summary)
        outdated = summary[Status.OUTDATED]
        if options["fail_on_outdated"] and outdated:
            raise CommandError(f"{outdated} translation(s) out of date.")

    def _table(self, rows, summary):
        headings = ("page", "path", "municipality", "language", "status", "changed fields")
        table = [
            (
                str(row.page_id),
                row.url_path,
                row.municipality or "-",
                row.language,
                row.status,
                row.changed_fields_code,
            )
            for row in rows
        ]
        widths = [
            max([len(heading)] + [len(line[index]) for line in table])
            for index, heading in enumerate(headings)
        ]
        for line in [headings, *table]:
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(line, widths, strict=True)
                ).rstrip()
            )
        self.stdout.write("")
        self.stdout.write(", ".join(f"{status}: {count}" for status, count in summary.items()))
