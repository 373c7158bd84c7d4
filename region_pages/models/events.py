"""What happens in the region: event pages below one calendar page per language.

Events are pages, so officers write, submit, approve, translate and publish them as they
do every other page, and the publishing pipeline announces them to partners, indexes
them and purges the caches. An event that has ended drops out of every listing by
itself (they ask for events that end after now) but stays reachable at its address.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from wagtail_localize.fields import SynchronizedField, TranslatableField

from .. import fragments
from ..blocks import ArticleBodyBlock
from ..blocks.choices import EventCategory
from ..blocks.validators import validate_coordinates
from ..ical import calendar_response
from ..maps import event_markers
from ..municipalities import BY_NUMBER, KNOWN, MUNICIPALITIES
from .base import BasePage


class EventQuerySet(PageQuerySet):
    def upcoming(self, now=None):
        """Events that have not ended, soonest first."""
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "pk")


class EventPage(BasePage):
    """One event: when, where, what kind, what it costs and who arranges it."""

    # ---- when and where --------------------------------------------------------------
    starts_at = models.DateTimeField(
        verbose_name=_("starts"), help_text=_("For example: 14 February 2027 at 18:00.")
    )
    ends_at = models.DateTimeField(
        verbose_name=_("ends"),
        help_text=_("For example: 14 February 2027 at 21:00. The same as the start if unsure."),
    )
    municipality_number = models.CharField(
        max_length=4,
        choices=[(m.number, m.name) for m in KNOWN],
        verbose_name=_("municipality"),
        help_text=_("Where the event takes place."),
    )
    place_name = models.CharField(
        max_length=200,
        verbose_name=_("place"),
        help_text=_("For example: Moheia fritidssenter, Mo i Rana."),
    )
    latitude = models.FloatField(
        null=True, blank=True, verbose_name=_("latitude"), help_text=_("For example: 66.3128.")
    )
    longitude = models.FloatField(
        null=True, blank=True, verbose_name=_("longitude"), help_text=_("For example: 14.1428.")
    )

    # ---- what ----------------------------------------------------------------------------
    category = models.CharField(
        max_length=20,
        choices=EventCategory.choices,
        verbose_name=_("category"),
        help_text=_("Readers filter the calendar by it."),
    )
    price = models.CharField(
        max_length=120,
        blank=True,
        verbose_name=_("price"),
        help_text=_("For example: Free, or NOK 150, children free."),
    )
    organiser = models.CharField(
        max_length=200,
        blank=True,
        verbose_name=_("organiser"),
        help_text=_("For example: Rana folkebibliotek."),
    )
    # Not `url`: that is the page's own address (Page.url).
    organiser_url = models.URLField(
        blank=True,
        verbose_name=_("link"),
        help_text=_(
            "The organiser's page with tickets or more. For example: https://www.ranabibliotek.no/"
        ),
    )
    body = StreamField(ArticleBodyBlock(), blank=True, verbose_name=_("description"))

    objects = PageManager.from_queryset(EventQuerySet)()

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldRowPanel([FieldPanel("municipality_number"), FieldPanel("place_name")]),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            _("When and where"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("category"),
                FieldRowPanel([FieldPanel("price"), FieldPanel("organiser")]),
                FieldPanel("organiser_url"),
            ],
            _("About the event"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("place_name"),
        index.SearchField("organiser"),
        index.SearchField("body"),
        index.FilterField("starts_at"),
    ]
    translatable_fields = [
        *BasePage.translatable_fields,
        SynchronizedField("starts_at"),
        SynchronizedField("ends_at"),
        SynchronizedField("municipality_number"),
        TranslatableField("place_name"),
        SynchronizedField("latitude"),
        SynchronizedField("longitude"),
        SynchronizedField("category"),
        TranslatableField("price"),
        TranslatableField("organiser"),
        SynchronizedField("organiser_url"),
        TranslatableField("body"),
    ]

    parent_page_types = ["region_pages.EventCalendarPage"]
    subpage_types = []
    template = "region_pages/pages/event_page.html"

    class Meta:
        verbose_name = _("event")
        indexes = [models.Index(fields=["ends_at"])]

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The event cannot end before it starts.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Give both latitude and longitude, or neither.")
        elif self.latitude is not None:
            try:
                validate_coordinates(self.latitude, self.longitude)
            except ValidationError as error:
                errors["latitude"] = error
        if errors:
            raise ValidationError(errors)

    @property
    def municipality_name(self) -> str:
        known = BY_NUMBER.get(self.municipality_number)
        return known.name if known else ""

    @property
    def has_ended(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def category_label(self) -> str:
        return str(EventCategory(self.category).label)


class EventCalendarPage(RoutablePageMixin, BasePage):
    """The region's calendar: upcoming events, filtered by municipality, month and
    category, and iCalendar feeds for the region and for each municipality."""

    body = StreamField(ArticleBodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*BasePage.content_panels, FieldPanel("body")]
    translatable_fields = [*BasePage.translatable_fields, TranslatableField("body")]

    parent_page_types = ["region_pages.HomePage"]
    subpage_types = ["region_pages.EventPage"]
    max_count_per_parent = 1
    template = "region_pages/pages/event_calendar_page.html"

    # The filters' query parameters, Norwegian as the other filters': ?kommune=1833&
    # maned=2027-02&kategori=music.
    MUNICIPALITY_FILTER = "kommune"
    MONTH_FILTER = "maned"
    CATEGORY_FILTER = "kategori"
    # How long an ended event stays in the iCalendar feeds.
    FEED_KEEPS_ENDED = timedelta(days=30)

    class Meta:
        verbose_name = _("event calendar")

    def events(self):
        return EventPage.objects.child_of(self).live().public()

    @cached_property
    def upcoming(self) -> list[EventPage]:
        return list(self.events().upcoming())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if fragments.complete(context):
            return context
        events = self.upcoming
        months = sorted({event.starts_at.strftime("%Y-%m") for event in events})
        chosen = {
            "municipality": request.GET.get(self.MUNICIPALITY_FILTER) or "",
            "month": request.GET.get(self.MONTH_FILTER) or "",
            "category": request.GET.get(self.CATEGORY_FILTER) or "",
        }
        # A value that is not offered is ignored, as if there were no filter.
        if chosen["municipality"] not in BY_NUMBER:
            chosen["municipality"] = ""
        if chosen["month"] not in months:
            chosen["month"] = ""
        if chosen["category"] not in EventCategory.values:
            chosen["category"] = ""
        shown = [
            event
            for event in events
            if chosen["municipality"] in ("", event.municipality_number)
            and chosen["month"] in ("", event.starts_at.strftime("%Y-%m"))
            and chosen["category"] in ("", event.category)
        ]
        context["events"] = shown
        context["map_markers"] = event_markers(shown)
        context["event_filters"] = {
            "chosen": chosen,
            "municipalities": self.municipality_choices(request),
            "months": months,
            "categories": EventCategory.choices,
            "active": any(chosen.values()),
        }
        return context

    @staticmethod
    def municipality_choices(request) -> list[tuple[str, str]]:
        """The filter's municipalities: the region's."""
        from .. import regions

        region = regions.for_request(request)
        numbers = region.numbers if region else [m.number for m in MUNICIPALITIES]
        return [(number, BY_NUMBER[number].name) for number in numbers if number in BY_NUMBER]

    @path("")
    def calendar(self, request):
        return self.render(request)

    @path("ical/", name="ical")
    @path("ical/<str:number>/", name="ical_municipality")
    def ical(self, request, number=None):
        if number is not None and number not in BY_NUMBER:
            raise Http404
        events = self.events().filter(ends_at__gte=timezone.now() - self.FEED_KEEPS_ENDED)
        if number is not None:
            events = events.filter(municipality_number=number)
        return calendar_response(request, self, events.order_by("starts_at", "pk"), number)
