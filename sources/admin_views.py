"""The run log of the sources in the admin: every run with its counts and errors, and the
state of each source (last good run, stale, sample data)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from .models import SourceState, SyncRun
from .registry import SOURCES, source_class


class SourceColumn(Column):
    def get_value(self, instance):
        try:
            return str(source_class(instance.source).label)
        except KeyError:
            return instance.source


class StatusColumn(Column):
    def get_value(self, instance):
        label = instance.get_status_display()
        if instance.dry_run:
            label = f"{label} ({_('dry run')})"
        if instance.sample:
            label = f"{label} ({_('sample data')})"
        return label


class ErrorsColumn(Column):
    def get_value(self, instance):
        messages = instance.error_messages
        if not messages:
            return ""
        shown = " · ".join(messages[:3])
        more = len(messages) - 3
        return f"{shown} (+{more})" if more > 0 else shown


class SyncRunReport(ReportView):
    page_title = _("Data imports")
    header_icon = "download"
    template_name = "sources/admin/sync_report.html"
    index_url_name = "sources_sync_report"
    index_results_url_name = "sources_sync_report_results"
    permission_policy = ModelPermissionPolicy(SyncRun)
    permission_required = "view"
    paginate_by = 50
    columns = [
        SourceColumn("source", label=_("Source")),
        DateColumn("started_at", label=_("Started")),
        StatusColumn("status", label=_("Status")),
        Column("fetched", label=_("Read")),
        Column("added", label=_("Added")),
        Column("updated", label=_("Updated")),
        Column("removed", label=_("Removed")),
        Column("skipped", label=_("Skipped")),
        ErrorsColumn("errors", label=_("Errors")),
    ]
    list_export = [
        "source",
        "started_at",
        "finished_at",
        "status",
        "fetched",
        "added",
        "updated",
        "removed",
        "unchanged",
        "skipped",
        "error_messages",
    ]

    def get_filename(self):
        return f"data-imports-{timezone.localdate():%Y-%m-%d}"

    def get_queryset(self):
        return SyncRun.objects.order_by("-started_at", "-pk")

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["source_states"] = source_overview()
        return context


def source_overview() -> list[dict]:
    """One line per source: when it last succeeded, and whether it is stale or sample."""
    states = {state.source: state for state in SourceState.objects.all()}
    overview = []
    for name in SOURCES:
        state = states.get(name)
        overview.append(
            {
                "name": name,
                "label": source_class(name).label,
                "last_success_at": state.last_success_at if state else None,
                "last_failed": bool(state and state.last_failed),
                "stale": state.is_stale if state else True,
                "sample": bool(state and state.sample),
            }
        )
    return overview
