"""Search in the Wagtail admin: the synonyms snippet and the report of missed searches."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_views import MissedQueriesReport
from .models import MissedQuery, Synonym


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "search"
    menu_label = _("Search synonyms")
    list_display = ["terms"]
    search_fields = ["terms"]
    add_to_admin_menu = False


register_snippet(SynonymViewSet)


@hooks.register("register_admin_urls")
def register_report_urls():
    view = MissedQueriesReport.as_view()
    results = MissedQueriesReport.as_view(results_only=True)
    return [
        path("reports/searches-without-results/", view, name="search_missed_queries"),
        path(
            "reports/searches-without-results/results/",
            results,
            name="search_missed_queries_results",
        ),
    ]


class MissedQueriesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(f"search.view_{MissedQuery._meta.model_name}")


@hooks.register("register_reports_menu_item")
def register_report_menu_item():
    return MissedQueriesMenuItem(
        _("Searches without results"),
        reverse("search_missed_queries"),
        name="searches-without-results",
        icon_name="search",
        order=800,
    )
