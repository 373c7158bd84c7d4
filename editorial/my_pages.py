""" "Mine sider": an officer's own pages on the dashboard, and the page explorer opening at
their municipality.

An officer's own pages are those below the municipality pages their groups may change (the
Norwegian page and its translations, `roles.municipality_pages`). For each page in the
source language the panel shows its state, its translations', the plain-language score
(LIX) of each and the next scheduled publication, with edit links; a handful of queries,
whatever the number of pages.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page, Revision, WorkflowState

from region_pages import readability
from region_pages.models import Readability
from region_pages.officers import own_municipality_pages

from .dashboard import UserPanel

# The most pages the panel lists (a municipality has a dozen or two).
LIMIT = 60


STATES = {
    "live": _("Published"),
    "changed": _("Published, with unpublished changes"),
    "draft": _("Draft"),
    "in_moderation": _("Awaiting approval"),
}


def language_name(code: str) -> str:
    return dict(settings.LANGUAGES).get(code, code)


@dataclass
class Version:
    page: Page
    state: str  # one of STATES' keys
    readability: Readability | None = None  # the plain-language findings, as last saved

    @property
    def state_label(self) -> str:
        return STATES[self.state]

    @property
    def language(self) -> str:
        return language_name(self.page.locale.language_code)


@dataclass
class OwnPage(Version):
    translations: list[Version] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # languages without a version
    scheduled: datetime | None = None

    @property
    def versions_checked(self) -> list[Version]:
        """The page and its translations, for the plain-language column."""
        return [self, *self.translations]


def start_page(user) -> Page | None:
    """Where the officer's page explorer opens: their municipality's page in the source
    language, or None to keep Wagtail's own choice."""
    own = own_municipality_pages(user)
    source = [page for page in own if page.locale.language_code == settings.LANGUAGE_CODE]
    return source[0] if len(source) == 1 else None


def own_pages(user) -> list[OwnPage]:
    roots = [
        page for page in own_municipality_pages(user)
        if page.locale.language_code == settings.LANGUAGE_CODE
    ]  # fmt: skip
    if not roots:
        return []
    tree = Page.objects.none()
    for root in roots:
        tree |= Page.objects.descendant_of(root, inclusive=True)
    pages = list(tree.select_related("locale").order_by("path")[:LIMIT])
    keys = [page.translation_key for page in pages]
    others = list(
        Page.objects.filter(translation_key__in=keys)
        .exclude(locale__language_code=settings.LANGUAGE_CODE)
        .select_related("locale")
        .order_by("locale__language_code")
    )
    every = pages + others
    ids = [str(page.pk) for page in every]
    page_type = ContentType.objects.get_for_model(Page)
    moderated = set(
        WorkflowState.objects.active()
        .filter(base_content_type=page_type, object_id__in=ids)
        .values_list("object_id", flat=True)
    )
    scheduled = {}
    for object_id, when in (
        Revision.objects.filter(
            base_content_type=page_type, object_id__in=ids, approved_go_live_at__isnull=False
        )
        .order_by("approved_go_live_at")
        .values_list("object_id", "approved_go_live_at")
    ):
        scheduled.setdefault(object_id, when)

    def state(page: Page) -> str:
        if str(page.pk) in moderated:
            return "in_moderation"
        if not page.live:
            return "draft"
        return "changed" if page.has_unpublished_changes else "live"

    by_key = {}
    for other in others:
        by_key.setdefault(other.translation_key, []).append(other)
    languages = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    result = []
    for page in pages:
        versions = by_key.get(page.translation_key, [])
        dates = [
            scheduled[str(p.pk)] for p in [page, *versions] if str(p.pk) in scheduled
        ]  # fmt: skip
        result.append(
            OwnPage(
                page=page,
                state=state(page),
                translations=[Version(v, state(v)) for v in versions],
                missing=[
                    language_name(code)
                    for code in languages
                    if code not in {v.locale.language_code for v in versions}
                ],
                scheduled=min(dates) if dates else None,
            )
        )
    found = readability.for_revisions(page.latest_revision_id for page in every)
    for item in result:
        for version in (item, *item.translations):
            version.readability = found.get(version.page.latest_revision_id)
    return result


class MyPagesPanel(UserPanel):
    name = "my_pages"
    template_name = "editorial/my_pages_panel.html"
    order = 40
    context_name = "own_pages"

    def listing(self, user) -> list:
        return own_pages(user)
