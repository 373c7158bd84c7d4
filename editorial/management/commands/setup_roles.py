"""`manage.py setup_roles`: the editors' groups, their permissions and the workflow."""

from django.core.management.base import BaseCommand

from ...roles import setup_roles


class Command(BaseCommand):
    help = (
        "Create or update the editors' groups (one per municipality, the regional "
        "coordinator, translators), their page, image and document permissions and the "
        "approval workflow. Running it again changes nothing."
    )

    def handle(self, *args, **options):
        report = setup_roles()
        for name in report.created_groups:
            self.stdout.write(f"Created the group {name}.")
        for name in report.missing_pages:
            self.stdout.write(
                self.style.WARNING(
                    f"No pages found yet for {name}: run setup_roles again after the "
                    "municipality pages exist."
                )
            )
        if report.changed:
            self.stdout.write(self.style.SUCCESS(f"Roles updated ({report.changes} changes)."))
        else:
            self.stdout.write(self.style.SUCCESS("The roles are already up to date."))
