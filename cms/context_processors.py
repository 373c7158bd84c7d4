"""What the page frame (header, navigation, footer) needs on every public page."""

from django.conf import settings
from django.utils import translation
from django.utils.functional import SimpleLazyObject


def _navigation(language: str):
    from region_pages.models import HomePage

    home = HomePage.objects.live().filter(locale__language_code=language).first()
    if home is None:
        return {"home": None, "items": []}
    items = list(home.get_children().live().public().in_menu().order_by("path"))
    return {"home": home, "items": items}


def site_chrome(request):
    language = translation.get_language()
    return {
        # Only evaluated when a template uses it, so the admin pays nothing.
        "navigation": SimpleLazyObject(lambda: _navigation(language)),
        "ACCESSIBILITY_STATEMENT_URL": settings.ACCESSIBILITY_STATEMENT_URL,
    }
