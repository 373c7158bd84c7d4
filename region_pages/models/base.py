"""What every public page of the region shares."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.images import get_image_model_string
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from wagtail_localize.fields import SynchronizedField, TranslatableField

from .. import fragments

PARTNER_PREVIEW_MODE = "partner"


def restricted_paths() -> list[str]:
    """The paths of the pages with a view restriction (a password, a login, a group):
    one query per content version, which a restriction's change moves on."""
    from .. import versions

    def build():
        return list(PageViewRestriction.objects.values_list("page__path", flat=True))

    return versions.remember("view-restrictions", "paths", build)


def any_restrictions() -> bool:
    """Whether any page of the install has a view restriction."""
    return bool(restricted_paths())


def public(pages):
    """`pages.public()`, without its query of the restrictions where there are none."""
    return pages.public() if any_restrictions() else pages


class BasePage(Page):
    """A public page: a short introduction, alternates in the other language, and SEO."""

    intro = models.TextField(
        blank=True,
        verbose_name=_("introduction"),
        help_text=_(
            "One or two sentences shown at the top of the page and in search results. "
            "For example: Rana is an industrial town with the mountains on its doorstep."
        ),
    )

    hero_image = models.ForeignKey(
        get_image_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("top image"),
        help_text=_("A wide image (at least 1600 pixels) shown at the top of the page."),
    )
    hero_alt_text = models.CharField(
        max_length=250,
        blank=True,
        verbose_name=_("alternative text for the top image"),
        help_text=_(
            "What the image shows, for someone who cannot see it. For example: "
            "Ranfjorden seen from the town centre on a summer evening."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("hero_image"), FieldPanel("hero_alt_text")], _("Top image")),
    ]

    search_fields = [*Page.search_fields, index.SearchField("intro")]

    @property
    def preview_modes(self):
        """The site's own preview, and the partner's frontend where there is one."""
        modes = list(super().preview_modes)
        if settings.PARTNER_PREVIEW_URL:
            modes.append((PARTNER_PREVIEW_MODE, _("Partner's site (saved draft)")))
        return modes

    def serve_preview(self, request, mode_name):
        if mode_name == PARTNER_PREVIEW_MODE:
            from ..api.preview import partner_address

            address = partner_address(self)
            if address is None:
                raise Http404(_("Save the draft first: the partner's site shows saved drafts."))
            return HttpResponseRedirect(address)
        return super().serve_preview(request, mode_name)

    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        # Translated, so English pages have English addresses (/en/jobs/); an address in
        # the other language's words redirects (cms.middleware.TranslatedPathMiddleware).
        TranslatableField("slug"),
        TranslatableField("intro"),
        SynchronizedField("hero_image"),
        TranslatableField("hero_alt_text"),
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.hero_image_id and not self.hero_alt_text.strip():
            raise ValidationError(
                {"hero_alt_text": _("Describe the top image for readers who cannot see it.")}
            )

    # The depth of the home pages (one per language, below Wagtail's root).
    HOME_DEPTH = 2

    @cached_property
    def breadcrumb_trail(self) -> list[Page]:
        """The live pages between the home page and this one, for the breadcrumbs. No
        query for a page right below the home page (most of them)."""
        if self.depth <= self.HOME_DEPTH + 1:
            return []
        return list(
            self.get_ancestors().filter(depth__gt=self.HOME_DEPTH).live().only("title", "url_path")
        )

    @cached_property
    def language_versions(self) -> list[Page]:
        """The live, public versions of this page in every language, this one included.

        One query, kept under the content version (a publish, an unpublish, a move or a
        restriction moves it on); the templates use it for hreflang links and the
        language switcher.
        """
        from .. import versions

        def build():
            return list(
                public(Page.objects.filter(translation_key=self.translation_key).live())
                .select_related("locale")
                .order_by("locale__language_code")
            )

        return versions.remember("language-versions", str(self.translation_key), build)

    def get_context(self, request, *args, **kwargs):
        """With the page's parts kept for this request (`region_pages.fragments`): a page
        type whose context costs queries leaves it out when `fragments.complete`."""
        context = super().get_context(request, *args, **kwargs)
        context[fragments.CONTEXT_NAME] = fragments.read(self, request)
        return context

    def get_view_restrictions(self):
        """Wagtail's, without its two queries where no page of the install is restricted
        (the usual case; known under the content version, which a restriction's change
        moves on)."""
        if not any_restrictions():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    @cached_property
    def newer_source_version(self) -> Page | None:
        """The source-language version, when it was published after this translation.

        The translation may then miss what changed; the page says so. No extra query:
        it reads `language_versions`.
        """
        source = next(
            (v for v in self.language_versions if v.locale.language_code == settings.LANGUAGE_CODE),
            None,
        )
        if source is None or source.pk == self.pk:
            return None
        newer = (
            source.last_published_at
            and self.last_published_at
            and source.last_published_at > self.last_published_at
        )
        return source if newer else None

    @property
    def description(self) -> str:
        return self.search_description or self.intro
