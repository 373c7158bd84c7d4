"""The editorial tests run on the shared region (`tests.regions`): its pages, roles and users."""

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

import pytest

from ..regions import make_user, region, region_keys  # noqa: F401


@pytest.fixture
def client_for(client):
    """A client logged in as the given user (anonymous for None)."""

    def make(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return make


def article_form(page, title=None, text="Praktisk informasjon.", **actions) -> dict:
    """The edit form of an article as the admin posts it."""
    data = nested_form_data(
        {
            "title": title or page.title,
            "slug": page.slug,
            "intro": page.intro,
            "hero_alt_text": "",
            "body": streamfield([("paragraph", rich_text(f"<p>{text}</p>"))]),
            "comments": inline_formset([]),
            "seo_title": "",
            "search_description": "",
        }
    )
    data.update({f"action-{name}": value for name, value in actions.items()})
    return data
