"""Where a page is not available in the reader's language: say so, and point to the original."""

from django.conf import settings

from wagtail.models import Page, Site


def missing_languages(page) -> list[str]:
    """The content languages in which `page` has no live, public version."""
    present = {version.locale.language_code for version in page.language_versions}
    return [code for code, _name in settings.LANGUAGES if code not in present]


def untranslated_original(request) -> Page | None:
    """For a request under /<language>/ that found no page: the source-language page at the
    same place, if there is one (slugs are shared between languages)."""
    if request is None:
        return None
    parts = request.path.strip("/").split("/", 1)
    language = parts[0]
    rest = parts[1] if len(parts) > 1 else ""
    if language == settings.LANGUAGE_CODE or language not in dict(settings.LANGUAGES):
        return None
    site = Site.find_for_request(request)
    if site is None:
        return None
    root = site.root_page
    source_root = (
        Page.objects.filter(
            translation_key=root.translation_key, locale__language_code=settings.LANGUAGE_CODE
        )
        .only("url_path")
        .first()
    )
    if source_root is None:
        return None
    url_path = source_root.url_path + (rest.strip("/") + "/" if rest.strip("/") else "")
    return (
        Page.objects.filter(url_path=url_path, locale__language_code=settings.LANGUAGE_CODE)
        .live()
        .public()
        .first()
    )
