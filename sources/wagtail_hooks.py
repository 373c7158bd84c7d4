"""The sources in the Wagtail admin: the run log under Reports, the register choosers, and
a dashboard panel with stale or failing sources, new and closed register units, and the
pages that still show a closed unit."""

from datetime import timedelta

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from . import pages
from .admin_views import SyncRunReport, source_overview
from .choosers import unit_chooser_viewset, workplace_chooser_viewset
from .models import RegisterUnit, SyncRun

NEWS_DAYS = 30


@hooks.register("register_admin_viewset")
def register_choosers():
    return [unit_chooser_viewset, workplace_chooser_viewset]


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("reports/data-imports/", SyncRunReport.as_view(), name="sources_sync_report"),
        path(
            "reports/data-imports/results/",
            SyncRunReport.as_view(results_only=True),
            name="sources_sync_report_results",
        ),
    ]


class SyncRunMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(f"sources.view_{SyncRun._meta.model_name}")


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return SyncRunMenuItem(
        _("Data imports"),
        reverse("sources_sync_report"),
        name="data-imports",
        icon_name="download",
        order=900,
    )


class SourcesPanel(Component):
    name = "sources"
    template_name = "sources/admin/dashboard_panel.html"
    order = 250

    def get_context_data(self, parent_context=None):
        since = timezone.now() - timedelta(days=NEWS_DAYS)
        units = RegisterUnit.objects.order_by("name")
        return {
            "problems": [s for s in source_overview() if s["stale"] or s["last_failed"]],
            "new_units": list(units.filter(first_seen_at__gte=since, is_active=True)[:20]),
            "closed_units": list(units.filter(closed_at__gte=since, is_active=False)[:20]),
            "pages_with_closed_units": pages.pages_showing_closed(),
            "days": NEWS_DAYS,
            "report_url": reverse("sources_sync_report"),
        }


@hooks.register("construct_homepage_panels")
def add_sources_panel(request, panels):
    if request.user.has_perm(f"sources.view_{SyncRun._meta.model_name}"):
        panels.append(SourcesPanel())
