"""Admin views: the status report, bulk machine translation, and wagtail-localize views
that are replaced so that their failures reach the officer as messages."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.pages.utils import get_valid_next_url_from_request
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page

import django_filters
from wagtail_localize.machine_translators import get_machine_translator
from wagtail_localize.models import Translation
from wagtail_localize.views.edit_translation import (
    apply_machine_translation,
    user_can_edit_instance,
)

from region_pages import readability

from . import po
from .deepl import DeepLError
from .models import MachineTranslationJob, Review
from .status import REGION, Status, counts, page_statuses, target_languages
from .tasks import start_job

# The statuses bulk machine translation works on: there is text without a translation.
TRANSLATABLE_STATUSES = {Status.MISSING, Status.OUTDATED, Status.INCOMPLETE}


def municipality_choices():
    from region_pages.models import MunicipalityPage

    numbers = (
        MunicipalityPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE)
        .order_by("title")
        .values_list("municipality_number", "title")
    )
    return [*numbers, (REGION, _("The region (outside the municipalities)"))]


def language_choices():
    names = dict(settings.WAGTAIL_CONTENT_LANGUAGES)
    return [(code, names[code]) for code in target_languages()]


class StatusFilterSet(WagtailFilterSet):
    municipality = django_filters.ChoiceFilter(
        label=_("Municipality"), choices=municipality_choices, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("All")
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=language_choices, empty_label=_("All")
    )

    class Meta:
        model = Page
        fields = []

    def filter_queryset(self, queryset):
        return queryset  # the rows are computed with the filters (see TranslationStatusReport)


def selected_filters(data) -> dict:
    filterset = StatusFilterSet(data=data, queryset=Page.objects.none())
    cleaned = filterset.form.cleaned_data if filterset.is_valid() else {}
    return {
        "languages": [cleaned["language"]] if cleaned.get("language") else None,
        "municipality": cleaned.get("municipality") or None,
        "status": cleaned.get("status") or None,
    }


class StatusColumn(Column):
    """The status, and for a machine translation the person may review, the button."""

    cell_template_name = "translations/status_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        context["review_url"] = getattr(instance, "review_url", "")
        if context["review_url"] and request is not None:
            context["csrf_token_value"] = get_token(request)
        return context


class TranslationStatusReport(ReportView):
    page_title = _("Translation status")
    header_icon = "wagtail-localize-language"
    index_url_name = "translations_status_report"
    index_results_url_name = "translations_status_report_results"
    template_name = "translations/status_report.html"
    filterset_class = StatusFilterSet
    paginate_by = 100
    columns = [
        TitleColumn(
            "title",
            label=_("Page (Norwegian)"),
            url_name="wagtailadmin_pages:edit",
            id_accessor="page_id",
        ),
        Column("municipality", label=_("Municipality")),
        Column("language", label=_("Language")),
        StatusColumn("status_label", label=_("Status")),
        Column("changed_fields_display", label=_("Changed since last sync")),
        Column("last_synced_at", label=_("Last synced")),
        Column("plain_language", label=_("Plain language")),
    ]
    list_export = [
        "page_id",
        "title",
        "url_path",
        "municipality",
        "municipality_number",
        "language",
        "status",
        "status_label",
        "changed_fields_display",
        "segments",
        "translated",
        "machine_unreviewed",
        "target_live",
        "last_synced_at",
        "source_published_at",
    ]
    export_headings = {
        "page_id": _("Page ID"),
        "title": _("Page (Norwegian)"),
        "url_path": _("Path"),
        "municipality": _("Municipality"),
        "municipality_number": _("Municipality number"),
        "language": _("Language"),
        "status": _("Status code"),
        "status_label": _("Status"),
        "changed_fields_display": _("Changed since last sync"),
        "segments": _("Texts"),
        "translated": _("Translated texts"),
        "machine_unreviewed": _("Machine-translated, not reviewed"),
        "target_live": _("Published"),
        "last_synced_at": _("Last synced"),
        "source_published_at": _("Norwegian page published"),
    }

    def get_filename(self):
        return f"translation-status-{timezone.localdate():%Y-%m-%d}"

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "queryset": Page.objects.none()}

    def get_queryset(self):
        from region_pages.officers import regions_of

        rows = page_statuses(**selected_filters(self.request.GET))
        mine = regions_of(self.request.user)
        if mine is not None:
            # A region's people see their own region's pages (a page's address begins
            # with its region's key, the home page's slug: /ranaregionen/rana/).
            keys = {region.key for region in mine}
            rows = [row for row in rows if row.url_path.strip("/").split("/")[0] in keys]
        severity = {status: index for index, status in enumerate(Status.values)}
        return sorted(rows, key=lambda row: (severity.get(row.status, 0), row.url_path))

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        mark_reviewable(context["object_list"], self.request.user)
        if not self.is_export:  # the export has no such column
            add_plain_language(context["object_list"])
        context["counts"] = [
            (Status(status).label, count) for status, count in counts(self.object_list).items()
        ]
        context["can_machine_translate"] = get_machine_translator() is not None
        context["bulk_url"] = reverse("translations_machine_translate_bulk")
        context["query"] = self.request.GET.urlencode()
        return context


def add_plain_language(rows) -> None:
    """Each row's LIX scores, Norwegian and translation (checked once a revision)."""
    ids = {row.page_id for row in rows} | {row.target_page_id for row in rows if row.target_page_id}
    latest = dict(Page.objects.filter(pk__in=ids).values_list("pk", "latest_revision_id"))
    found = readability.for_revisions(latest.values())
    for row in rows:
        scores = []
        for code, page_id in (
            (settings.LANGUAGE_CODE, row.page_id),
            (row.language, row.target_page_id),
        ):
            checked = found.get(latest.get(page_id))
            if checked is not None and checked.lix is not None:
                scores.append(f"{code}: LIX {round(checked.lix)}")
        row.plain_language = ", ".join(scores) or "–"


def mark_reviewable(rows, user) -> None:
    """Give the machine-translated rows whose English page `user` may edit a review URL.

    Two queries for the whole list: the pages, and the user's page permissions (cached).
    """
    machine = [row for row in rows if row.status == Status.MACHINE and row.target_page_id]
    if not machine:
        return
    pages = Page.objects.in_bulk([row.target_page_id for row in machine])
    for row in machine:
        page = pages.get(row.target_page_id)
        if page is not None and page.permissions_for_user(user).can_edit():
            row.review_url = reverse("translations_mark_reviewed", args=[page.pk])


# ---- reviewing machine translations ---------------------------------------------------------


@require_POST
def mark_reviewed(request, page_id):
    """A person has read the machine-translated texts of a translated page: record it.

    Allowed to whoever may edit the translated page (translators, the coordinator and the
    municipality's own editors), never to another municipality's editors. The segments
    translated by machine up to now count as reviewed; the status report moves the page
    from machine-translated to in sync (or, for a draft, to translated, not published).
    """
    target = get_object_or_404(Page, pk=page_id)
    if not target.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    translation = (
        Translation.objects.filter(
            source__object_id=target.translation_key,
            source__locale__language_code=settings.LANGUAGE_CODE,
            target_locale_id=target.locale_id,
            enabled=True,
        )
        .select_related("source")
        .first()
    )
    if translation is None:
        raise Http404
    source_page_id = translation.source.get_source_instance().pk
    rows = page_statuses(languages=[target.locale.language_code], page_ids=[source_page_id])
    if not rows or not rows[0].machine_unreviewed:
        messages.warning(request, _("This translation has no machine-translated text to review."))
        return redirect(_next_url(request, reverse("translations_status_report")))
    Review.objects.update_or_create(
        translation=translation,
        defaults={"reviewed_by": request.user, "reviewed_at": timezone.now()},
    )
    messages.success(
        request,
        _("%(count)s machine-translated text(s) of “%(title)s” marked as reviewed.")
        % {"count": rows[0].machine_unreviewed, "title": target.title},
    )
    return redirect(_next_url(request, reverse("translations_status_report")))


# ---- bulk machine translation --------------------------------------------------------------


class BulkForm(forms.Form):
    language = forms.ChoiceField(choices=language_choices, required=False)
    municipality = forms.CharField(required=False)
    status = forms.CharField(required=False)
    page = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["page"].choices = lambda: [
            (pk, pk) for pk in Page.objects.values_list("pk", flat=True)
        ]


@require_POST
def machine_translate_bulk(request):
    """Enqueue machine translation of the pages the report shows that need it."""
    report_url = reverse("translations_status_report")
    if get_machine_translator() is None:
        messages.error(
            request,
            _(
                "Machine translation is not set up on this site. Ask an administrator to "
                "configure DeepL (DEEPL_AUTH_KEY)."
            ),
        )
        return redirect(report_url)
    form = BulkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The choice of pages was not understood. Nothing was started."))
        return redirect(report_url)
    filters = selected_filters(request.POST)
    rows = page_statuses(
        languages=filters["languages"],
        municipality=filters["municipality"],
        page_ids=form.cleaned_data["page"] or None,
    )
    by_language: dict[str, list[int]] = {}
    for row in rows:
        if row.status in TRANSLATABLE_STATUSES and (
            filters["status"] is None or row.status == filters["status"]
        ):
            by_language.setdefault(row.language, []).append(row.page_id)
    allowed = {
        page.pk
        for page in Page.objects.filter(pk__in={pk for ids in by_language.values() for pk in ids})
        if page.permissions_for_user(request.user).can_edit()
    }
    jobs = []
    for language, page_ids in by_language.items():
        page_ids = [pk for pk in page_ids if pk in allowed]
        if page_ids:
            jobs.append(start_job(page_ids, language, user=request.user))
    if not jobs:
        messages.warning(
            request, _("No page shown needs machine translation. Nothing was started.")
        )
        return redirect(report_url)
    messages.success(
        request,
        _("Machine translation of %(count)s page(s) has started. It runs in the background.")
        % {"count": sum(job.total for job in jobs)},
    )
    return redirect("translations_job", job_id=jobs[0].pk)


# The permission of the people who run translations for the whole region (the coordinator).
COORDINATE_TRANSLATIONS = "wagtail_localize.submit_translation"


def can_see_job(user, job: MachineTranslationJob) -> bool:
    """A job's page names pages and DeepL's errors: only its starter and the coordinator."""
    return user.has_perm(COORDINATE_TRANSLATIONS) or (
        job.requested_by_id is not None and job.requested_by_id == user.pk
    )


class JobView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "translations/job.html"
    page_title = _("Machine translation")
    header_icon = "wagtail-localize-language"

    def dispatch(self, request, *args, **kwargs):
        self.job = get_object_or_404(MachineTranslationJob, pk=kwargs["job_id"])
        if not can_see_job(request.user, self.job):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.job
        context["job"] = job
        context["running"] = job.state in (
            MachineTranslationJob.State.QUEUED,
            MachineTranslationJob.State.RUNNING,
        )
        context["report_url"] = reverse("translations_status_report")
        return context


# ---- wagtail-localize's views, with failures told to the officer ------------------------------


def _next_url(request, default=None):
    return get_valid_next_url_from_request(request) or default or reverse("wagtailadmin_home")


@require_POST
def machine_translate(request, translation_id):
    """The translation editor's "Translate with DeepL" button; a DeepL failure is a message."""
    translator = get_machine_translator()
    if translator is None:
        raise Http404
    try:
        with transaction.atomic():
            translated = apply_machine_translation(translation_id, request.user, translator)
    except DeepLError as error:
        messages.error(request, error.message)
    else:
        if translated:
            messages.success(
                request,
                _("Translated with %(tool)s. Review the texts before you publish.")
                % {"tool": translator.display_name},
            )
        else:
            messages.warning(request, _("There isn't anything left to translate."))
    return redirect(_next_url(request))


def download_pofile(request, translation_id):
    translation = get_object_or_404(Translation, id=translation_id)
    if not user_can_edit_instance(request.user, translation.get_target_instance()):
        raise PermissionDenied
    response = HttpResponse(po.export_po(translation), content_type="text/x-gettext-translation")
    filename = (
        f"{slugify(translation.source.object_repr)}-{translation.target_locale.language_code}.po"
    )
    response["Content-Disposition"] = f"attachment; filename={filename}"
    return response


@require_POST
def upload_pofile(request, translation_id):
    translation = get_object_or_404(Translation, id=translation_id)
    if not user_can_edit_instance(request.user, translation.get_target_instance()):
        raise PermissionDenied
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a PO file to upload."))
        return redirect(_next_url(request))
    try:
        count = po.import_po(translation, upload.read(), user=request.user)
    except po.POMismatch as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Imported %(count)s translated text(s) from the PO file. Review and publish.")
            % {"count": count},
        )
    return redirect(_next_url(request))
