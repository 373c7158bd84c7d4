"""The region: its name, introduction, municipalities and theme pages; and the regions of
the install."""

from django.urls import reverse

from wagtail.models import Site

from ninja import Router

from .. import regions
from ..images import image_representation
from ..models import HomePage, MunicipalityPage, ThemePage
from .kept import kept_answer
from .params import RegionKeys, strict_query
from .problems import missing_translation
from .represent import Reader, contact_representation
from .schemas import Lang, Problem, Region, RegionList

router = Router(tags=["region"])


@router.get(
    "/region",
    response={200: Region, 304: None, 400: Problem, 404: Problem},
    url_name="region",
    operation_id="getRegion",
    summary="The region",
    description="The region's name and introduction, its municipalities and theme pages.",
)
@strict_query("lang", "region")
def get_region(request, lang: Lang = "nb", region: RegionKeys = None):
    reader = Reader(request, lang)

    def build():
        home = (
            reader.pages(HomePage)
            .filter(locale__language_code=lang)
            .select_related("locale", "hero_image", "contact__photo")
            .order_by("path")
            .first()
        )
        if home is None:
            raise missing_translation(
                lang, reader.missing_translations(reader.pages(HomePage), lang)
            )
        municipalities = list(
            reader.pages(MunicipalityPage).child_of(home).select_related("locale").order_by("path")
        )
        themes = list(
            reader.pages(ThemePage).child_of(home).select_related("locale").order_by("path")
        )
        translations = reader.page_translations([home, *municipalities, *themes])
        counts = reader.entry_counts([page.pk for page in municipalities])
        summary = reader.page_summary(home, home, translations)
        return {
            "lang": lang,
            "id": home.pk,
            "translation_key": home.translation_key,
            "name": home.title,
            "intro": home.intro,
            "html_url": summary["html_url"],
            "api_url": request.build_absolute_uri(f"{request.path}?lang={lang}"),
            "first_published_at": home.first_published_at,
            "last_published_at": home.last_published_at,
            "translations": summary["translations"],
            "hero_image": image_representation(home.hero_image, home.hero_alt_text),
            "contact": contact_representation(home),
            "municipalities": [
                reader.municipality_summary(page, translations, counts) for page in municipalities
            ],
            "theme_pages": [reader.page_summary(page, page, translations) for page in themes],
        }

    # Kept under the content version for the language, the address and the regions;
    # a missing translation raises and is not kept.
    return kept_answer("region", reader.asked(lang, request.path), Region, build)


@router.get(
    "/regions",
    response={200: RegionList, 304: None, 400: Problem},
    url_name="regions",
    operation_id="listRegions",
    summary="The regions",
    description="Every region this install serves, each on its own site: a partner who "
    "wants several reads them on one host with `?region=` (keys separated by commas). "
    "Without `?region=`, every endpoint answers for the region of the host asked.",
)
@strict_query()
def list_regions(request):
    sites = Site.objects.in_bulk([region.site_id for region in regions.all_regions()])
    base = reverse("api-v1:region")
    return {
        "items": [
            {
                "key": region.key,
                "name": region.name,
                "html_url": sites[region.site_id].root_url + "/",
                "api_url": request.build_absolute_uri(f"{base}?region={region.key}"),
                "municipality_numbers": list(region.numbers),
                "languages": sorted(code for code, _pk, _path in region.homes),
            }
            for region in regions.all_regions()
            if region.site_id in sites
        ]
    }
