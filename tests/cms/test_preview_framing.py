"""The editor's preview panel: the admin frames the preview of a page, so the preview's
response must let the admin frame it, whatever the public page's own policy says.

Wagtail renders a preview by sending a made-up request for the page's public path
through the whole middleware chain, inside the admin's request. The public path's
policy (`frame-ancestors 'none'`) must not end up on the admin's response.
"""

from django.urls import reverse

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

import pytest

from ..conftest import publish
from ..factories import ArticlePageFactory
from .test_security import policy, production  # noqa: F401 - the fixture, used below

# With the production settings, behind the load balancer that terminates TLS.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("production")]
HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}


def article_form(page, title) -> dict:
    """The article's edit form as the admin posts it to the preview."""
    return nested_form_data(
        {
            "title": title,
            "slug": page.slug,
            "intro": page.intro,
            "hero_alt_text": "",
            "body": streamfield([("paragraph", rich_text("<p>Praktisk informasjon.</p>"))]),
            "comments": inline_formset([]),
            "seo_title": "",
            "search_description": "",
        }
    )


@pytest.fixture
def article(home):
    return publish(ArticlePageFactory(parent=home, title="Skoler i Rana"))


def test_the_preview_panel_can_be_framed_by_the_admin(client, admin_user, article):
    """Wagtail posts the edit form as it stands, then loads the preview in its panel."""
    client.force_login(admin_user)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[article.pk])

    stored = client.post(url, article_form(article, title="Skoler i Rana (utkast)"), **HTTPS)
    assert stored.json() == {"is_valid": True, "is_available": True}

    response = client.get(url, {"in_preview_panel": "true"}, **HTTPS)
    assert response.status_code == 200
    assert "Skoler i Rana (utkast)" in response.content.decode()
    assert policy(response)["frame-ancestors"] == ["'self'"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "public" not in response["Cache-Control"]


def test_a_draft_opened_from_the_admin_has_the_admin_policy(client, admin_user, article):
    client.force_login(admin_user)
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[article.pk]), **HTTPS)
    assert response.status_code == 200
    assert policy(response)["frame-ancestors"] == ["'self'"]


def test_the_public_page_itself_still_cannot_be_framed(client, article):
    response = client.get(article.url, **HTTPS)
    assert response.status_code == 200
    assert policy(response)["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
