"""The page explorer and editor as our editors see them.

- The explorer lists, for each page, the state of its other language version, who
  edited it last and its plain-language score (LIX).
- The editor refuses to save a form that was loaded before someone else saved the page:
  the officer sees who saved, keeps what they typed, and decides (saving again then
  overwrites deliberately; the other officer's version stays in the history). Wagtail
  itself only guards autosave against this; a plain save would overwrite silently. The
  officer's own autosaves are not "someone else": the form still names the revision it
  was loaded from, so revisions saved since then by the same user do not count.
"""

from django.db.models import F, OuterRef, Subquery
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin import messages
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page

from region_pages import readability

SOURCE_LANGUAGE = "nb"


def annotate_language_status(pages):
    """Each page with its other language version's code, live state and publish time."""
    other = (
        Page.objects.filter(translation_key=OuterRef("translation_key"))
        .exclude(locale_id=OuterRef("locale_id"))
        .order_by("locale__language_code")
    )
    return pages.annotate(
        other_language=Subquery(other.values("locale__language_code")[:1]),
        other_live=Subquery(other.values("live")[:1]),
        other_last_published_at=Subquery(other.values("last_published_at")[:1]),
        last_editor_first_name=F("latest_revision__user__first_name"),
        last_editor_last_name=F("latest_revision__user__last_name"),
        last_editor_username=F("latest_revision__user__username"),
    )


def language_status(page) -> str:
    """How the page's other language version stands, in a few words."""
    language = getattr(page, "other_language", None)
    if not language:
        if page.locale.language_code == SOURCE_LANGUAGE:
            return str(_("Not translated"))
        return str(_("No Norwegian source"))
    code = language.upper()
    if page.locale.language_code == SOURCE_LANGUAGE:
        if not page.other_live:
            return _("%(language)s: draft") % {"language": code}
        if (
            page.last_published_at
            and page.other_last_published_at
            and page.last_published_at > page.other_last_published_at
        ):
            return _("%(language)s: out of date") % {"language": code}
        return _("%(language)s: published") % {"language": code}
    if (
        page.other_last_published_at
        and page.last_published_at
        and page.other_last_published_at > page.last_published_at
    ):
        return str(_("Norwegian changed since"))
    return str(_("Up to date"))


def plain_language(page) -> str:
    """The plain-language score of the page as last saved: LIX and its level."""
    found = getattr(page, "readability_found", None)
    if found is None or found.lix is None:
        return "–"
    return _("LIX %(score)s, %(level)s") % {"score": round(found.lix), "level": found.level}


def last_editor(page) -> str:
    first = getattr(page, "last_editor_first_name", None) or ""
    last = getattr(page, "last_editor_last_name", None) or ""
    return f"{first} {last}".strip() or getattr(page, "last_editor_username", None) or ""


class EditorialExplorableIndexView(ExplorableIndexView):
    base_columns = [
        *ExplorableIndexView.base_columns,
        Column("language_status", label=_("Languages"), accessor=language_status, width="14%"),
        Column("last_editor", label=_("Last edited by"), accessor=last_editor, width="12%"),
        Column("plain_language", label=_("Plain language"), accessor=plain_language, width="10%"),
    ]

    def annotate_queryset(self, pages):
        return annotate_language_status(super().annotate_queryset(pages))

    def get_table(self, object_list):
        """The listed pages with their plain-language findings (checked once a revision)."""
        pages = list(object_list)
        found = readability.for_revisions(page.latest_revision_id for page in pages)
        for page in pages:
            page.readability_found = found.get(page.latest_revision_id)
        return super().get_table(pages)


class ConflictCheckingEditView(EditView):
    def dispatch(self, request, page_id, **kwargs):
        if request.method == "POST":
            # Saves and publishes of one page take turns: the page's row is locked for the
            # rest of the request's transaction before the view reads it. Overlapping
            # publishes otherwise each write back the page as they read it, and the last
            # write could mark the page as having unpublished changes when its live and
            # latest revisions are the same. (SQLite's writes already take turns.)
            Page.objects.select_for_update().filter(pk=page_id).first()
        return super().dispatch(request, page_id, **kwargs)

    def post(self, request, *args, **kwargs):
        if (
            not self.expects_json_response
            and not self.page.alias_of_id
            and self.is_out_of_date
            and self.saved_by_someone_else_since_loaded
            and not self.is_cancelling_workflow
        ):
            return self.refuse_stale_save()
        return super().post(request, *args, **kwargs)

    @cached_property
    def saved_by_someone_else_since_loaded(self):
        """The newest revision saved since the form was loaded (a newer one, or the loaded
        one overwritten in place by an autosave) by another user; None if there is none."""
        try:
            loaded_id = int(self.request.POST.get("loaded_revision_id", ""))
        except ValueError:
            return self.latest_revision  # the form does not say; assume the worst
        loaded_at = self.request.POST.get("loaded_revision_created_at", "")
        since = self.page.revisions.filter(pk__gte=loaded_id).select_related("user")
        others = [
            revision
            for revision in since.order_by("-created_at", "-pk")
            if (revision.pk != loaded_id or revision.created_at.isoformat() != loaded_at)
            and revision.user_id != self.request.user.pk
        ]
        return others[0] if others else None

    def refuse_stale_save(self):
        """Show the form again as posted, with a warning and the newest revision loaded."""
        self.form = self.form_class(
            self.request.POST,
            self.request.FILES,
            instance=self.page,
            subscription=self.subscription,
            parent_page=self.parent,
            for_user=self.request.user,
        )
        latest = self.saved_by_someone_else_since_loaded
        who = (latest.user.get_full_name() or latest.user.get_username()) if latest.user else ""
        messages.error(
            self.request,
            _(
                "Not saved: %(name)s saved this page after you opened it. Your changes are "
                "still in the form. Compare with the newest version in the history, then "
                "save again to replace it with yours."
            )
            % {"name": who or _("someone else")},
        )
        self.has_unsaved_changes = True
        response = self.render_to_response(self.get_context_data())
        response.status_code = 409
        return response


class EditorialPageViewSet(PageViewSet):
    """Replaces Wagtail's base page viewset (registered after it, see wagtail_hooks)."""

    name = "editorial_pages"
    index_view_class = EditorialExplorableIndexView
    edit_view_class = ConflictCheckingEditView
