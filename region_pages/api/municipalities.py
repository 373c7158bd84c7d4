"""The four municipalities: facts, introduction, links, and their entries."""

from typing import Annotated

from django.db.models import Q
from django.utils.translation import gettext as _

from ninja import Path, Router

from .. import versions
from ..images import image_representation
from ..models import Entry, MunicipalityPage
from .kept import kept_answer
from .params import DEFAULT_LIMIT, Limit, Offset, RegionKeys, page_links, strict_query
from .problems import missing_translation, not_found
from .represent import HEAVY_PAGE_FIELDS, Reader, contact_representation
from .schemas import Lang, MunicipalityDetail, MunicipalityList, Problem
from .sparse import Fields, sparse

router = Router(tags=["municipalities"])

KEY_PATTERN = r"^[0-9]{4}$|^[a-z0-9][a-z0-9-]{0,254}$"


@router.get(
    "/municipalities",
    response={200: MunicipalityList, 304: None, 400: Problem, 404: Problem},
    url_name="municipality_list",
    operation_id="listMunicipalities",
    summary="Municipalities",
    description="The municipalities in one language, in the order of the site's menu. "
    "Those not translated into that language yet are listed in `missing_translations`.",
)
@strict_query("lang", "fields", "limit", "offset", "region")
@sparse(MunicipalityList)
def list_municipalities(
    request,
    lang: Lang = "nb",
    fields: Fields(MunicipalityList) = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
    region: RegionKeys = None,
):
    reader = Reader(request, lang)

    def build():
        pages = reader.pages(MunicipalityPage)
        in_language = pages.filter(locale__language_code=lang)
        count = in_language.count()
        items = list(
            in_language.select_related("locale").order_by("path", "pk")[offset : offset + limit]
        )
        translations = reader.page_translations(items)
        counts = reader.entry_counts([page.pk for page in items])
        return {
            **page_links(request, count, limit, offset),
            "items": [reader.municipality_summary(page, translations, counts) for page in items],
            "missing_translations": reader.municipality_translations_missing(pages, lang),
        }

    # Kept under the content version for what was asked (its links repeat the query).
    return versions.remember("municipality-list", reader.asked(request.get_full_path()), build)


@router.get(
    "/municipalities/{key}",
    response={200: MunicipalityDetail, 304: None, 400: Problem, 404: Problem},
    url_name="municipality_detail",
    operation_id="getMunicipality",
    summary="One municipality",
    description="A municipality by its four-digit number (`1833`) or its slug (`rana`), "
    "with all its entries in page order.",
)
@strict_query("lang", "region")
def get_municipality(
    request,
    key: Annotated[str, Path(pattern=KEY_PATTERN, examples=["1833"])],
    lang: Lang = "nb",
    region: RegionKeys = None,
):
    reader = Reader(request, lang)

    def build():
        matching = reader.pages(MunicipalityPage).filter(Q(municipality_number=key) | Q(slug=key))
        page = (
            matching.filter(locale__language_code=lang)
            .select_related("locale", "hero_image", "contact__photo")
            .order_by("path")
            .first()
        )
        if page is None:
            available = reader.municipality_translations_missing(matching, lang)
            if available:
                raise missing_translation(lang, available)
            raise not_found(
                _("There is no municipality with the number or slug “%(key)s”.") % {"key": key}
            )
        translations = reader.page_translations([page])
        entries = list(reader.entries().filter(page=page).order_by("position"))
        counts = reader.entry_counts([page.pk])
        other_entries = (
            Entry.objects.filter(translation_key=page.translation_key)
            .exclude(locale_id=page.locale_id)
            .exclude(block_id__in=[entry.block_id for entry in entries])
            .select_related("page", "locale")
            .defer(*(f"page__{name}" for name in HEAVY_PAGE_FIELDS))
            .order_by("position")
        )
        return {
            **reader.municipality_summary(page, translations, counts),
            "hero_image": image_representation(page.hero_image, page.hero_alt_text),
            "contact": contact_representation(page),
            "entries": reader.entry_items(entries),
            "missing_entry_translations": [reader.entry_link(other) for other in other_entries],
        }

    # Kept under the content version for the key asked (a number or a slug), the
    # language, the address and the regions; an unknown key raises and is not kept.
    return kept_answer(
        "municipality-detail", f"{key}:{lang}:{reader.where}", MunicipalityDetail, build
    )
