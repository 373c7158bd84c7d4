"""Pages (home, municipality, theme and article pages) with their body."""

from typing import Annotated, Literal

from django.utils.translation import gettext as _

from ninja import Path, Query, Router

from .. import versions
from ..blocks.bulk import load_together
from . import preview
from .kept import kept_answer
from .params import DEFAULT_LIMIT, Limit, Offset, RegionKeys, page_links, strict_query
from .problems import not_found
from .represent import TYPE_MODELS, Reader
from .schemas import WITH_BODY, Lang, PageDetail, PageList, PageType, Problem
from .sparse import Fields, sparse

router = Router(tags=["pages"])

MAX_IDS = 100
# Up to MAX_IDS page ids, comma-separated; 18 digits at most keeps each below 2**62.
IDS_PATTERN = rf"^[1-9][0-9]{{0,17}}(,[1-9][0-9]{{0,17}}){{0,{MAX_IDS - 1}}}$"


@router.get(
    "/pages",
    response={200: PageList, 304: None, 400: Problem, 404: Problem},
    url_name="page_list",
    operation_id="listPages",
    summary="Pages",
    description="Pages in one language in the order of the site's tree (a stable order). "
    "Without `type`, pages of every type. Bodies come with each page's detail, or with "
    "`include=body` with every page of the list (a full sync in a request per 100 pages). "
    "With `ids`, only those pages (a mirror fetching what the change feed announced in one "
    "request instead of one a page).",
)
@strict_query("lang", "type", "ids", "include", "fields", "limit", "offset", "region")
@sparse(PageList)
def list_pages(
    request,
    lang: Lang = "nb",
    type: Annotated[
        PageType | None,
        Query(
            description="home, municipality, theme, article, arrival_guide, event_calendar "
            "or event."
        ),
    ] = None,
    ids: Annotated[
        str | None,
        Query(
            pattern=IDS_PATTERN,
            description=f"Only these pages: up to {MAX_IDS} ids, comma-separated, of pages in "
            "`lang` (the ids the change feed gives). Ids of unpublished, private or deleted "
            "pages, or of pages in another language, are left out.",
            examples=["5,12,13"],
        ),
    ] = None,
    include: Annotated[
        Literal["body"] | None,
        Query(
            description="`body`: each page whole, as its detail gives it (with `body`, "
            "`hero_image`, `seo_title`, `search_description`, `theme` and "
            "`municipality_number`)."
        ),
    ] = None,
    fields: Fields(
        PageList,
        note=" Naming a field of the detail (`body`, `hero_image`, …) gives each page "
        "whole, as `include=body` does.",
    ) = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
    region: RegionKeys = None,
):
    reader = Reader(request, lang)
    pages = reader.pages(TYPE_MODELS[type]) if type else reader.pages()
    if ids is not None:
        pages = pages.filter(pk__in={int(part) for part in ids.split(",")})
    in_language = pages.filter(locale__language_code=lang)
    base = reader.pages().filter(pk__in=in_language.values("pk")).order_by("path", "pk")
    # The count, the page's rows and the pages missing in `lang` change only with the
    # content: kept under the content version for the filters, the address and the regions.
    filters = (lang, type, ids)
    count, rows = reader.listed("page-list", filters, base, offset, limit)
    missing = versions.remember(
        "page-list-missing",
        reader.asked(*filters),
        lambda: reader.missing_translations(pages, lang),
    )
    asked = set(fields.split(",")) if fields else set()
    if include == "body" or asked & set(WITH_BODY):
        rows = list(reader.whole(base)[offset : offset + limit])
        translations = reader.page_translations(rows)
        whole = [reader.specific_row(row) for row in rows]
        load_together([page.body for page in whole])
        items = [reader.page_detail(page, translations) for page in whole]
    else:
        items = reader.page_summaries(rows)
    return {
        **page_links(request, count, limit, offset),
        "items": items,
        "missing_translations": missing,
    }


@router.get(
    "/pages/{page_id}",
    response={200: PageDetail, 304: None, 400: Problem, 401: Problem, 404: Problem},
    url_name="page_detail",
    operation_id="getPage",
    summary="One page",
    description="A page with its body. A page's id belongs to one language version; "
    "`translations` gives the others. With `Authorization: Preview <token>` (a token the "
    "page editor's preview gave a partner's frontend), the page's saved draft instead, "
    "never cached.",
)
@strict_query("region")
def get_page(request, page_id: Annotated[int, Path(ge=1, le=2**62)], region: RegionKeys = None):
    reader = Reader(request)
    token = preview.presented(request)
    if token is not None:
        # A partner's frontend previewing a draft (region_pages.api.preview).
        return reader.page_detail(preview.revision_for(token, page_id).as_object())

    def build():
        page = reader.pages().filter(pk=page_id).select_related("locale").first()
        specific = page.specific if page else None
        if specific is None:
            raise not_found(_("There is no published page with the id %(id)s.") % {"id": page_id})
        return reader.page_detail(specific)

    # Kept under the content version for the page, the address and the regions; a page
    # that is not there raises and is not kept.
    return kept_answer("page-detail", reader.asked(page_id), PageDetail, build)
