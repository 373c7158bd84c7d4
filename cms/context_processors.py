"""What the page frame (header, navigation, footer) needs on every public page."""

from django.conf import settings
from django.templatetags.static import static
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from wagtail.images import get_image_model

from region_pages import regions, versions
from region_pages.models import ArrivalGuidePage, EventCalendarPage, HomePage
from region_pages.municipalities import BY_NUMBER
from translations.coverage import gaps_for_pages


def _home_pages(region):
    """The live home pages of `region` (of every region while the install has none)."""
    pages = HomePage.objects.live()
    return pages.filter(region.pages()) if region else pages


def navigation_items(language: str, region=None, request=None) -> list[dict]:
    """The menu of one language in `region`: its home page's children shown in menus.

    Cached, because every page shows it, under the content version: a publish,
    unpublish, move, delete or privacy change moves the version on, and the menu is
    built again.
    """

    def build():
        home = _home_pages(region).filter(locale__language_code=language).first()
        children = (
            list(home.get_children().live().public().in_menu().order_by("path")) if home else []
        )
        # A title still untranslated is marked with its language (lang="nb").
        with translation.override(language):
            gaps = gaps_for_pages(children)
        return [
            {
                "id": page.pk,
                "title": page.title,
                # Relative on the region's own host (the request's, which is the region's).
                "url": page.get_url(request=request),
                "lang": gaps[page.pk].source_language
                if page.pk in gaps and "title" in gaps[page.pk]
                else "",
            }
            for page in children
        ]

    return versions.remember("navigation", _name(region, language), build)


def _name(region, *parts: str) -> str:
    return ":".join([region.key if region else "", *parts])


def footer_contact(language: str, region=None) -> dict | None:
    """The region's newcomer contact, as the footer shows it in `language`: the one the
    home page chooses, in that language where it is translated. Cached under the content
    version like the menu (editing a contact moves it on)."""

    def build():
        home = (
            _home_pages(region)
            .filter(locale__language_code=language)
            .select_related("contact")
            .only("locale_id", "contact")
            .first()
        )
        contact = home.contact_for_readers if home else None
        return {"contact": contact, "lang": home.contact_lang if contact else ""}

    found = versions.remember("footer-contact", _name(region, language), build)
    return found if found["contact"] else None


def page_link(model, language: str, region=None, request=None) -> dict | None:
    """The title and address of the one live page of `model` (the arrival guide, the
    event calendar) in `language`, for the links to it from other pages. Cached under the
    content version like the menu."""

    def build():
        pages = model.objects.live().public()
        page = (
            (pages.filter(region.pages()) if region else pages)
            .filter(locale__language_code=language)
            .only("title", "url_path")
            .first()
        )
        return {"title": page.title, "url": page.get_url(request=request)} if page else {}

    name = _name(region, model._meta.model_name, language)
    return versions.remember("page-link", name, build) or None


def logo_url(region) -> str:
    """The address of the region's logo (a rendition of its image, twice the 40 pixels
    drawn), else of the install's `SITE_LOGO` static file, else ""."""
    if region is None or region.logo_id is None:
        return static(settings.SITE_LOGO) if settings.SITE_LOGO else ""

    def build():
        image = get_image_model().objects.filter(pk=region.logo_id).first()
        return image.get_rendition("fill-80x80").url if image else ""

    return versions.remember("region-logo", region.key, build)


def site_description(region) -> str:
    """ "<Region> is the common website of the municipalities of A, B and C."."""
    names = [BY_NUMBER[n].name for n in (region.numbers if region else ()) if n in BY_NUMBER]
    if not names:
        return ""
    listed = (
        names[0]
        if len(names) == 1
        else _("%(names)s and %(last)s")
        % {
            "names": ", ".join(names[:-1]),
            "last": names[-1],
        }
    )
    return _("%(region)s is the common website of the municipalities of %(municipalities)s.") % {
        "region": region.name,
        "municipalities": listed,
    }


def site_chrome(request):
    language = translation.get_language()

    def region():
        return regions.for_request(request)

    return {
        # Only evaluated when a template uses it, so the admin pays nothing.
        "site_region": SimpleLazyObject(region),
        # The name in the header and in titles: the region's site's name.
        "region_name": SimpleLazyObject(
            lambda: region().name if region() else settings.WAGTAIL_SITE_NAME
        ),
        "site_description": SimpleLazyObject(lambda: site_description(region())),
        "navigation": SimpleLazyObject(lambda: navigation_items(language, region(), request)),
        "footer_contact": SimpleLazyObject(lambda: footer_contact(language, region())),
        "arrival_guide": SimpleLazyObject(lambda: page_link(ArrivalGuidePage, language, region())),
        "event_calendar": SimpleLazyObject(
            lambda: page_link(EventCalendarPage, language, region(), request)
        ),
        "ACCESSIBILITY_STATEMENT_URL": settings.ACCESSIBILITY_STATEMENT_URL,
        "SITE_THEME_STYLESHEET": SimpleLazyObject(
            lambda: f"designsystemet/{(region() and region().theme) or settings.SITE_THEME}.css"
        ),
        "site_logo_url": SimpleLazyObject(lambda: logo_url(region())),
    }
