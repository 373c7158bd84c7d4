"""`setup_roles` on a database without pages: groups are made, and it says what to do next."""

import io

from django.contrib.auth.models import Group
from django.core.management import call_command


def test_setup_roles_before_the_pages_exist_says_what_to_do(locales):
    out = io.StringIO()
    call_command("setup_roles", stdout=out)
    assert "run setup_roles again" in out.getvalue()
    assert Group.objects.filter(name="Regional koordinator").exists()
