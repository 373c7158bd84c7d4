"""Pages and entries as the API serves them, read only from what is live and public.

A `Reader` belongs to one request: it remembers the view restrictions and the site's root
paths, so that a list costs the same few queries whatever its length. Rendering happens in
the resource's language, so that links inside text lead to pages in that language.
"""

import hashlib
from collections import namedtuple
from functools import cached_property

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import translation

from wagtail.models import Page

from .. import regions, registers, versions
from ..images import image_representation
from ..models import (
    Announced,
    ArrivalGuidePage,
    ArticlePage,
    Entry,
    EventCalendarPage,
    EventPage,
    HomePage,
    MunicipalityPage,
    ThemePage,
)
from ..models.base import restricted_paths
from ..models.changes import ResourceType
from .params import requested_regions

PAGE_TYPES = {
    HomePage: "home",
    MunicipalityPage: "municipality",
    ThemePage: "theme",
    ArticlePage: "article",
    ArrivalGuidePage: "arrival_guide",
    EventCalendarPage: "event_calendar",
    EventPage: "event",
}
TYPE_MODELS = {name: model for model, name in PAGE_TYPES.items()}
# The reverse one-to-one accessors from Page to each page type's own table.
SUBCLASS_RELATIONS = {model: model._meta.model_name for model in PAGE_TYPES}
OTHER_LANGUAGE = {"nb": "en", "en": "nb"}
# Fields a list never shows: the body (parsed from JSON on loading) and long texts.
HEAVY_PAGE_FIELDS = ("body", "intro", "search_description", "hero_alt_text")
# A list's rows as `Reader.listed` keeps them: what names a page's kept summary, and an
# entry's kept item (`Reader.entry_items`) and where a map places it.
PageKey = namedtuple("PageKey", ["pk"])
EntryKey = namedtuple("EntryKey", ["pk", "block_id", "locale_id", "latitude", "longitude"])


class Reader:
    def __init__(self, request, lang: str | None = None):
        self.request = request
        self.lang = lang
        self._html_urls: dict[int, str] = {}

    # ---- what may be read ------------------------------------------------------------

    @cached_property
    def _private_paths(self) -> list[str]:
        return restricted_paths()

    @cached_property
    def regions(self) -> list:
        """The regions the request reads: those named by `?region=`, else its host's."""
        return requested_regions(self.request)

    def _region_query(self, path: str | None = None, number: str | None = None) -> str:
        """ "" for a resource in the host's region; else `region=<key>`, so that its
        `api_url` answers on the host the client called."""
        host = regions.for_request(self.request)
        if host is None:
            return ""
        if path is not None:
            if any(path.startswith(home) for home in host.paths):
                return ""
            region = regions.for_path(path)
        else:
            if number in host.numbers:
                return ""
            region = regions.for_number(number)
        return f"region={region.key}" if region else ""

    def visible(self, queryset):
        """Live pages of the request's regions without a view restriction on them or
        above them (the restrictions are kept under the content version)."""
        queryset = queryset.live()
        if self.regions:
            queryset = queryset.filter(regions.pages_in(self.regions))
        private = Q()
        for path in self._private_paths:
            private |= Q(path__startswith=path)
        return queryset.exclude(private) if private else queryset

    def pages(self, model=Page):
        """Visible pages of the types the API serves (`model` narrows them to one)."""
        queryset = model.objects.all()
        if model is Page:
            queryset = queryset.type(*TYPE_MODELS.values())
        else:
            queryset = queryset.defer_streamfields()
        return self.visible(queryset)

    def entries(self):
        """Entries exist only for live, public municipality pages (the read model's rule).

        Their pages come along for the URL, the title and the slug; not their bodies,
        which would be parsed once for every entry.
        """
        entries = Entry.objects.all()
        if self.regions:
            entries = entries.filter(regions.pages_in(self.regions, "page__"))
        return entries.select_related("page", "page__locale", "locale").defer(
            *(f"page__{name}" for name in HEAVY_PAGE_FIELDS)
        )

    # ---- URLs --------------------------------------------------------------------------

    def absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def page_api_url(self, page, name: str = "api-v1:page_detail") -> str:
        region = self._region_query(path=page.path)
        return self.absolute(reverse(name, args=[page.pk]) + (f"?{region}" if region else ""))

    def entry_api_url(self, entry, lang: str | None = None) -> str:
        """`entry`'s address (its page loaded), in `lang` (by default its own)."""
        lang = lang or entry.locale.language_code
        region = self._region_query(path=entry.page.path)
        return self.absolute(
            reverse("api-v1:entry_detail", args=[entry.block_id])
            + f"?lang={lang}"
            + (f"&{region}" if region else "")
        )

    def municipality_api_url(self, number: str, lang: str) -> str:
        region = self._region_query(number=number)
        return self.absolute(
            reverse("api-v1:municipality_detail", args=[number])
            + f"?lang={lang}"
            + (f"&{region}" if region else "")
        )

    def html_url(self, page) -> str:
        """The page's public URL, worked out once per page and request.

        `html_url` is the page's canonical address, on the host of its Wagtail site (the
        one the HTML pages give as canonical), whatever host the API was asked on: it is
        for readers, and search engines, of the public site. `api_url` (and `next` and
        `previous`) are built from the request instead, so that a client stays on the host
        it called: the CDN's, which passes the public host on, or a staging host. Asked on
        the site's host, as partners do through the CDN, both agree.
        """
        if page.pk not in self._html_urls:
            self._html_urls[page.pk] = page.get_full_url(self.request) or ""
        return self._html_urls[page.pk]

    # ---- pages -------------------------------------------------------------------------

    def page_translations(self, pages) -> dict:
        """{translation_key: [other language versions]} for `pages`, in one query."""
        keys = {page.translation_key for page in pages}
        found: dict = {}
        if not keys:
            return found
        others = (
            self.pages()
            .filter(translation_key__in=keys)
            .select_related("locale")
            .order_by("locale__language_code")
        )
        for other in others:
            found.setdefault(other.translation_key, []).append(other)
        return found

    def _translations_of(self, page, translations) -> list[dict]:
        return [
            {
                "lang": other.locale.language_code,
                "id": other.pk,
                "html_url": self.html_url(other),
                "api_url": self.page_api_url(other),
            }
            for other in translations.get(page.translation_key, [])
            if other.pk != page.pk
        ]

    def page_summary(self, page, specific, translations) -> dict:
        """`page` is the Page row; `specific` the row of its own type (for the intro)."""
        return self.summary(page, type(specific), specific.intro, translations)

    def summary(self, page, model, intro: str, translations) -> dict:
        """`page` is the Page row, `model` its type, `intro` its type's introduction."""
        return {
            "id": page.pk,
            "type": PAGE_TYPES[model],
            "lang": page.locale.language_code,
            "translation_key": page.translation_key,
            "title": page.title,
            "slug": page.slug,
            "intro": intro,
            "html_url": self.html_url(page),
            "api_url": self.page_api_url(page),
            "first_published_at": page.first_published_at,
            "last_published_at": page.last_published_at,
            "translations": self._translations_of(page, translations),
        }

    @cached_property
    def where(self) -> str:
        """What a representation kept under the content version depends on besides the
        resource: the address asked on (its URLs) and the regions read (its translations)."""
        return "|".join(
            [self.request.scheme, self.request.get_host(), *(r.key for r in self.regions)]
        )

    def listed(self, kind: str, filters, queryset, offset: int, limit: int, key=None):
        """(count, rows) of a list: how many `queryset` holds and the keys (`key`, a named
        tuple of its fields) of its rows from `offset`, at most `limit`. Kept under the
        content version for the list's `filters`, the page asked, the address and the
        regions, so that a list whose items are kept too reads nothing else."""
        key = key or PageKey

        def build():
            rows = queryset.values_list(*key._fields)[offset : offset + limit]
            return queryset.count(), [key(*row) for row in rows]

        return versions.remember(kind, self.asked(filters, offset, limit), build)

    def asked(self, *parts) -> str:
        """A name for what a request asked (`parts`: its parameters), on its address and
        for its regions (`where`), for a value kept under the content version."""
        return f"{hashlib.sha256(repr(parts).encode()).hexdigest()[:32]}:{self.where}"

    def kept(self, kind: str, rows, name_of, build) -> list[dict]:
        """The representations of `rows`, kept under the content version for the address
        asked on and the regions read (`where`); `build(rows)` represents those not kept,
        together, in their order. `name_of(row)` names a row's representation."""
        names = [f"{name_of(row)}:{self.where}" for row in rows]
        by_name = dict(zip(names, rows, strict=True))

        def build_missing(missing):
            return dict(zip(missing, build([by_name[name] for name in missing]), strict=True))

        found = versions.remember_many(kind, list(by_name), build_missing)
        return [found[name] for name in names]

    @staticmethod
    def _loaded(rows, queryset) -> list:
        """`rows` as model instances of `queryset`: those that are only keys (a list's
        rows, `listed`) loaded in one query."""
        wanted = [row.pk for row in rows if not isinstance(row, queryset.model)]
        loaded = queryset.in_bulk(wanted) if wanted else {}
        return [row if isinstance(row, queryset.model) else loaded[row.pk] for row in rows]

    def page_summaries(self, rows) -> list[dict]:
        """The summaries of Page `rows` (Page objects, or rows with a `pk`), kept under
        the content version; those not kept built in two or three queries."""
        return self.kept("page-summary", rows, lambda row: row.pk, self._build_page_summaries)

    def _build_page_summaries(self, rows) -> list[dict]:
        rows = self._loaded(rows, Page.objects.select_related("locale"))
        translations = self.page_translations(rows)
        intros = self.introductions(rows)
        return [self.summary(row, row.specific_class, intros[row.pk], translations) for row in rows]

    @staticmethod
    def introductions(rows) -> dict[int, str]:
        """{page id: introduction} of Page `rows` of any mix of types, in one query: their
        types' tables read side by side (UNION ALL), where joining every type's table to
        the pages took PostgreSQL longer to plan than to run."""
        ids: dict = {}
        for row in rows:
            if row.specific_class in SUBCLASS_RELATIONS:
                ids.setdefault(row.specific_class, []).append(row.pk)
        parts = [
            model.objects.filter(pk__in=pks).values_list("pk", "intro").order_by()
            for model, pks in ids.items()
        ]
        return dict(parts[0].union(*parts[1:], all=True)) if parts else {}

    def whole(self, queryset):
        """Pages with their own type's row, body and hero image (with its renditions)
        joined in or fetched alongside, for representing them whole."""
        relations = SUBCLASS_RELATIONS.values()
        return queryset.select_related(
            "locale", *relations, *(f"{relation}__hero_image" for relation in relations)
        ).prefetch_related(*(f"{relation}__hero_image__renditions" for relation in relations))

    @staticmethod
    def specific_row(page):
        for model, relation in SUBCLASS_RELATIONS.items():
            try:
                return getattr(page, relation)
            except model.DoesNotExist:
                continue
        return None

    def page_detail(self, page, translations=None) -> dict:
        """One page with its body (`page` is the specific page; `translations`: those of
        a list of pages it is in, else read for it alone)."""
        if translations is None:
            translations = self.page_translations([page])
        with translation.override(page.locale.language_code):
            # The page goes along: blocks may show figures of its municipality.
            body = page.body.stream_block.get_api_representation(page.body, context={"page": page})
            hero = image_representation(page.hero_image, page.hero_alt_text)
        return {
            **self.page_summary(page, page, translations),
            "seo_title": page.seo_title,
            "search_description": page.search_description,
            "hero_image": hero,
            "theme": getattr(page, "theme", None),
            "municipality_number": getattr(page, "municipality_number", None),
            "body": body,
        }

    def missing_translations(self, queryset, lang: str, api_url=None) -> list[dict]:
        """Pages of `queryset` in the other language that have no version in `lang`;
        `api_url(page)` gives where each is served (by default /pages/{id})."""
        api_url = api_url or self.page_api_url
        other = OTHER_LANGUAGE[lang]
        present = self.pages().filter(locale__language_code=lang).values("translation_key")
        missing = (
            queryset.filter(locale__language_code=other)
            .exclude(translation_key__in=present)
            .order_by("path")
        )
        return [
            {
                "lang": other,
                "id": page.pk,
                "translation_key": str(page.translation_key),
                "title": page.title,
                "html_url": self.html_url(page),
                "api_url": api_url(page),
            }
            for page in missing
        ]

    def municipality_translations_missing(self, queryset, lang: str) -> list[dict]:
        """Municipalities of `queryset` that exist in the other language only."""
        return self.missing_translations(
            queryset,
            lang,
            lambda page: self.municipality_api_url(page.municipality_number, OTHER_LANGUAGE[lang]),
        )

    # ---- municipalities ------------------------------------------------------------------

    def entry_counts(self, page_ids) -> dict:
        counts: dict = {}
        rows = (
            Entry.objects.filter(page_id__in=page_ids)
            .values("page_id", "kind")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            counts.setdefault(row["page_id"], {}).update({row["kind"]: row["n"]})
        return counts

    @cached_property
    def _fact_sources(self) -> dict:
        """What the pipeline wrote into the municipality pages' facts (one small query)."""
        return registers.provider().fact_sources(
            MunicipalityPage.objects.values_list("pk", flat=True)
        )

    def population_source(self, page) -> dict | None:
        written = self._fact_sources.get(page.pk, {}).get("population")
        if written is None or written[1] != [page.population, page.population_year]:
            return None
        reference = registers.provider().source_reference(written[0])
        return {**reference, "source": written[0]}

    def municipality_summary(self, page, translations, counts) -> dict:
        """A municipality is served with its entries at /municipalities/{number}, in every
        language: its `api_url` and its translations' lead there, not to /pages/{id}."""
        page_counts = counts.get(page.pk, {})
        summary = self.page_summary(page, page, translations)
        number = page.municipality_number
        return {
            **summary,
            "api_url": self.municipality_api_url(number, page.locale.language_code),
            "translations": [
                {**other, "api_url": self.municipality_api_url(number, other["lang"])}
                for other in summary["translations"]
            ],
            "number": number,
            "facts": {
                "administrative_centre": page.administrative_centre or None,
                "population": page.population,
                "population_year": page.population_year,
                "population_source": self.population_source(page),
                "area_km2": float(page.area_km2) if page.area_km2 is not None else None,
                "area_year": page.area_year,
                "source": page.facts_source or None,
            },
            "links": {"website": page.website, "vacancies": page.vacancies_url or None},
            "entry_counts": {kind: page_counts.get(kind, 0) for kind in ENTRY_KINDS},
        }

    # ---- entries ---------------------------------------------------------------------------

    def entry_items(self, entries) -> list[dict]:
        """Entries with their other language versions and first publication.

        Kept under the content version (an entry, its translations and its first
        publication change only with a publish or a source's run) for the address the
        request was made on and the regions it reads (the URLs and translations in an
        item depend on them): built for those not kept, in two queries. `entries` are
        Entry objects or, for a list, its rows as `EntryKey`s (the entries not kept are
        then loaded in one more query).
        """
        return self.kept(
            "entry-item",
            entries,
            lambda entry: f"{entry.block_id}:{entry.locale_id}",
            self._build_entry_items,
        )

    def _build_entry_items(self, entries) -> list[dict]:
        if not entries:
            return []
        entries = self._loaded(entries, self.entries())
        block_ids = {entry.block_id for entry in entries}
        others: dict = {}
        for other in self.entries().filter(block_id__in=block_ids):
            others.setdefault(other.block_id, []).append(other)
        first_published = {
            (resource_id, language_code): first
            for resource_id, language_code, first in Announced.objects.filter(
                resource_type=ResourceType.ENTRY, resource_id__in=block_ids
            ).values_list("resource_id", "language_code", "first_published_at")
        }
        return [self.entry_item(entry, others, first_published) for entry in entries]

    def entry_item(self, entry: Entry, others: dict, first_published: dict) -> dict:
        lang = entry.locale.language_code
        page = entry.page
        return {
            "id": entry.block_id,
            "lang": lang,
            "translation_key": entry.block_id,
            "kind": entry.kind,
            "name": entry.name,
            "category": entry.category,
            "category_label": _category_label(entry, lang),
            "seasons": entry.seasons,
            "coordinates": (
                {"latitude": entry.latitude, "longitude": entry.longitude}
                if entry.latitude is not None and entry.longitude is not None
                else None
            ),
            "municipality": {
                "id": page.pk,
                "number": entry.municipality_number,
                "name": page.title,
                "slug": page.slug,
            },
            "position": entry.position,
            "html_url": f"{self.html_url(page)}#{entry.anchor}",
            "api_url": self.entry_api_url(entry, lang),
            "first_published_at": first_published.get((entry.block_id, lang), entry.published_at),
            "last_published_at": entry.published_at,
            "translations": [
                {
                    "lang": other.locale.language_code,
                    "id": other.block_id,
                    "html_url": f"{self.html_url(other.page)}#{other.anchor}",
                    "api_url": self.entry_api_url(other),
                }
                # In the order of the languages' locales, whichever order they were read in.
                for other in sorted(others.get(entry.block_id, []), key=_locale_order)
                if other.locale_id != entry.locale_id
            ],
            "data": entry.data,
        }

    def entry_link(self, entry: Entry) -> dict:
        """Where `entry` is in its own language, for an answer that names the languages
        an entry is in (it is not translated to the one asked for)."""
        return {
            "lang": entry.locale.language_code,
            "id": entry.block_id,
            "translation_key": entry.block_id,
            "title": entry.name,
            "html_url": f"{self.html_url(entry.page)}#{entry.anchor}",
            "api_url": self.entry_api_url(entry),
        }


def _locale_order(entry: Entry) -> int:
    return entry.locale_id


ENTRY_KINDS = ("industry", "leisure", "school")


def _category_label(entry: Entry, lang: str) -> str:
    with translation.override(lang):
        return entry.category_label


def contact_representation(page) -> dict | None:
    """The contact `page` chooses, in the page's language where it is translated."""
    contact = page.contact_for_readers
    return contact.api_representation() if contact else None
