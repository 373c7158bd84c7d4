"""The region's page types: home, municipality, theme and article.

The tree in each language: region home -> municipality pages, theme pages and articles;
articles may also sit below a municipality or theme page.
"""

from itertools import groupby

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.blocks import (
    ListBlockValidationError,
    StreamBlockValidationError,
    StructBlockValidationError,
)
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.search import index

from wagtail_localize.fields import SynchronizedField, TranslatableField

from .. import fragments
from ..blocks import ArrivalStepsBlock, ArticleBodyBlock, MunicipalityBodyBlock
from ..blocks.choices import Season
from ..blocks.registers import listed
from ..maps import entry_markers
from ..municipalities import BY_NUMBER
from .base import BasePage, public
from .contacts import in_locale
from .entries import Entry, EntryKind, attach_pictures
from .events import EventPage


def contact_field(help_text):
    return models.ForeignKey(
        "region_pages.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("contact"),
        help_text=help_text,
    )


class ContactMixin:
    """A page's chosen contact (its `contact` field), shown in the page's language.

    The choice is the Norwegian page's, copied to its translations (a synchronised
    field): a translation never keeps a contact the Norwegian page has replaced. Each
    page shows the contact's translation in its own language where there is one, and the
    Norwegian contact, marked as Norwegian, until there is.
    """

    @cached_property
    def contact_for_readers(self):
        """The chosen contact in the page's language (its translation where there is
        one): one query for the contact, and one more on a translated page."""
        contact = self.contact
        if contact is None:
            return None
        return in_locale([contact], self.locale_id)[contact.pk]

    @property
    def contact_lang(self) -> str:
        """The language of the contact shown, when it is not the page's (untranslated)."""
        shown = self.contact_for_readers
        return settings.LANGUAGE_CODE if shown and shown.locale_id != self.locale_id else ""


class HomePage(ContactMixin, BasePage):
    """The region's front page in one language."""

    body = StreamField(ArticleBodyBlock(), blank=True, verbose_name=_("body"))
    # The region's newcomer contact (tilflytterkontakt): on the front page and in the
    # footer of every page.
    contact = contact_field(
        _(
            "The region's newcomer contact, shown on the front page and at the foot of "
            "every page. Choose or create it under Snippets › Contacts."
        )
    )

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("contact"),
        FieldPanel("body"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]
    translatable_fields = [
        *BasePage.translatable_fields,
        SynchronizedField("contact"),
        TranslatableField("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "region_pages.MunicipalityPage",
        "region_pages.ThemePage",
        "region_pages.ArticlePage",
        "region_pages.ArrivalGuidePage",
        "region_pages.EventCalendarPage",
    ]
    template = "region_pages/pages/home_page.html"
    # Articles linked from the front page at most; the sitemap has them all.
    HOME_ARTICLES = 24

    class Meta:
        verbose_name = _("region home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if fragments.complete(context):
            return context
        children = public(self.get_children().live()).order_by("path")
        # The cards without their pages' bodies; the articles as links, at most
        # HOME_ARTICLES of them (the sitemap lists them all): the front page does not
        # grow with the site.
        cards = list(children.type(MunicipalityPage, ThemePage).specific().defer_streamfields())
        context["municipalities"] = [c for c in cards if isinstance(c, MunicipalityPage)]
        context["themes"] = [c for c in cards if isinstance(c, ThemePage)]
        articles = list(children.type(ArticlePage)[: self.HOME_ARTICLES + 1])
        context["articles"] = articles[: self.HOME_ARTICLES]
        context["more_articles"] = len(articles) > self.HOME_ARTICLES
        with_pictures = context["municipalities"] + context["themes"]
        # The cards' pictures with their renditions: two queries, however many cards.
        images = (
            get_image_model()
            .objects.prefetch_related("renditions")
            .in_bulk({page.hero_image_id for page in with_pictures if page.hero_image_id})
        )
        for page in with_pictures:
            page.card_image = images.get(page.hero_image_id)
        return context


class MunicipalityPage(ContactMixin, BasePage):
    """One of the four municipalities, with its facts and structured blocks."""

    # ---- facts ----------------------------------------------------------------------
    municipality_number = models.CharField(
        max_length=4,
        validators=[RegexValidator(r"^\d{4}$", _("A municipality number has four digits."))],
        verbose_name=_("municipality number"),
        help_text=_("The four-digit kommunenummer, for example 1833 for Rana."),
    )
    administrative_centre = models.CharField(
        max_length=100,
        blank=True,
        verbose_name=_("administrative centre"),
        help_text=_("For example: Mo i Rana."),
    )
    population = models.PositiveIntegerField(
        null=True,
        blank=True,
        verbose_name=_("population"),
        help_text=_("Inhabitants on 1 January, from Statistics Norway. For example: 26 000."),
    )
    population_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1900)],
        verbose_name=_("population year"),
        help_text=_("The year the population figure refers to (1 January). For example: 2025."),
    )
    area_km2 = models.DecimalField(
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        verbose_name=_("area (km²)"),
        help_text=_("Land and fresh water in square kilometres. For example: 4 460.5."),
    )
    area_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1900)],
        verbose_name=_("area year"),
        help_text=_("The year the area figure refers to. For example: 2025."),
    )
    facts_source = models.CharField(
        max_length=200,
        blank=True,
        verbose_name=_("source of the facts"),
        help_text=_("Where the figures come from, for example: Statistics Norway (SSB)."),
    )

    # ---- links ----------------------------------------------------------------------
    website = models.URLField(
        verbose_name=_("official website"), help_text=_("For example: https://www.rana.kommune.no/")
    )
    vacancies_url = models.URLField(
        blank=True,
        verbose_name=_("vacancies page"),
        help_text=_(
            "The municipality's own page of job vacancies. For example: "
            "https://www.rana.kommune.no/ledige-stillinger/"
        ),
    )

    contact = contact_field(
        _(
            "Who newcomers can call or write to, shown in the page's Contact section. "
            "Choose or create it under Snippets › Contacts."
        )
    )

    # ---- content --------------------------------------------------------------------
    body = StreamField(MunicipalityBodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("municipality_number"), FieldPanel("administrative_centre")]
                ),
                FieldRowPanel([FieldPanel("population"), FieldPanel("population_year")]),
                FieldRowPanel([FieldPanel("area_km2"), FieldPanel("area_year")]),
                FieldPanel("facts_source"),
            ],
            _("Facts"),
        ),
        MultiFieldPanel([FieldPanel("website"), FieldPanel("vacancies_url")], _("Links")),
        FieldPanel("contact"),
        FieldPanel("body"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("administrative_centre"),
        index.SearchField("body"),
        index.FilterField("municipality_number"),
    ]
    translatable_fields = [
        *BasePage.translatable_fields,
        SynchronizedField("municipality_number"),
        SynchronizedField("administrative_centre"),
        SynchronizedField("population"),
        SynchronizedField("population_year"),
        SynchronizedField("area_km2"),
        SynchronizedField("area_year"),
        TranslatableField("facts_source"),
        SynchronizedField("website"),
        SynchronizedField("vacancies_url"),
        SynchronizedField("contact"),
        TranslatableField("body"),
    ]

    parent_page_types = ["region_pages.HomePage"]
    subpage_types = ["region_pages.ArticlePage"]
    template = "region_pages/pages/municipality_page.html"

    # The page's headed sections, in the order a newcomer reads them, each with the blocks
    # of its kinds in the editor's order; the other blocks (text, images, facts, links,
    # quotes) introduce the municipality before them.
    SECTIONS = (
        ("work", _("Work and industries"), ("industry",)),
        ("schools", _("Schools and kindergartens"), ("school", "admission")),
        ("leisure", _("Leisure"), ("leisure",)),
    )

    ALWAYS_SHOWN = ("work", "schools")
    # How many of its next events the page shows.
    NEXT_EVENTS = 3

    class Meta:
        verbose_name = _("municipality page")

    @cached_property
    def body_sections(self) -> tuple[list, list[tuple[str, str, list]], list]:
        """The introducing blocks; (key, heading, blocks) for each section of SECTIONS
        (work and schools even without blocks: the vacancies and the register's schools
        and kindergartens are in them); and the contact blocks, which
        join the chosen contact in the Contact section at the end."""
        kinds = {kind: key for key, _heading, block_types in self.SECTIONS for kind in block_types}
        kinds["contact"] = "contact"
        introduction, grouped = [], {key: [] for key in kinds.values()}
        for block in self.body:
            key = kinds.get(block.block_type)
            (grouped[key] if key else introduction).append(block)
        sections = [
            (key, heading, grouped[key])
            for key, heading, _types in self.SECTIONS
            if grouped[key] or key in self.ALWAYS_SHOWN
        ]
        return introduction, sections, grouped["contact"]

    @cached_property
    def map_markers(self) -> list[dict]:
        """The page's places with coordinates, for its map: read from its blocks as the
        entries are (no query beyond what rendering the blocks costs)."""
        from ..blocks.base import EntryBlockMixin

        places = []
        for child in self.body:
            if isinstance(child.block, EntryBlockMixin):
                columns = child.block.entry_columns(child.value)
                columns.pop("seasons", None)
                places.append(Entry(kind=child.block.entry_kind, block_id=child.id, **columns))
        return entry_markers(places, same_page=True)

    @cached_property
    def next_events(self) -> list:
        """The municipality's next events in the page's language: one query (an index on
        the end time), so that an event drops out the moment it ends."""
        events = public(EventPage.objects.live()).filter(
            locale_id=self.locale_id, municipality_number=self.municipality_number
        )
        return list(events.upcoming()[: self.NEXT_EVENTS])

    def clean(self):
        super().clean()
        errors = {}
        for value_field, year_field in (
            ("population", "population_year"),
            ("area_km2", "area_year"),
        ):
            if getattr(self, value_field) is not None and not getattr(self, year_field):
                errors[year_field] = _("Give the year this figure refers to.")
        if self.municipality_number and self.locale_id:
            clash = (
                MunicipalityPage.objects.filter(
                    municipality_number=self.municipality_number, locale_id=self.locale_id
                )
                .exclude(pk=self.pk)
                .first()
            )
            if clash:
                errors["municipality_number"] = _(
                    "Municipality number %(number)s is already used by “%(title)s”."
                ) % {"number": self.municipality_number, "title": clash.title}
        foreign = self.units_from_elsewhere()
        if foreign:
            errors["body"] = StreamBlockValidationError(block_errors=foreign)
        if errors:
            raise ValidationError(errors)

    def units_from_elsewhere(self) -> dict:
        """The register units of other municipalities on this page, by block: a school or
        kindergarten, or an industry's key employer, lies elsewhere. A municipality's page
        shows its own; each is refused with the reason and what to do."""
        if not self.municipality_number:
            return {}
        found = {}
        for position, child in enumerate(self.body or []):
            if child.block_type == "school":
                unit = listed(child.value.get("unit"))
                if self._elsewhere(unit):
                    found[position] = StructBlockValidationError(
                        block_errors={"unit": self._refusal(unit, SCHOOLS_ELSEWHERE)}
                    )
            elif child.block_type == "industry":
                employers = {
                    index: StructBlockValidationError(
                        block_errors={"workplace": self._refusal(workplace, EMPLOYER_ELSEWHERE)}
                    )
                    for index, employer in enumerate(child.value.get("employers") or [])
                    if self._elsewhere(workplace := listed(employer.get("workplace")))
                }
                if employers:
                    found[position] = StructBlockValidationError(
                        block_errors={"employers": ListBlockValidationError(employers)}
                    )
        return found

    def _elsewhere(self, unit) -> bool:
        return unit is not None and unit.municipality_number != self.municipality_number

    def _refusal(self, unit, message) -> ValidationError:
        here = BY_NUMBER.get(self.municipality_number)
        there = BY_NUMBER.get(unit.municipality_number)
        return ValidationError(
            message
            % {
                "unit": unit.name,
                "other": there.name if there else unit.municipality_number,
                "municipality": here.name if here else self.municipality_number,
            },
            code="other_municipality",
        )


SCHOOLS_ELSEWHERE = _(
    "%(unit)s is in %(other)s. The page of %(municipality)s shows the schools and "
    "kindergartens of %(municipality)s: choose one of those, or ask the regional "
    "coordinator to put this one on the page of %(other)s."
)
EMPLOYER_ELSEWHERE = _(
    "%(unit)s is registered in %(other)s. The key employers of %(municipality)s are its "
    "own workplaces: choose the employer's workplace in %(municipality)s, or write its "
    "name by hand without choosing from the register."
)


class Theme(models.TextChoices):
    WORK = "work", _("Work and industry")
    LEISURE = "leisure", _("Leisure")
    GROWING_UP = "growing_up", _("Growing up")


THEME_ENTRY_KIND = {
    Theme.WORK: EntryKind.INDUSTRY,
    Theme.LEISURE: EntryKind.LEISURE,
    Theme.GROWING_UP: EntryKind.SCHOOL,
}


class ThemePage(BasePage):
    """The region as a whole on one theme: work, leisure or growing up.

    Its lists come from the read model of entries, never from other pages' StreamFields.
    """

    theme = models.CharField(
        max_length=20,
        choices=Theme.choices,
        verbose_name=_("theme"),
        help_text=_("Which entries the page gathers from the municipality pages."),
    )
    body = StreamField(ArticleBodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("theme"),
        FieldPanel("body"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]
    translatable_fields = [
        *BasePage.translatable_fields,
        SynchronizedField("theme"),
        TranslatableField("body"),
    ]

    parent_page_types = ["region_pages.HomePage"]
    subpage_types = ["region_pages.ArticlePage"]
    template = "region_pages/pages/theme_page.html"

    class Meta:
        verbose_name = _("theme page")

    def entries(self):
        """The theme's entries of the municipalities of this page's region (below the
        same home page)."""
        home_path = self.path[: self.steplen * self.HOME_DEPTH]
        return Entry.objects.filter(
            locale_id=self.locale_id,
            kind=THEME_ENTRY_KIND[self.theme],
            page__path__startswith=home_path,
        ).for_listing()

    # The filters' query parameters, in Norwegian as the vacancies' are (shared links
    # work in both languages): ?kommune=1833&sesong=winter.
    MUNICIPALITY_FILTER = "kommune"
    SEASON_FILTER = "sesong"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if fragments.complete(context):
            return context
        entries = attach_pictures(list(self.entries()))
        municipalities = [page for page, _items in groupby(entries, key=lambda e: e.page)]
        # A value that is not offered is ignored, as if there were no filter.
        chosen = request.GET.get(self.MUNICIPALITY_FILTER)
        if chosen not in {page.municipality_number for page in municipalities}:
            chosen = None
        season = request.GET.get(self.SEASON_FILTER) if self.theme == Theme.LEISURE else None
        if season not in Season.values:
            season = None
        shown = [e for e in entries if chosen in (None, e.page.municipality_number)]
        context["entries_by_municipality"] = [
            (page, list(items)) for page, items in groupby(shown, key=lambda e: e.page)
        ]
        context["map_markers"] = entry_markers(shown)
        if self.theme == Theme.LEISURE:
            context["entries_by_season"] = [
                (label, [e for e in shown if getattr(e, f"in_{code}")])
                for code, label in Season.choices
                if season in (None, code)
            ]
        context["entry_filters"] = {
            "municipalities": [
                (page.municipality_number, page, page.municipality_number == chosen)
                for page in municipalities
            ],
            "seasons": [(code, label, code == season) for code, label in Season.choices]
            if self.theme == Theme.LEISURE
            else [],
            "active": bool(chosen or season),
            "count": len(shown),
        }
        return context


class ArticlePage(BasePage):
    """Practical information for newcomers, such as how to find a place to live."""

    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"))

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("body"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]
    translatable_fields = [
        *BasePage.translatable_fields,
        TranslatableField("body"),
    ]

    parent_page_types = [
        "region_pages.HomePage",
        "region_pages.MunicipalityPage",
        "region_pages.ThemePage",
    ]
    subpage_types = []
    template = "region_pages/pages/article_page.html"

    class Meta:
        verbose_name = _("article page")


class ArrivalGuidePage(BasePage):
    """The steps of moving here, in order: registering, ID, tax, bank, doctor,
    kindergarten and school, car, housing. Readers can tick steps off in their browser."""

    body = StreamField(ArrivalStepsBlock(), verbose_name=_("steps"))

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("body"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]
    translatable_fields = [
        *BasePage.translatable_fields,
        TranslatableField("body"),
    ]

    parent_page_types = ["region_pages.HomePage"]
    subpage_types = []
    max_count_per_parent = 1
    template = "region_pages/pages/arrival_guide_page.html"

    class Meta:
        verbose_name = _("arrival guide")
