"""Reports → Scheduled publishing: what will go live and what will expire, soonest first,
for the pages the user may edit (the coordinator: the region's). Wagtail keeps a page's
scheduled publication in its approved revision (`approved_go_live_at`) and its expiry on
the page (`expire_at`); `manage.py publish_scheduled` carries them out."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page, Revision

PUBLISH = "publish"
EXPIRE = "expire"
ACTIONS = {PUBLISH: _("Goes live"), EXPIRE: _("Expires (unpublished)")}


@dataclass
class Scheduled:
    when: datetime
    action: str
    page_id: int
    title: str
    language: str
    by: str

    @property
    def action_label(self) -> str:
        return str(ACTIONS[self.action])

    @property
    def when_display(self) -> str:
        """The date and time in the site's time zone (ahead, where Wagtail's date column
        counts back: "0 minutes ago")."""
        return date_format(timezone.localtime(self.when), "SHORT_DATETIME_FORMAT")


def scheduled_for(user) -> list[Scheduled]:
    """The scheduled publications and expiries of the pages `user` may edit. Three queries
    and the user's page permissions (cached), however many there are."""
    page_type = ContentType.objects.get_for_model(Page)
    revisions = list(
        Revision.objects.filter(base_content_type=page_type, approved_go_live_at__isnull=False)
        .select_related("user")
        .order_by("approved_go_live_at")
    )
    pages = Page.objects.filter(pk__in=[int(r.object_id) for r in revisions]) | Page.objects.filter(
        live=True, expired=False, expire_at__isnull=False
    )
    by_id = {page.pk: page for page in pages.select_related("locale")}
    rows = [
        Scheduled(
            when=revision.approved_go_live_at,
            action=PUBLISH,
            page_id=int(revision.object_id),
            title=by_id[int(revision.object_id)].title,
            language=by_id[int(revision.object_id)].locale.language_code,
            by=revision.user.get_full_name() or revision.user.get_username()
            if revision.user
            else "",
        )
        for revision in revisions
        if int(revision.object_id) in by_id
    ]
    rows += [
        Scheduled(page.expire_at, EXPIRE, page.pk, page.title, page.locale.language_code, "")
        for page in by_id.values()
        if page.live and not page.expired and page.expire_at
    ]
    editable = {
        page_id
        for page_id in {row.page_id for row in rows}
        if by_id[page_id].permissions_for_user(user).can_edit()
    }
    return sorted(
        (row for row in rows if row.page_id in editable), key=lambda row: (row.when, row.title)
    )


class ScheduledReport(ReportView):
    page_title = _("Scheduled publishing")
    header_icon = "calendar-alt"
    index_url_name = "editorial_scheduled"
    index_results_url_name = "editorial_scheduled_results"
    paginate_by = 100
    columns = [
        Column("when_display", label=_("When")),
        Column("action_label", label=_("What")),
        TitleColumn(
            "title", label=_("Page"), url_name="wagtailadmin_pages:edit", id_accessor="page_id"
        ),
        Column("language", label=_("Language")),
        Column("by", label=_("Approved version by")),
    ]
    list_export = ["when", "action", "page_id", "title", "language", "by"]

    def get_filename(self):
        return f"scheduled-publishing-{timezone.localdate():%Y-%m-%d}"

    def get_queryset(self):
        return scheduled_for(self.request.user)
