"""The region: its name, introduction, municipalities and theme pages."""

from ninja import Router

from ..images import image_representation
from ..models import HomePage, MunicipalityPage, ThemePage
from .params import strict_query
from .problems import missing_translation
from .represent import Reader, contact_representation
from .schemas import Lang, Problem, Region

router = Router(tags=["region"])


@router.get(
    "/region",
    response={200: Region, 304: None, 400: Problem, 404: Problem},
    url_name="region",
    operation_id="getRegion",
    summary="The region",
    description="The region's name and introduction, its municipalities and theme pages.",
)
@strict_query("lang")
def get_region(request, lang: Lang = "nb"):
    reader = Reader(request, lang)
    home = (
        reader.pages(HomePage)
        .filter(locale__language_code=lang)
        .select_related("locale", "hero_image", "contact__photo")
        .order_by("path")
        .first()
    )
    if home is None:
        raise missing_translation(lang, reader.missing_translations(reader.pages(HomePage), lang))
    municipalities = list(
        reader.pages(MunicipalityPage).child_of(home).select_related("locale").order_by("path")
    )
    themes = list(reader.pages(ThemePage).child_of(home).select_related("locale").order_by("path"))
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
