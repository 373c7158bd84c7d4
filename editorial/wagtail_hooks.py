"""The editors' admin: page listing and editor, safeguards, the content checker, the dashboard."""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.userbar import ContentCheckerItem
from wagtail.admin.wagtail_hooks import ExplorerMenuItem
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from region_pages.models import AvoidedWord

from . import localize_guards, plain_language_views, refusals
from .admin_views import EditorialPageViewSet
from .checker import RegionContentCheckerItem
from .dashboard import BrokenLinksPanel, StaleFactsPanel
from .my_pages import MyPagesPanel, start_page
from .permissions import is_translator_only
from .scheduled import ScheduledReport


# Registered after Wagtail's own base page viewset (order -1), so it replaces it.
@hooks.register("register_admin_viewset")
def register_page_viewset():
    return EditorialPageViewSet()


# ---- translators translate, nothing else -------------------------------------------------


@hooks.register("before_create_page")
def translators_do_not_create(request, parent_page, page_class):
    if is_translator_only(request.user):
        return refusals.for_translator(
            request, parent_page, refusals.ACTIONS["wagtailadmin_pages:add_subpage"]
        )
    return None


@hooks.register("before_copy_page")
def translators_do_not_copy(request, page):
    if is_translator_only(request.user):
        return refusals.for_translator(
            request, page.get_parent(), refusals.ACTIONS["wagtailadmin_pages:add_subpage"]
        )
    return None


@hooks.register("before_move_page")
def translators_do_not_move(request, page, destination):
    if is_translator_only(request.user):
        return refusals.for_translator(request, page, refusals.ACTIONS["wagtailadmin_pages:move"])
    return None


# ---- deleting: name what goes with the page, and delete translations together -----------


@hooks.register("construct_translated_pages_to_cascade_actions")
def delete_translations_with_their_source(pages, action):
    if action != "delete":
        return {}
    return {page: list(page.get_translations()) for page in pages}


@hooks.register("before_delete_page")
def confirm_what_is_deleted(request, page):
    if is_translator_only(request.user):
        return refusals.for_translator(request, page, refusals.ACTIONS["wagtailadmin_pages:delete"])
    translations = list(page.get_translations().select_related("locale"))
    for translation in translations:
        if not translation.permissions_for_user(request.user).can_delete():
            messages.error(
                request,
                _(
                    "You cannot delete “%(title)s”: its translation “%(translation)s” "
                    "(%(language)s) would be deleted with it, and you may not delete that. "
                    "Ask the regional coordinator."
                )
                % {
                    "title": page.get_admin_display_title(),
                    "translation": translation.get_admin_display_title(),
                    "language": translation.locale.language_code,
                },
            )
            raise PermissionDenied
    if request.method != "GET":
        return None
    descendants = list(page.get_descendants().specific(defer=True)[:50])
    if translations:
        messages.warning(
            request,
            _("These translations are deleted with it: %(pages)s.")
            % {
                "pages": ", ".join(
                    f"“{t.get_admin_display_title()}” ({t.locale.language_code})"
                    for t in translations
                )
            },
        )
    if descendants:
        messages.warning(
            request,
            _("These pages below it are deleted too: %(pages)s.")
            % {"pages": ", ".join(f"“{p.get_admin_display_title()}”" for p in descendants)},
        )
    return None


# ---- wagtail-localize's views, with the page permissions they do not check ----------------


@hooks.register("register_admin_urls")
def guard_translation_views():
    # Registered before wagtail-localize's own URLs (this app comes first in
    # INSTALLED_APPS), so these paths resolve here and then call its views.
    return [
        path(
            "localize/submit/page/<int:page_id>/",
            localize_guards.submit_page_translation,
            name="editorial_submit_page_translation",
        ),
        path(
            "localize/update/<int:translation_source_id>/",
            localize_guards.update_translations,
            name="editorial_update_translations",
        ),
        path(
            "localize/translate/<int:translation_id>/disable/",
            localize_guards.stop_translation,
            name="editorial_stop_translation",
        ),
        path(
            "localize/page/<int:page_id>/convert_to_alias/",
            localize_guards.convert_to_alias,
            name="editorial_convert_to_alias",
        ),
    ]


@hooks.register("before_convert_alias_page")
def refuse_detaching_untranslated_pages(request, page):
    # An alias in another language is a page waiting for its translation; making it a
    # page of its own cuts it off from the Norwegian source, like stopping a translation.
    if (
        localize_guards.is_translation_alias(page)
        and not page.permissions_for_user(request.user).can_publish()
    ):
        raise PermissionDenied


@hooks.register("construct_page_action_menu")
def hide_convert_to_alias_from_non_publishers(menu_items, request, context):
    permissions = context.get("user_page_permissions_tester")  # None when adding a page
    if permissions is None or permissions.can_publish():
        return
    menu_items[:] = [item for item in menu_items if item.name != "localize-convert-to-alias"]


# ---- the content checker in the editor's preview ----------------------------------------


@hooks.register("construct_wagtail_userbar")
def use_region_content_checker(request, items, page):
    for index, item in enumerate(items):
        if isinstance(item, ContentCheckerItem) and not isinstance(item, RegionContentCheckerItem):
            items[index] = RegionContentCheckerItem(in_editor=item.in_editor)


# ---- the dashboard -----------------------------------------------------------------------


@hooks.register("construct_homepage_panels")
def add_stale_facts_panel(request, panels):
    panels.insert(0, StaleFactsPanel(request.user))


@hooks.register("construct_homepage_panels")
def add_broken_links_panel(request, panels):
    panels.insert(0, BrokenLinksPanel(request.user))


@hooks.register("construct_homepage_panels")
def add_my_pages_panel(request, panels):
    panels.insert(0, MyPagesPanel(request.user))


class MunicipalityExplorerMenuItem(ExplorerMenuItem):
    """The page explorer opens at the officer's municipality page, not at the tree's root
    above both languages' home pages."""

    def render_component(self, request):
        component = super().render_component(request)
        own = start_page(request.user)
        if own is not None and hasattr(component, "start_page_id"):
            component.start_page_id = own.pk
        return component


@hooks.register("construct_main_menu")
def open_the_explorer_at_the_municipality(request, menu_items):
    for index, item in enumerate(menu_items):
        if type(item) is ExplorerMenuItem:
            menu_items[index] = MunicipalityExplorerMenuItem(
                item.label, item.url, name=item.name, icon_name=item.icon_name, order=item.order
            )


# ---- plain language: the checks of a page, and the coordinator's words to avoid ----------


@hooks.register("register_admin_urls")
def plain_language_urls():
    return [
        path(
            "plain-language/<int:page_id>/",
            plain_language_views.page_checks,
            name="editorial_plain_language",
        )
    ]


# ---- scheduled publishing: what goes live and what expires, soonest first -----------------


@hooks.register("register_admin_urls")
def scheduled_urls():
    return [
        path("reports/scheduled/", ScheduledReport.as_view(), name="editorial_scheduled"),
        path(
            "reports/scheduled/results/",
            ScheduledReport.as_view(results_only=True),
            name="editorial_scheduled_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def scheduled_menu_item():
    return MenuItem(
        _("Scheduled publishing"),
        reverse("editorial_scheduled"),
        name="scheduled-publishing",
        icon_name="calendar-alt",
        order=640,
    )


@hooks.register("register_page_header_buttons")
def plain_language_button(page, user, view_name, next_url=None):
    if page.depth > 1 and page.permissions_for_user(user).can_edit():
        yield Button(
            _("Plain language"),
            reverse("editorial_plain_language", args=[page.pk]),
            icon_name="doc-full",
            priority=66,
        )


class AvoidedWordViewSet(SnippetViewSet):
    """Snippets → Words to avoid: the coordinator's list that the plain-language checks
    point out, with what to write instead."""

    model = AvoidedWord
    icon = "warning"
    list_display = ["phrase", "advice", "language_code"]
    list_filter = ["language_code"]
    search_fields = ["phrase", "advice"]
    ordering = ["language_code", "phrase"]


register_snippet(AvoidedWordViewSet)
