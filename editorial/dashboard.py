"""The dashboard panel that keeps the municipality pages' facts current."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.components import Component

from region_pages.models import MunicipalityPage

MAX_AGE = timedelta(days=365)


@dataclass
class StalePage:
    page: MunicipalityPage
    reasons: list[str]


def stale_reasons(page: MunicipalityPage, today: date) -> list[str]:
    """Why the page's facts need a look: figures that refer to a date more than a year ago,
    or a page nobody has published for a year."""
    reasons = []
    oldest_current = today - MAX_AGE
    for label, year in ((_("population"), page.population_year), (_("area"), page.area_year)):
        # A figure for a year describes that year's 1 January (SSB's convention).
        if year and date(year, 1, 1) < oldest_current:
            reasons.append(
                str(_("the %(figure)s figure is from %(year)s") % {"figure": label, "year": year})
            )
    if page.last_published_at and page.last_published_at.date() < oldest_current:
        reasons.append(
            str(_("last published %(date)s") % {"date": page.last_published_at.date().isoformat()})
        )
    return reasons


def stale_pages(user, today: date | None = None) -> list[StalePage]:
    """The municipality pages the user may edit whose facts are older than a year."""
    today = today or timezone.localdate()
    pages = MunicipalityPage.objects.select_related("locale").order_by("locale_id", "path")
    result = []
    for page in pages:
        reasons = stale_reasons(page, today)
        if reasons and page.permissions_for_user(user).can_edit():
            result.append(StalePage(page, reasons))
    return result


class UserPanel(Component):
    """A dashboard panel about the user's own pages: `listing` gives its items, which the
    template finds under `context_name`."""

    context_name = ""

    def __init__(self, user):
        self.user = user

    def listing(self, user) -> list:
        raise NotImplementedError

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context[self.context_name] = self.listing(self.user)
        return context


class StaleFactsPanel(UserPanel):
    name = "stale_facts"
    template_name = "editorial/stale_facts_panel.html"
    order = 50
    context_name = "stale_pages"

    def listing(self, user) -> list:
        return stale_pages(user)


class BrokenLinksPanel(UserPanel):
    """The broken links the nightly check found in the pages the user may edit."""

    name = "broken_links"
    template_name = "editorial/broken_links_panel.html"
    order = 55
    context_name = "broken_links"

    def listing(self, user) -> list:
        from .links import broken_links_for

        return broken_links_for(user)
