"""The admin report of searches that found nothing, so officers see what readers miss."""

import datetime

from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from .models import MissedQuery

REPORT_DAYS = 30


class LanguageColumn(Column):
    def get_value(self, instance):
        return {"nb": _("Norwegian"), "en": _("English")}.get(
            instance["language_code"], instance["language_code"]
        )


class MissedQueriesReport(ReportView):
    page_title = _("Searches without results")
    header_icon = "search"
    index_url_name = "search_missed_queries"
    index_results_url_name = "search_missed_queries_results"
    permission_policy = ModelPermissionPolicy(MissedQuery)
    permission_required = "view"
    paginate_by = 50
    columns = [
        Column("query_string", label=_("Search")),
        LanguageColumn("language_code", label=_("Language")),
        Column("total", label=_("Searches in the last 30 days")),
        Column("last_date", label=_("Last searched")),
    ]
    list_export = ["query_string", "language_code", "total", "last_date"]
    export_headings = {
        "query_string": _("Search"),
        "language_code": _("Language"),
        "total": _("Searches in the last 30 days"),
        "last_date": _("Last searched"),
    }

    def get_filename(self):
        return f"searches-without-results-{timezone.localdate():%Y-%m-%d}"

    def get_queryset(self):
        since = timezone.localdate() - datetime.timedelta(days=REPORT_DAYS)
        return (
            MissedQuery.objects.filter(date__gte=since)
            .values("query_string", "language_code")
            .annotate(total=Sum("hits"), last_date=Max("date"))
            .order_by("-total", "query_string")
        )
