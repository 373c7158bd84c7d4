"""What the page frame (header, navigation, footer) needs on every public page."""

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from region_pages import versions
from region_pages.models import ArrivalGuidePage, EventCalendarPage, HomePage
from translations.coverage import gaps_for_pages

NAVIGATION_CACHE_KEY = "navigation:{version}:{language}"
FOOTER_CONTACT_CACHE_KEY = "footer-contact:{version}:{language}"
PAGE_LINK_CACHE_KEY = "page-link:{version}:{model}:{language}"


def navigation_items(language: str) -> list[dict]:
    """The menu of one language: the home page's children shown in menus.

    Cached, because every page shows it, under the content version: a publish,
    unpublish, move, delete or privacy change moves the version on, and the menu is
    built again.
    """
    key = NAVIGATION_CACHE_KEY.format(version=versions.token(), language=language)
    items = cache.get(key)
    if items is None:
        home = HomePage.objects.live().filter(locale__language_code=language).first()
        children = (
            list(home.get_children().live().public().in_menu().order_by("path")) if home else []
        )
        # A title still untranslated is marked with its language (lang="nb").
        with translation.override(language):
            gaps = gaps_for_pages(children)
        items = [
            {
                "id": page.pk,
                "title": page.title,
                "url": page.url,
                "lang": gaps[page.pk].source_language
                if page.pk in gaps and "title" in gaps[page.pk]
                else "",
            }
            for page in children
        ]
        cache.set(key, items, 3600)
    return items


def footer_contact(language: str) -> dict | None:
    """The region's newcomer contact, as the footer shows it in `language`: the one the
    home page chooses, in that language where it is translated. Cached under the content
    version like the menu (editing a contact moves it on)."""
    key = FOOTER_CONTACT_CACHE_KEY.format(version=versions.token(), language=language)
    found = cache.get(key)
    if found is None:
        home = (
            HomePage.objects.live()
            .filter(locale__language_code=language)
            .select_related("contact")
            .only("locale_id", "contact")
            .first()
        )
        contact = home.contact_for_readers if home else None
        found = {
            "contact": contact,
            "lang": home.contact_lang if contact else "",
        }
        cache.set(key, found, 3600)
    return found if found["contact"] else None


def page_link(model, language: str) -> dict | None:
    """The title and address of the one live page of `model` (the arrival guide, the
    event calendar) in `language`, for the links to it from other pages. Cached under the
    content version like the menu."""
    key = PAGE_LINK_CACHE_KEY.format(
        version=versions.token(), model=model._meta.model_name, language=language
    )
    found = cache.get(key)
    if found is None:
        page = (
            model.objects.live()
            .public()
            .filter(locale__language_code=language)
            .only("title", "url_path")
            .first()
        )
        found = {"title": page.title, "url": page.url} if page else {}
        cache.set(key, found, 3600)
    return found or None


def site_chrome(request):
    language = translation.get_language()
    return {
        # Only evaluated when a template uses it, so the admin pays nothing.
        "navigation": SimpleLazyObject(lambda: navigation_items(language)),
        "footer_contact": SimpleLazyObject(lambda: footer_contact(language)),
        "arrival_guide": SimpleLazyObject(lambda: page_link(ArrivalGuidePage, language)),
        "event_calendar": SimpleLazyObject(lambda: page_link(EventCalendarPage, language)),
        "ACCESSIBILITY_STATEMENT_URL": settings.ACCESSIBILITY_STATEMENT_URL,
        "SITE_THEME_STYLESHEET": f"designsystemet/{settings.SITE_THEME}.css",
        "SITE_LOGO": settings.SITE_LOGO,
    }
