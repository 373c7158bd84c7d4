"""The demo's accounts: one per role, in that role's group, with the demo password."""

from django.contrib.auth import get_user_model

from demo import accounts
from editorial.roles import setup_roles


def test_one_demo_account_per_role_with_the_demo_password(locales):
    setup_roles()
    assert accounts.create_demo_users() == len(accounts.demo_users())
    User = get_user_model()
    for spec in accounts.demo_users():
        user = User.objects.get(username=spec["username"])
        assert user.check_password(accounts.DEMO_PASSWORD)
        assert list(user.groups.values_list("editorial_role__key", flat=True)) == [spec["role"]]
    assert accounts.create_demo_users() == 0
