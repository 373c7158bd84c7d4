"""Drafts for partners' frontends: only a request with a valid, page-scoped, unexpired
preview token sees a draft; such answers are never cached and never in the feed."""

import json
from urllib.parse import parse_qs, urlsplit

from django.test import RequestFactory

import pytest

from region_pages.api import preview
from region_pages.models import ChangeEvent
from tests import factories
from tests.conftest import publish
from tests.wsgi_client import call

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("direct_wsgi")]


@pytest.fixture
def drafts(home, locales, settings):
    settings.PARTNER_PREVIEW_URL = "https://partner.example/preview?token={token}&page={page_id}"
    live = publish(factories.ArticlePageFactory(parent=home, slug="bo-her", title="Bo her"))
    live.title = "Bo her (utkast)"
    live.save_revision()
    never = factories.ArticlePageFactory(parent=home, slug="hemmelig", title="Hemmelig", live=False)
    never.save_revision()
    return live, never


def token_from_the_editors_preview(page) -> str:
    """What the page editor's preview in the partner's mode sends the partner's site."""
    request = RequestFactory().get("/admin/pages/preview/")
    response = page.specific.serve_preview(request, "partner")
    assert response.status_code == 302
    address = urlsplit(response["Location"])
    assert address.netloc == "partner.example"
    query = parse_qs(address.query)
    assert query["page"] == [str(page.pk)]
    return query["token"][0]


def test_only_a_valid_token_for_the_page_shows_its_draft(api, drafts):
    live, never = drafts
    assert "partner" in [mode for mode, _label in live.specific.preview_modes]
    token = token_from_the_editors_preview(live)
    published = api.get(f"/api/v1/pages/{live.pk}")
    assert published.json()["title"] == "Bo her"
    draft = api.get(f"/api/v1/pages/{live.pk}", HTTP_AUTHORIZATION=f"Preview {token}")
    assert draft.status_code == 200 and draft.json()["title"] == "Bo her (utkast)"
    assert draft["Cache-Control"] == "no-store, private"
    assert not draft.has_header("ETag") and not draft.has_header("Last-Modified")
    # A page never published: nothing without a token, its draft with one.
    assert api.get(f"/api/v1/pages/{never.pk}").status_code == 404
    hidden = token_from_the_editors_preview(never)
    shown = api.get(f"/api/v1/pages/{never.pk}", HTTP_AUTHORIZATION=f"Preview {hidden}")
    assert shown.json()["title"] == "Hemmelig"
    # Another page's token, a forged one, an expired one: refused, never the draft.
    for page_id, sent in (
        (never.pk, token),
        (live.pk, token[:-2] + "xx"),
        (live.pk, "not-a-token"),
    ):
        refused = api.get(f"/api/v1/pages/{page_id}", HTTP_AUTHORIZATION=f"Preview {sent}")
        assert refused.status_code == 401, (page_id, sent)
        assert refused.json()["type"].endswith("/preview-token-refused")
        assert (
            "utkast" not in refused.content.decode() and "Hemmelig" not in refused.content.decode()
        )


def test_a_token_expires(api, drafts, monkeypatch):
    live, _never = drafts
    token = token_from_the_editors_preview(live)
    issued_at = preview.now()
    monkeypatch.setattr(preview, "now", lambda: issued_at + 601)
    expired = api.get(
        f"/api/v1/pages/{live.pk}", HTTP_AUTHORIZATION=f"Preview {token}", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert expired.status_code == 401 and "expired" in expired.json()["detail"]


def test_a_draft_is_never_kept_by_the_response_cache_nor_announced(drafts):
    live, _never = drafts
    token = token_from_the_editors_preview(live)
    before = ChangeEvent.objects.count()
    for _ in range(2):
        answer = call(f"/api/v1/pages/{live.pk}", authorization=f"Preview {token}")
        assert json.loads(answer.body)["title"] == "Bo her (utkast)"
        assert answer.cache != "hit"
    for _ in range(2):  # rendered, then kept: the published page either way
        assert json.loads(call(f"/api/v1/pages/{live.pk}").body)["title"] == "Bo her"
    assert ChangeEvent.objects.count() == before
    # A list never shows drafts, token or not.
    listed = call("/api/v1/pages", "include=body", authorization=f"Preview {token}")
    assert "utkast" not in listed.body.decode()


def test_without_a_partner_frontend_there_is_no_such_preview(drafts, settings):
    live, _never = drafts
    settings.PARTNER_PREVIEW_URL = ""
    assert "partner" not in [mode for mode, _label in live.specific.preview_modes]
