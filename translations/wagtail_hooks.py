"""Admin wiring: the status report, its dashboard panel, bulk machine translation, and the
wagtail-localize views this app replaces (registered first: the app precedes
wagtail_localize in INSTALLED_APPS, so these paths resolve here)."""

from django.contrib import messages
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import get_language_info, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from wagtail_localize.machine_translators import get_machine_translator
from wagtail_localize.models import Translation

from . import preserve, views
from .status import Status, counts, page_statuses


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "translations/status/",
            views.TranslationStatusReport.as_view(),
            name="translations_status_report",
        ),
        path(
            "translations/status/results/",
            views.TranslationStatusReport.as_view(results_only=True),
            name="translations_status_report_results",
        ),
        path(
            "translations/machine/",
            views.machine_translate_bulk,
            name="translations_machine_translate_bulk",
        ),
        path("translations/jobs/<int:job_id>/", views.JobView.as_view(), name="translations_job"),
        path(
            "translations/review/<int:page_id>/",
            views.mark_reviewed,
            name="translations_mark_reviewed",
        ),
        # wagtail-localize's own paths, answered here.
        path(
            "localize/translate/<int:translation_id>/machine_translate/",
            views.machine_translate,
            name="translations_machine_translate",
        ),
        path(
            "localize/translate/<int:translation_id>/pofile/download/",
            views.download_pofile,
            name="translations_download_pofile",
        ),
        path(
            "localize/translate/<int:translation_id>/pofile/upload/",
            views.upload_pofile,
            name="translations_upload_pofile",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_status_report_menu_item():
    return MenuItem(
        _("Translation status"),
        reverse("translations_status_report"),
        icon_name="wagtail-localize-language",
        order=650,
    )


class TranslationStatusPanel(Component):
    name = "translation_status"
    template_name = "translations/dashboard_panel.html"
    order = 150

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        report_url = reverse("translations_status_report")
        context["counts"] = [
            (Status(status).label, count, f"{report_url}?status={status}")
            for status, count in counts(page_statuses()).items()
        ]
        context["report_url"] = report_url
        return context


@hooks.register("construct_homepage_panels")
def add_translation_status_panel(request, panels):
    panels.append(TranslationStatusPanel())


@hooks.register("before_edit_page")
def keep_manual_edits_on_restart(request, page):
    """Before wagtail-localize restarts a stopped translation, keep the page's manual text.

    Returns nothing, so wagtail-localize's own hook then restarts the translation.
    """
    if request.method != "POST" or "localize-restart-translation" not in request.POST:
        return None
    translation = Translation.objects.filter(
        source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=False
    ).first()
    if translation is None:
        return None
    unmatched = preserve.capture_manual_edits(translation, page, user=request.user)
    if unmatched:
        messages.warning(
            request,
            _(
                "Some parts of the page have no counterpart in the Norwegian page and will be "
                "replaced at the next publish: %(parts)s. The current version stays in the "
                "page's history, where it can be restored."
            )
            % {"parts": ", ".join(unmatched)},
        )
    return None


@hooks.register("insert_editor_js")
def machine_translation_off():
    """Without a machine translator the translation editor has no button for it: show it,
    disabled, and say why (translations/js/machine-off.js puts it above the editor)."""
    if get_machine_translator() is not None:
        return ""
    return render_to_string("translations/machine_translation_off.html")


CONFIRM_GAPS = "confirm-untranslated"


@hooks.register("before_edit_page")
def confirm_publishing_with_gaps(request, page):
    """Publishing a translation with untranslated texts asks first, naming how many.

    Runs before wagtail-localize's own hook, which publishes; returns nothing when there is
    nothing to ask (or the user may not publish, which wagtail-localize then refuses)."""
    if (
        request.method != "POST"
        or request.POST.get("action") != "publish"
        or CONFIRM_GAPS in request.POST
    ):
        return None
    translation = (
        Translation.objects.filter(
            source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
        )
        .select_related("source__locale", "target_locale")
        .first()
    )
    if translation is None or not page.permissions_for_user(request.user).can_publish():
        return None
    total, translated = translation.get_progress()
    if translated >= total:
        return None
    return TemplateResponse(
        request,
        "translations/confirm_publish_gaps.html",
        {
            "page": page,
            "missing": total - translated,
            "total": total,
            "language": _language_name(translation.target_locale.language_code),
            "source_language": _language_name(translation.source.locale.language_code),
            "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
            "confirm_field": CONFIRM_GAPS,
        },
    )


# A content language's name as it reads inside a sentence ("… oversatt til engelsk").
LANGUAGE_NAMES = {
    "nb": pgettext_lazy("inside a sentence", "Norwegian"),
    "en": pgettext_lazy("inside a sentence", "English"),
}


def _language_name(code: str) -> str:
    return str(LANGUAGE_NAMES.get(code) or get_language_info(code)["name_translated"])
