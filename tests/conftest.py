"""Shared fixtures: a Norwegian site tree, its English locale, and helpers to publish and
translate pages the way editors do."""

from django.core.cache import cache

from wagtail.models import Locale, Page, Site

import pytest
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from .factories import HomePageFactory


@pytest.fixture(autouse=True)
def _isolated_media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def locales(db):
    nb, _ = Locale.objects.get_or_create(language_code="nb")
    en, _ = Locale.objects.get_or_create(language_code="en")
    return nb, en


@pytest.fixture
def home(locales):
    """The Norwegian region home, published and made the default site's root."""
    nb, _en = locales
    root = Page.get_first_root_node()
    page = HomePageFactory(parent=root, locale=nb)
    page.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    placeholder = site.root_page
    site.root_page = page
    site.hostname = "testserver"
    site.port = 80
    site.save()
    if placeholder.specific_class is Page:
        placeholder.delete()
    return page


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def translate(page, language="en", texts=None):
    """Translate `page` with wagtail-localize, as a translator would, and publish it.

    `texts` maps Norwegian segments to English; a segment not in it gets "EN: " prepended,
    so that every translated segment is visibly English in the tests.
    """
    texts = texts or {}
    locale = Locale.objects.get(language_code=language)
    source, _ = TranslationSource.get_or_create_from_instance(page)
    translation, _ = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    for segment in StringSegment.objects.filter(source=source).select_related("string"):
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": texts.get(segment.string.data, f"EN: {segment.string.data}")},
        )
    translation.save_target(publish=False)
    target = page.get_translation(locale)
    target.get_latest_revision().publish()
    return target.specific_class.objects.get(pk=target.pk)
