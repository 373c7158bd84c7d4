"""The admin speaks Norwegian to Norwegian editors."""

from wagtail.users.models import UserProfile

import pytest


@pytest.mark.parametrize(("preference", "expected_lang"), [("nb", "nb"), ("en", "en"), ("", "nb")])
def test_the_admin_follows_the_editors_language(client, admin_user, preference, expected_lang):
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = preference
    profile.save()
    client.force_login(admin_user)
    html = client.get("/admin/").content.decode()
    assert f'<html lang="{expected_lang}"' in html
    if expected_lang == "nb":
        assert "Sider" in html  # Wagtail's own Norwegian catalogue: "Pages"
