"""The plain-language checks of a page, in each of its languages, for whoever may edit it:
its LIX and level, its long sentences, the passive voice found and the words to avoid
with what to write instead. Advice only: nothing here stops a publish."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from wagtail.models import Page

from region_pages import plain_language, readability


def page_checks(request, page_id: int):
    page = get_object_or_404(Page, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    versions = [page, *page.get_translations().select_related("locale").order_by("locale")]
    found = readability.for_revisions(version.latest_revision_id for version in versions)
    checks = [
        {
            "page": version,
            "language": version.locale.get_display_name(),
            "found": found.get(version.latest_revision_id),
            "can_edit": version.permissions_for_user(request.user).can_edit(),
        }
        for version in versions
    ]
    return TemplateResponse(
        request,
        "editorial/plain_language.html",
        {
            "page": page,
            "checks": checks,
            "long_sentence": plain_language.LONG_SENTENCE,
            "title": _("Plain language: %(title)s") % {"title": page.get_admin_display_title()},
        },
    )
