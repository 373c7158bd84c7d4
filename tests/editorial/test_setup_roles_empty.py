"""`setup_roles` on a database without pages: groups are made, and it says what to do next."""

import io

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from editorial import roles


def test_setup_roles_before_the_pages_exist_says_what_to_do(locales):
    out = io.StringIO()
    call_command("setup_roles", stdout=out)
    assert "run setup_roles again" in out.getvalue()
    assert Group.objects.filter(name="Regional koordinator").exists()


def test_one_demo_account_per_role_with_the_demo_password(locales):
    call_command("setup_roles", "--demo-users", stdout=io.StringIO())
    User = get_user_model()
    for spec in roles.demo_users():
        user = User.objects.get(username=spec["username"])
        assert user.check_password(roles.DEMO_PASSWORD)
        assert list(user.groups.values_list("editorial_role__key", flat=True)) == [spec["role"]]
    assert roles.create_demo_users() == 0
