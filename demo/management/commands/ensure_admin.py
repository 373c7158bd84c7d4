"""`manage.py ensure_admin`: an administrator account for a site, and how to log in.

On a demo or development machine the defaults (admin / admin) make `make demo` work at
once. With the production settings (``DEMO_COMMANDS_ALLOWED = False``) the password must
be given in ADMIN_PASSWORD and pass the site's password validators, and it is never
printed.
"""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

DEMO_PASSWORD = "admin"  # noqa: S105 - the documented demo login, refused in production


class Command(BaseCommand):
    help = (
        "Create an administrator if none exists with that username. Username and password "
        "come from ADMIN_USERNAME and ADMIN_PASSWORD (defaults: admin / admin), which is "
        "only fit for a local demo: with the production settings ADMIN_PASSWORD is "
        "required and must be strong."
    )

    def handle(self, *args, **options):
        username = os.environ.get("ADMIN_USERNAME", "admin")
        password = os.environ.get("ADMIN_PASSWORD", "")
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is not None:
            shown_password = "(unchanged)"  # noqa: S105 - a message, not a password
        else:
            if settings.DEMO_COMMANDS_ALLOWED:
                password = password or DEMO_PASSWORD
                shown_password = password
            else:
                self._check_production_password(User(username=username, email=""), password)
                shown_password = "from ADMIN_PASSWORD"  # noqa: S105 - never print the real one
            User.objects.create_superuser(username=username, email="", password=password)
            self.stdout.write(self.style.SUCCESS(f"Created the administrator “{username}”."))
        base = os.environ.get("SITE_BASE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}")
        self.stdout.write(
            f"Log in at {base.rstrip('/')}/admin/ as “{username}”, password {shown_password}."
        )

    @staticmethod
    def _check_production_password(user, password: str) -> None:
        """Refuse a missing, default or weak password before an account is made with it."""
        if not password.strip():
            raise CommandError(
                _(
                    "Set ADMIN_PASSWORD to a strong password for the new administrator: the "
                    "production settings have no default password. Or create the account "
                    "with `manage.py createsuperuser`."
                )
            )
        problems = [_("It is the demo's password.")] if password == DEMO_PASSWORD else []
        try:
            validate_password(password, user=user)
        except ValidationError as error:
            problems.extend(error.messages)
        if problems:
            raise CommandError(
                _(
                    "ADMIN_PASSWORD is not strong enough for a production administrator: "
                    "%(problems)s Choose a long, random password and run the command again."
                )
                % {"problems": " ".join(problems)}
            )
