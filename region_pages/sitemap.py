"""`/sitemap.xml`: every live public page in both languages, with hreflang alternates."""

from collections import defaultdict

from django.conf import settings
from django.template.response import TemplateResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from wagtail.models import Page


@require_GET
@cache_control(public=True, max_age=600)
def sitemap(request):
    pages = list(
        Page.objects.live()
        .public()
        .filter(depth__gt=1)
        .select_related("locale")
        .order_by("translation_key", "locale__language_code")
    )
    versions = defaultdict(list)
    for page in pages:
        url = page.get_full_url(request)
        if url:
            versions[page.translation_key].append((page.locale.language_code, url, page))

    urls = []
    for group in versions.values():
        alternates = [{"lang": lang, "url": url} for lang, url, _page in group]
        default = next((url for lang, url, _p in group if lang == settings.LANGUAGE_CODE), None)
        for _lang, url, page in group:
            urls.append(
                {
                    "location": url,
                    "lastmod": page.last_published_at,
                    "alternates": alternates if len(group) > 1 else [],
                    "x_default": default if len(group) > 1 else None,
                }
            )
    urls.sort(key=lambda item: item["location"])
    return TemplateResponse(
        request,
        "region_pages/sitemap.xml",
        {"urls": urls},
        content_type="application/xml",
    )
