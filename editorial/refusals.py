"""Refusals that say who can.

Wagtail answers an editor who opens a page they may not edit with a generic "you do not
have permission" on the dashboard. Here the edit screen of such a page sends the editor to
the dashboard (with their own pages) with a message that names the groups that can
change it ("«Rana» kan bare endres av: Redaktører Rana, Regional koordinator. Be en av dem
om endringen."), read from the page permissions on the page and its ancestors.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _

from wagtail.models import GroupPagePermission, Page

EDIT_VIEW = "wagtailadmin_pages:edit"


def who_can(page: Page, codename: str = "change_page") -> list[str]:
    """The names of the groups with `codename` on `page` (granted on it or an ancestor)."""
    granted = GroupPagePermission.objects.filter(
        page__in=page.get_ancestors(inclusive=True), permission__codename=codename
    ).values_list("group__name", flat=True)
    return sorted(set(granted))


def refusal(page: Page) -> str:
    groups = who_can(page)
    if not groups:
        return _("“%(page)s” can only be changed by the site's administrators.") % {
            "page": page.get_admin_display_title()
        }
    return _(
        "“%(page)s” can only be changed by: %(groups)s. Ask one of them to make the change."
    ) % {"page": page.get_admin_display_title(), "groups": ", ".join(groups)}


class RefusalMiddleware(MiddlewareMixin):
    """Answers an editor's request for the edit screen of a page they may not edit."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.view_name != EDIT_VIEW:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            return None  # the admin's own scripts handle a refusal themselves
        page = Page.objects.filter(pk=view_kwargs.get("page_id")).first()
        if page is None or page.permissions_for_user(user).can_edit():
            return None
        messages.error(request, refusal(page))
        # The dashboard, as Wagtail's own refusal: it lists the editor's own pages.
        return redirect("wagtailadmin_home")
