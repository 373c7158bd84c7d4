"""`manage.py ensure_admin`: an administrator account for a local site, and how to log in."""

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create an administrator if none exists with that username. Username and password "
        "come from ADMIN_USERNAME and ADMIN_PASSWORD (defaults: admin / admin), which is "
        "only fit for a local demo."
    )

    def handle(self, *args, **options):
        username = os.environ.get("ADMIN_USERNAME", "admin")
        password = os.environ.get("ADMIN_PASSWORD", "admin")
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            User.objects.create_superuser(username=username, email="", password=password)
            self.stdout.write(self.style.SUCCESS(f"Created the administrator “{username}”."))
            shown_password = password
        else:
            shown_password = "(unchanged)"  # noqa: S105 - a message, not a password
        base = os.environ.get("SITE_BASE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}")
        self.stdout.write(
            f"Log in at {base.rstrip('/')}/admin/ as “{username}”, password {shown_password}."
        )
