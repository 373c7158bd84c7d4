"""`manage.py load_demo`: the region's demo content in Norwegian and English.

Never with the production settings (``DEMO_COMMANDS_ALLOWED = False``): the demo's
accounts share one published password.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from editorial.roles import setup_roles

from ...accounts import create_demo_users
from ...builder import DemoBuilder, DemoContentError


class Command(BaseCommand):
    help = (
        "Load the demo site: the region home, the four municipalities, the theme pages and "
        "a few articles in Norwegian, translated to English with wagtail-localize. "
        "Running it again changes nothing."
    )

    def handle(self, *args, **options):
        if not settings.DEMO_COMMANDS_ALLOWED:
            raise CommandError(
                _(
                    "load_demo does not run with these settings (DEMO_COMMANDS_ALLOWED is "
                    "off, as in production): it would add demo pages and one demo account "
                    "per editorial role, all with the same published password. Load the demo "
                    "on a machine of its own with the development settings (`make demo`)."
                )
            )
        verbosity = options["verbosity"]
        builder = DemoBuilder(log=self.stdout.write if verbosity > 1 else lambda _msg: None)
        self.stdout.write("Loading the demo content…")
        try:
            created, translated = builder.build()
        except DemoContentError as error:
            raise CommandError(str(error)) from error
        # The editors' roles on the new pages, and one demo account per role.
        setup_roles()
        if accounts := create_demo_users():
            self.stdout.write(f"Created {accounts} demo accounts (see Demo accounts in README.md).")
        if created or translated:
            self.stdout.write(
                self.style.SUCCESS(f"Published {created} pages and {translated} translations.")
            )
        else:
            self.stdout.write(self.style.SUCCESS("The demo content is already in place."))
