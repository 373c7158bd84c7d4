"""`manage.py load_demo`: the region's demo content in Norwegian and English."""

from django.core.management.base import BaseCommand, CommandError

from ...demo.builder import DemoBuilder, DemoContentError


class Command(BaseCommand):
    help = (
        "Load the demo site: the region home, the four municipalities, the theme pages and "
        "a few articles in Norwegian, translated to English with wagtail-localize. "
        "Running it again changes nothing."
    )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        builder = DemoBuilder(log=self.stdout.write if verbosity > 1 else lambda _msg: None)
        self.stdout.write("Loading the demo content…")
        try:
            created, translated = builder.build()
        except DemoContentError as error:
            raise CommandError(str(error)) from error
        # The editors' roles on the new pages, and one demo account per role.
        from editorial.roles import create_demo_users, setup_roles

        setup_roles()
        if accounts := create_demo_users():
            self.stdout.write(f"Created {accounts} demo accounts (see Demo accounts in README.md).")
        if created or translated:
            self.stdout.write(
                self.style.SUCCESS(f"Published {created} pages and {translated} translations.")
            )
        else:
            self.stdout.write(self.style.SUCCESS("The demo content is already in place."))
