"""Write the open-data dump of every region (run nightly, and on demand)."""

from django.core.management.base import BaseCommand

from partners.dump import export_all


class Command(BaseCommand):
    help = (
        "Write all published content of each region, in both languages, as JSON Lines "
        "files and a manifest (served at /open-data/manifest.json)."
    )

    def handle(self, *args, **options):
        manifests = export_all(progress=self.stdout.write)
        for manifest in manifests:
            count = sum(file["count"] for file in manifest["files"])
            self.stdout.write(
                f"{manifest['region']}: {count} resources, from cursor {manifest['cursor']}"
            )
