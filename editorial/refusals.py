"""Refusals that say who can.

Wagtail answers an editor who opens a page action they may not take with a generic "you
do not have permission" on the dashboard. Here the screens of such actions (edit, delete,
move, unpublish, add a page below) send the editor to the dashboard (with their own
pages) with a message that names the groups that can ("«Rana» kan bare endres av:
Redaktører Rana, Regional koordinator. Be en av dem om endringen."), read from the page
permissions on the page and its ancestors. A translator who reaches a screen for what
only the officers do is told the same way (`for_translator`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.models import GroupPagePermission, Page

from .models import Role
from .permissions import is_translator_only
from .roles import is_translator_key


def who_can(page: Page, codename: str = "change_page") -> list[str]:
    """The names of the groups with `codename` on `page` (granted on it or an ancestor)."""
    granted = GroupPagePermission.objects.filter(
        page__in=page.get_ancestors(inclusive=True), permission__codename=codename
    ).values_list("group__name", flat=True)
    return sorted(set(granted))


@dataclass(frozen=True)
class Action:
    page_argument: str  # the URL's argument naming the page
    codename: str | Callable  # the page permission the action needs (for this page)
    may: str  # the PagePermissionTester method that tells
    message: str  # "“%(page)s” … by: %(groups)s"

    def needs(self, page: Page) -> str:
        return self.codename(page) if callable(self.codename) else self.codename


def taking_away(page: Page) -> str:
    """What deleting or moving `page` needs: taking published pages off the site needs
    publishing; pages that never went out, editing (Wagtail's rule)."""
    published = page.get_descendants(inclusive=True).live().exists()
    return "publish_page" if published else "change_page"


ACTIONS = {
    "wagtailadmin_pages:edit": Action(
        "page_id",
        "change_page",
        "can_edit",
        gettext_lazy(
            "“%(page)s” can only be changed by: %(groups)s. Ask one of them to make the change."
        ),
    ),
    "wagtailadmin_pages:delete": Action(
        "page_id",
        taking_away,
        "can_delete",
        gettext_lazy(
            "“%(page)s” can only be deleted by: %(groups)s. Ask one of them to delete it."
        ),
    ),
    # Moving is deleting here and adding there: Wagtail asks the same as for deleting.
    "wagtailadmin_pages:move": Action(
        "page_to_move_id",
        taking_away,
        "can_move",
        gettext_lazy("“%(page)s” can only be moved by: %(groups)s. Ask one of them to move it."),
    ),
    "wagtailadmin_pages:unpublish": Action(
        "page_id",
        "publish_page",
        "can_unpublish",
        gettext_lazy(
            "“%(page)s” can only be unpublished by: %(groups)s. Ask one of them to unpublish it."
        ),
    ),
    "wagtailadmin_pages:add_subpage": Action(
        "parent_page_id",
        "add_page",
        "can_add_subpage",
        gettext_lazy(
            "Pages below “%(page)s” can only be added by: %(groups)s. Ask one of them to add "
            "the page."
        ),
    ),
}
EDIT = ACTIONS["wagtailadmin_pages:edit"]


def refusal(page: Page, action: Action = EDIT) -> str:
    groups = [
        name for name in who_can(page, action.needs(page)) if name not in translator_group_names()
    ]
    if not groups:
        return _("Only the site's administrators can do this with “%(page)s”.") % {
            "page": page.get_admin_display_title()
        }
    return str(action.message) % {
        "page": page.get_admin_display_title(),
        "groups": ", ".join(groups),
    }


def translator_group_names() -> set[str]:
    return {
        name
        for key, name in Role.objects.values_list("key", "group__name")
        if is_translator_key(key)
    }


def for_translator(request, page: Page, action: Action):
    """The dashboard with a message that translators translate, and who does `action`."""
    messages.error(
        request,
        _("Translators translate pages; this is done by others.") + " " + refusal(page, action),
    )
    return redirect("wagtailadmin_home")


def _refused(page: Page, user, action: Action) -> bool:
    tester = page.permissions_for_user(user)
    if getattr(tester, action.may)():
        return False
    if user.is_superuser:
        return False
    # Refused for another reason than who the editor is (a page that is not live cannot be
    # unpublished, a locked page waits for its lock): Wagtail says why itself.
    if action.may == "can_unpublish" and (not page.live or tester.page_locked()):
        return False
    # May add, but no page type fits below this one: Wagtail's own answer.
    return not (action.may == "can_add_subpage" and "add" in tester.permissions)


class RefusalMiddleware(MiddlewareMixin):
    """Answers an editor's request for a page action's screen they may not use."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        action = ACTIONS.get(match.view_name) if match is not None else None
        if action is None:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            return None  # the admin's own scripts handle a refusal themselves
        page = Page.objects.filter(pk=view_kwargs.get(action.page_argument)).first()
        if page is None or not _refused(page, user, action):
            return None
        if is_translator_only(user):
            return for_translator(request, page, action)
        messages.error(request, refusal(page, action))
        # The dashboard, as Wagtail's own refusal: it lists the editor's own pages.
        return redirect("wagtailadmin_home")
