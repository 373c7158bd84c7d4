"""`GET /api/v1/search`: the site search for partners, with the HTML page's results.

Registered on the partner API in `api.router`; it follows that API's
conventions: unknown or repeated parameters and bad values are problem details (400),
lists have `count`, `limit`, `offset`, `next` and `previous`.
"""

from typing import Annotated, Literal

from django.utils.translation import gettext as _

from ninja import Query, Router
from pydantic import Field, WithJsonSchema

from region_pages.api.params import (
    DEFAULT_LIMIT,
    Limit,
    Offset,
    RegionKeys,
    page_links,
    requested_regions,
    strict_query,
)
from region_pages.api.problems import invalid_parameters
from region_pages.api.schemas import Lang, Output, Problem
from region_pages.models import MunicipalityPage

from . import query as engine
from .text import MAX_QUERY_LENGTH, clean_query, terms

router = Router(tags=["search"])

KindCode = Literal["page", "school", "leisure", "industry"]
MUNICIPALITY_PATTERN = r"^[0-9]{4}$|^[a-z0-9][a-z0-9-]{0,254}$"
# The document says what the view checks: a letter or digit somewhere, a character of the
# terms that `terms` finds. Only the document has the pattern: pydantic's regular
# expressions read `\w` otherwise than Python's `re`, which finds the terms.
WORD = r"[^\W_]"
SearchText = Annotated[
    str,
    WithJsonSchema(
        {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_LENGTH, "pattern": WORD}
    ),
]


class SearchHit(Output):
    title: str
    kind: KindCode
    kind_label: str = Field(description="The kind in the requested language.")
    municipality_number: str | None = Field(examples=["1833"])
    municipality_name: str | None = Field(examples=["Rana"])
    snippet: str = Field(
        description="HTML: the text around the matching words, escaped, with the matches "
        "in <mark> elements and no other markup.",
        examples=["Barneskole på <mark>Ytteren</mark>."],
    )
    html_url: str = Field(
        description="The page, or for an entry its place on the municipality page.",
        examples=["https://ranaregionen.no/nb/rana/#block-4f1c…"],
    )


class SearchFacet(Output):
    value: str
    label: str
    count: int


class SearchResults(Output):
    query: str = Field(description="The query as it was searched for (control characters removed).")
    lang: Lang
    count: int = Field(
        description="The number of results served; when `capped`, more match than are served."
    )
    capped: bool = Field(
        description="True when more than 1000 results match: only the best 1000 are served, "
        "and `count` and the facet counts are counted among them, so they are lower bounds "
        "(show them as “1000+”). More words narrow the search down."
    )
    limit: int
    offset: int
    next: str | None
    previous: str | None
    items: list[SearchHit]
    promoted: list[SearchHit] = Field(
        description="Results editors promote for this query, on the first page without "
        "filters only."
    )
    kinds: list[SearchFacet] = Field(
        description="Results by kind (within `municipality`), among those served."
    )
    municipalities: list[SearchFacet] = Field(
        description="Results by municipality (within `kind`), among those served."
    )


def _hit(request, hit: engine.Hit) -> dict:
    return {
        "title": hit.title,
        "kind": hit.kind,
        "kind_label": hit.kind_label,
        "municipality_number": hit.municipality_number or None,
        "municipality_name": hit.municipality_name or None,
        "snippet": str(hit.snippet),
        "html_url": request.build_absolute_uri(hit.url),
    }


def _municipality_number(value: str, lang: str) -> str:
    if value.isdigit():
        return value
    number = (
        MunicipalityPage.objects.live()
        .filter(slug=value, locale__language_code=lang)
        .values_list("municipality_number", flat=True)
        .first()
    )
    return number or "0000"  # a slug that names no municipality matches nothing


@router.get(
    "/search",
    response={200: SearchResults, 304: None, 400: Problem, 404: Problem},
    url_name="search",
    operation_id="search",
    summary="Search",
    description="Full-text search of the pages and entries in one language, with the "
    "results, order and snippets of the site's search page. Norwegian words are stemmed for "
    "`nb` (and a compound finds its head word: `skole` finds `barneskole`) and English ones "
    "for `en`; æ, ø and å may be written as ae, o and a; editors' synonyms (words or "
    "phrases) apply. Quotes and operators have no meaning: only the words count. At most "
    "the best 1000 results are served (`capped`). The ETag also changes when editors change "
    "synonyms or promotions.",
)
@strict_query("q", "lang", "kind", "municipality", "limit", "offset", "region")
def search(
    request,
    q: Annotated[
        SearchText,
        Query(
            max_length=MAX_QUERY_LENGTH,
            description="What to search for: a few words, at most "
            f"{MAX_QUERY_LENGTH} characters, with at least one letter or digit (of any "
            "script); other signs only separate the words.",
            examples=["skoler i Rana"],
        ),
    ],
    lang: Lang = "nb",
    kind: Annotated[KindCode | None, Query(description="Only results of this kind.")] = None,
    municipality: Annotated[
        str | None,
        Query(
            pattern=MUNICIPALITY_PATTERN,
            description="Only results in this municipality: its number (1833) or slug (rana).",
        ),
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
    region: RegionKeys = None,
):
    # The regions to search: those `?region=` names, else the host's.
    setattr(request, engine.REGIONS_ATTRIBUTE, requested_regions(request))
    query_string = clean_query(q)
    if not terms(query_string):
        raise invalid_parameters(
            [{"name": "q", "reason": _("Give at least one word to search for.")}]
        )
    results = engine.search(
        query_string,
        lang,
        kind=kind or "",
        municipality=_municipality_number(municipality, lang) if municipality else "",
        page_size=limit,
        offset=offset,
        request=request,
    )
    return {
        "query": query_string,
        "lang": lang,
        **page_links(request, results.total, limit, offset),
        "capped": results.capped,
        "items": [_hit(request, hit) for hit in results.hits],
        "promoted": [_hit(request, hit) for hit in results.promotions],
        "kinds": [{"value": f.value, "label": f.label, "count": f.count} for f in results.kinds],
        "municipalities": [
            {"value": f.value, "label": f.label, "count": f.count} for f in results.municipalities
        ],
    }
