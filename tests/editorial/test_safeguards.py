"""Safeguards in the admin: deleting names what goes with a page, translators only
translate, the dashboard flags old facts, and the content checker knows our rules."""

from datetime import date, timedelta

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation

from wagtail.admin.userbar import ContentCheckerItem
from wagtail.models import Page

from editorial.admin_views import annotate_language_status, language_status, last_editor
from editorial.checker import RegionContentCheckerItem
from editorial.dashboard import stale_pages, stale_reasons
from editorial.wagtail_hooks import use_region_content_checker

from ..conftest import translate
from ..factories import ArticlePageFactory


def messages_of(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_the_delete_confirmation_names_translations_and_pages_below(region, client_for):
    client = client_for(region.users["coordinator"])
    with translation.override("nb"):
        response = client.get(reverse("wagtailadmin_pages:delete", args=[region.luroy.pk]))
    assert response.status_code == 200
    said = messages_of(response)
    assert "«EN: Lurøy» (en)" in said or "“EN: Lurøy” (en)" in said
    assert "Bo i Lurøy" in said


def test_deleting_a_page_deletes_its_translations_with_it(region, client_for):
    client = client_for(region.users["coordinator"])
    response = client.post(reverse("wagtailadmin_pages:delete", args=[region.luroy.pk]))
    assert response.status_code == 302
    assert not Page.objects.filter(pk__in=[region.luroy.pk, region.en_luroy.pk]).exists()
    assert not Page.objects.filter(pk=region.article.pk).exists()


def test_an_editor_cannot_delete_a_page_whose_translation_they_may_not_delete(region, client_for):
    """A Norwegian draft may be deleted by its editor, but not when its English version
    is live: that would unpublish English content without the coordinator."""
    draft = ArticlePageFactory(parent=region.luroy, slug="utkast", title="Utkast")
    draft.save_revision().publish()
    english = translate(draft)
    draft.unpublish()
    client = client_for(region.users["editor_luroy"])
    client.post(reverse("wagtailadmin_pages:delete", args=[draft.pk]))
    # Wagtail would allow deleting the unpublished Norwegian page; the live English one
    # would go with it. Both stay.
    assert Page.objects.filter(pk__in=[draft.pk, english.pk]).count() == 2


def test_translators_cannot_delete_copy_or_create_english_pages(region, client_for):
    draft = ArticlePageFactory(parent=region.en_luroy, slug="draft", title="Draft", live=False)
    client = client_for(region.users["translator"])
    client.post(reverse("wagtailadmin_pages:delete", args=[draft.pk]))
    assert Page.objects.filter(pk=draft.pk).exists()
    client.post(
        reverse("wagtailadmin_pages:copy", args=[draft.pk]),
        {"new_title": "Copy", "new_slug": "copy", "new_parent_page": str(region.en_luroy.pk)},
    )
    assert not Page.objects.filter(slug="copy").exists()
    response = client.get(
        reverse("wagtailadmin_pages:add", args=["region_pages", "articlepage", region.en_luroy.pk])
    )
    assert response.status_code in {302, 403}


def test_a_translator_still_edits_english_pages(region, client_for):
    client = client_for(region.users["translator"])
    response = client.get(reverse("wagtailadmin_pages:edit", args=[region.en_luroy.pk]))
    assert response.status_code == 200


# ---- the dashboard -------------------------------------------------------------------


def test_facts_more_than_a_year_old_are_flagged(region):
    luroy = region.luroy
    luroy.population, luroy.population_year = 1850, 2024
    today = date(2026, 3, 1)
    assert stale_reasons(luroy, today)
    luroy.population_year = 2026
    luroy.last_published_at = timezone.now()
    assert stale_reasons(luroy, today) == []


def test_a_page_not_published_for_a_year_is_flagged(region):
    luroy = region.luroy
    luroy.last_published_at = timezone.now() - timedelta(days=400)
    assert stale_reasons(luroy, timezone.localdate())


def test_the_dashboard_lists_old_facts_to_those_who_can_fix_them(region, client_for):
    region.luroy.population, region.luroy.population_year = 1850, 2020
    region.luroy.save()
    assert [item.page.pk for item in stale_pages(region.users["editor_luroy"])] == [region.luroy.pk]
    assert stale_pages(region.users["editor_rana"]) == []
    response = client_for(region.users["editor_luroy"]).get(reverse("wagtailadmin_home"))
    html = response.content.decode()
    assert "data-stale-facts" in html
    assert reverse("wagtailadmin_pages:edit", args=[region.luroy.pk]) in html


# ---- the content checker ---------------------------------------------------------------


def test_the_content_checker_runs_our_rules(rf):
    items = [ContentCheckerItem(in_editor=True)]
    use_region_content_checker(rf.get("/"), items, None)
    checker = items[0]
    assert isinstance(checker, RegionContentCheckerItem)
    assert checker.in_editor
    rules = checker.get_axe_run_only(rf.get("/"))
    for rule in ("image-alt", "alt-text-quality", "heading-order", "link-name", "dlitem"):
        assert rule in rules
    assert set(rules) <= set(checker.get_axe_messages(rf.get("/")))


# ---- the page listing's extra columns cost no query per page ----------------------------


def test_the_page_listing_columns_do_not_query_per_page(region, django_assert_max_num_queries):
    """Language state and last editor come from annotations on the listing's one query
    (wagtail-localize's own row buttons do query per row; that is not ours to change)."""
    for number in range(5):
        ArticlePageFactory(parent=region.luroy, slug=f"ekstra-{number}", title=f"Ekstra {number}")
    pages = annotate_language_status(
        Page.objects.child_of(region.luroy).prefetch_related("locale").specific()
    )
    with django_assert_max_num_queries(4):
        cells = [(language_status(page), last_editor(page)) for page in pages]
    assert len(cells) == 6
    with translation.override("nb"):
        assert {state for state, _editor in cells} == {"Ikke oversatt"}
