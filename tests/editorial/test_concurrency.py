"""Two officers edit the same page: neither silently overwrites the other, nothing is lost."""

import re

from django.contrib.messages import get_messages
from django.urls import reverse

from wagtail.models import Page, PageLogEntry

from .conftest import article_form, make_user


def loaded_revision(html: str) -> dict:
    """The hidden fields that say which revision the edit form was loaded from."""
    return {
        name: re.search(rf'name="{name}" value="([^"]*)"', html)[1]
        for name in ("loaded_revision_id", "loaded_revision_created_at")
    }


def open_editor(client, page) -> dict:
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    return loaded_revision(response.content.decode())


def save(client, page, title, loaded):
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        {**article_form(page, title=title), **loaded},
    )


def test_a_stale_save_is_refused_with_a_warning_and_nothing_is_lost(region, client):
    article = region.article
    first, second = region.users["editor_luroy"], make_user("kari", "redaktor-luroy")
    revisions_before = article.revisions.count()

    client.force_login(first)
    first_loaded = open_editor(client, article)
    client.force_login(second)
    second_loaded = open_editor(client, article)

    client.force_login(first)
    assert save(client, article, "Bo på Lurøy", first_loaded).status_code == 302

    client.force_login(second)
    refused = save(client, article, "Flytt til Lurøy", second_loaded)

    assert refused.status_code == 409
    warning = " ".join(str(m) for m in get_messages(refused.wsgi_request))
    assert "Redaktor-Luroy" in warning  # names who saved in between
    html = refused.content.decode()
    assert "Flytt til Lurøy" in html  # what the second officer typed is still in the form
    page = Page.objects.get(pk=article.pk)
    assert page.draft_title == "Bo på Lurøy"
    assert page.latest_revision.user == first

    # Having seen the warning, the second officer saves deliberately: the form now
    # carries the newest revision, so the save goes through.
    assert save(client, article, "Flytt til Lurøy", loaded_revision(html)).status_code == 302
    page.refresh_from_db()
    assert page.draft_title == "Flytt til Lurøy"
    titles = [revision.content["title"] for revision in page.revisions.order_by("created_at")]
    assert titles[-2:] == ["Bo på Lurøy", "Flytt til Lurøy"]  # both versions kept
    assert page.revisions.count() == revisions_before + 2


def test_an_up_to_date_save_goes_through(region, client):
    client.force_login(region.users["editor_luroy"])
    loaded = open_editor(client, region.article)
    assert save(client, region.article, "Bo i Lurøy kommune", loaded).status_code == 302
    assert Page.objects.get(pk=region.article.pk).draft_title == "Bo i Lurøy kommune"


def test_every_save_is_a_revision(region, client):
    client.force_login(region.users["editor_luroy"])
    before = region.article.revisions.count()
    for title in ("Første", "Andre", "Tredje"):
        loaded = open_editor(client, region.article)
        assert save(client, region.article, title, loaded).status_code == 302
    assert region.article.revisions.count() == before + 3


def autosave(client, page, title, loaded, overwrite=None):
    """What the editor's autosave posts in the background: the form, answered in JSON."""
    data = {**article_form(page, title=title), **loaded}
    if overwrite:
        data["overwrite_revision_id"] = str(overwrite)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), data, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["success"], response.json()
    return response.json()["revision_id"]


def test_the_officers_own_autosaves_are_not_a_conflict(
    region, client, django_assert_max_num_queries
):
    """Autosave keeps the draft in a revision while the officer types; submitting the form
    afterwards (which still names the revision it was loaded from) goes through."""
    client.force_login(region.users["editor_luroy"])
    article = region.article
    loaded = open_editor(client, article)
    revisions, entries = article.revisions.count(), PageLogEntry.objects.filter(page=article)
    logged = entries.count()
    first = autosave(client, article, "Bo på Lurøy", loaded)
    for typed in ("Bo på Lurøy!", "Bo på Lurøy!!", "Bo på Lurøy?"):
        assert autosave(client, article, typed, loaded, overwrite=first) == first
    # Four autosaves: one revision and one line in the page's history, not four.
    assert article.revisions.count() == revisions + 1
    assert entries.count() == logged + 1

    with django_assert_max_num_queries(150):
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[article.pk]),
            {**article_form(article, title="Bo på Lurøy!", submit="submit"), **loaded},
        )

    assert response.status_code == 302
    page = Page.objects.get(pk=article.pk)
    assert page.draft_title == "Bo på Lurøy!"
    assert page.current_workflow_state is not None


def test_another_officers_autosave_is_a_conflict(region, client):
    article = region.article
    first, second = region.users["editor_luroy"], make_user("kari", "redaktor-luroy")
    client.force_login(first)
    first_loaded = open_editor(client, article)
    client.force_login(second)
    second_loaded = open_editor(client, article)
    first_revision = autosave(client, article, "Karis utkast", second_loaded)
    # The second officer's autosave revision is overwritten in place as she types on.
    autosave(client, article, "Karis utkast, nyere", second_loaded, overwrite=first_revision)

    client.force_login(first)
    refused = save(client, article, "Mitt utkast", first_loaded)

    assert refused.status_code == 409
    assert Page.objects.get(pk=article.pk).draft_title == "Karis utkast, nyere"
