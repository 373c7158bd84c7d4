"""Who may change what, asked over HTTP: every content-changing admin and API endpoint, for
every role.

Each case names the roles that may perform it. For every role the test takes a snapshot
of what the action would change, sends the request, and asserts that the database changed
(allowed) or did not change and the request was refused (denied). Reading endpoints that
show unpublished content (preview, revisions, compare, translation preview, PO download)
are included: Wagtail's security advisories of recent years were mostly gaps in exactly
these.

The roles: anonymous, the Lurøy editor (the cases are on Lurøy's pages: their own), the
Rana editor (another municipality's pages), the coordinator, the translator, a superuser,
a logged-in user in no group, and the second region's Vefsn editor and coordinator (who
may do nothing in this region; two cases on a Vefsn page turn the question around).
"""

import io
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Locale,
    Page,
    PageViewRestriction,
    Revision,
    TaskState,
    WorkflowState,
)

import polib
import pytest
from PIL import Image as PILImage
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from region_pages.models import MunicipalityPage
from translations.po import export_po

from ..factories import ArticlePageFactory
from .conftest import article_form

ROLES = [
    "anonymous",
    "editor_luroy",
    "editor_rana",
    "coordinator",
    "translator",
    "superuser",
    "no_group",
    "editor_vefsn",
    "coordinator_mosjoen",
]
LUROY = {"editor_luroy", "coordinator", "superuser"}
RANA = {"editor_rana", "coordinator", "superuser"}
PUBLISHERS = {"coordinator", "superuser"}
TRANSLATING = {"editor_luroy", "translator", "coordinator", "superuser"}
# The second region's page.
VEFSN = {"editor_vefsn", "coordinator_mosjoen", "superuser"}
VEFSN_PUBLISHERS = {"coordinator_mosjoen", "superuser"}


@dataclass
class Request:
    method: str
    url: str
    data: Any = None
    # What the action changes; compared before and after. None for reading endpoints.
    probe: Any = None
    content_type: str | None = None


def page_state(pk, *fields):
    return lambda: tuple(Page.objects.filter(pk=pk).values_list(*fields).first() or ())


def png(name="bilde.png"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (20, 60, 90)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


# ---- the cases: each builds its request from the region ---------------------------------


def edit_article(r):
    return Request(
        "post",
        reverse("wagtailadmin_pages:edit", args=[r.article.pk]),
        article_form(r.article, title="Bo på Lurøy"),
        page_state(r.article.pk, "latest_revision_id", "draft_title"),
    )


def edit_vefsn_article(r):
    return Request(
        "post",
        reverse("wagtailadmin_pages:edit", args=[r.vefsn_article.pk]),
        article_form(r.vefsn_article, title="Bo i Mosjøen"),
        page_state(r.vefsn_article.pk, "latest_revision_id", "draft_title"),
    )


def publish_vefsn_article(r):
    return Request(
        "post",
        reverse("wagtailadmin_pages:edit", args=[r.vefsn_article.pk]),
        article_form(r.vefsn_article, title="Publisert i Vefsn", publish="publish"),
        page_state(r.vefsn_article.pk, "title", "live_revision_id"),
    )


def publish_article(r):
    return Request(
        "post",
        reverse("wagtailadmin_pages:edit", args=[r.article.pk]),
        article_form(r.article, title="Publisert tittel", publish="publish"),
        page_state(r.article.pk, "title", "live_revision_id"),
    )


def submit_article(r):
    return Request(
        "post",
        reverse("wagtailadmin_pages:edit", args=[r.article.pk]),
        article_form(r.article, title="Til godkjenning", submit="submit"),
        lambda: WorkflowState.objects.filter(object_id=str(r.article.pk)).count(),
    )


def unpublish_article(r):
    return Request(
        "post",
        reverse("wagtailadmin_pages:unpublish", args=[r.article.pk]),
        {},
        page_state(r.article.pk, "live"),
    )


def move_article(r):
    return Request(
        "post",
        reverse("wagtailadmin_pages:move_confirm", args=[r.article.pk, r.rana.pk]),
        {},
        page_state(r.article.pk, "path"),
    )


def delete_live_article(r):
    return Request(
        "post",
        reverse("wagtailadmin_pages:delete", args=[r.article.pk]),
        {},
        lambda: Page.objects.filter(pk=r.article.pk).exists(),
    )


def delete_draft(r):
    draft = ArticlePageFactory(parent=r.luroy, slug="utkast", title="Utkast", live=False)
    return Request(
        "post",
        reverse("wagtailadmin_pages:delete", args=[draft.pk]),
        {},
        lambda: Page.objects.filter(pk=draft.pk).exists(),
    )


def copy_article(r):
    return Request(
        "post",
        reverse("wagtailadmin_pages:copy", args=[r.article.pk]),
        {"new_title": "Kopi", "new_slug": "kopi", "new_parent_page": str(r.luroy.pk)},
        lambda: Page.objects.filter(slug="kopi").count(),
    )


def add_article(r):
    page = ArticlePageFactory.build(title="Ny side", slug="ny-side", intro="")
    return Request(
        "post",
        reverse("wagtailadmin_pages:add", args=["region_pages", "articlepage", r.luroy.pk]),
        article_form(page),
        lambda: Page.objects.filter(slug="ny-side").count(),
    )


def revert_revision(r):
    first = r.article.latest_revision
    r.article.title = "En nyere versjon"
    r.article.save_revision()
    return Request(
        "post",
        reverse("wagtailadmin_pages:revisions_revert", args=[r.article.pk, first.pk]),
        article_form(r.article, title="Bo i Lurøy"),
        page_state(r.article.pk, "latest_revision_id"),
    )


def view_revision(r):
    revision = r.article.latest_revision
    return Request(
        "get", reverse("wagtailadmin_pages:revisions_view", args=[r.article.pk, revision.pk])
    )


def compare_revisions(r):
    first = r.article.latest_revision
    r.article.title = "Hemmelig utkast"
    second = r.article.save_revision()
    return Request(
        "get",
        reverse("wagtailadmin_pages:revisions_compare", args=[r.article.pk, first.pk, second.pk]),
    )


def preview_draft(r):
    return Request(
        "post",
        reverse("wagtailadmin_pages:preview_on_edit", args=[r.article.pk]),
        article_form(r.article, title="Forhåndsvisning"),
    )


def view_history(r):
    return Request("get", reverse("wagtailadmin_pages:history", args=[r.article.pk]))


def lock_article(r):
    return Request(
        "post",
        reverse("wagtailadmin_pages:lock", args=[r.article.pk]),
        {},
        page_state(r.article.pk, "locked"),
    )


def _luroy_translation(r):
    return Translation.objects.get(
        source__object_id=r.luroy.translation_key, target_locale=r.en_luroy.locale
    )


def translate_string(r):
    translation = _luroy_translation(r)
    segment = StringSegment.objects.filter(source=translation.source).order_by("order").first()
    return Request(
        "put",
        reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk]),
        "value=Puffins+on+Lovund",
        lambda: tuple(
            StringTranslation.objects.filter(
                translation_of_id=segment.string_id, locale=translation.target_locale
            ).values_list("data", flat=True)
        ),
        content_type="application/x-www-form-urlencoded",
    )


def publish_translation(r):
    # A translator has translated the title; publishing it is the coordinator's call.
    translation = _luroy_translation(r)
    title = StringSegment.objects.get(source=translation.source, context__path="title")
    StringTranslation.objects.filter(
        translation_of_id=title.string_id, locale=translation.target_locale
    ).update(data="Lurøy municipality")
    return Request(
        "post",
        reverse("wagtailadmin_pages:edit", args=[r.en_luroy.pk]),
        {"action": "publish"},
        page_state(r.en_luroy.pk, "title", "live_revision_id"),
    )


def submit_translation(r):
    en = Locale.objects.get(language_code="en")
    return Request(
        "post",
        reverse("wagtail_localize:submit_page_translation", args=[r.article.pk]),
        {"locales": [str(en.pk)]},
        lambda: Page.objects.filter(translation_key=r.article.translation_key).count(),
    )


def sync_and_publish_translations(r):
    # The Norwegian page has changed since it was translated (a field kept in step).
    r.luroy.administrative_centre = "Lurøy"
    r.luroy.save_revision().publish()
    source = TranslationSource.objects.get(object_id=r.luroy.translation_key)
    return Request(
        "post",
        reverse("wagtail_localize:update_translations", args=[source.pk]),
        {"publish_translations": "on"},
        lambda: tuple(
            MunicipalityPage.objects.filter(pk=r.en_luroy.pk).values_list(
                "administrative_centre", "live"
            )
        ),
    )


def stop_translation(r):
    translation = _luroy_translation(r)
    return Request(
        "post",
        reverse("wagtail_localize:stop_translation", args=[translation.pk]),
        {"next": reverse("wagtailadmin_pages:edit", args=[r.en_luroy.pk])},
        lambda: Translation.objects.get(pk=translation.pk).enabled,
    )


def preview_translation(r):
    translation = _luroy_translation(r)
    return Request("get", reverse("wagtail_localize:preview_translation", args=[translation.pk]))


def unschedule_revision(r):
    # A new version of the article, approved to go live next week.
    r.article.title = "Sommerjobber"
    r.article.go_live_at = timezone.now() + timedelta(days=7)
    revision = r.article.save_revision()
    revision.publish()
    assert Revision.objects.get(pk=revision.pk).approved_go_live_at is not None
    return Request(
        "post",
        reverse("wagtailadmin_pages:revisions_unschedule", args=[r.article.pk, revision.pk]),
        {},
        lambda: Revision.objects.filter(pk=revision.pk).values_list(
            "approved_go_live_at", flat=True
        )[0],
    )


def set_privacy(r):
    return Request(
        "post",
        reverse("wagtailadmin_pages:set_privacy", args=[r.article.pk]),
        {"restriction_type": "password", "password": "hemmelig"},
        lambda: PageViewRestriction.objects.filter(page_id=r.article.pk).count(),
    )


def unlock_article(r):
    # Locked by someone else: editors may lock, but only publishers break another's lock.
    Page.objects.filter(pk=r.article.pk).update(
        locked=True, locked_by=r.users["superuser"], locked_at=timezone.now()
    )
    return Request(
        "post",
        reverse("wagtailadmin_pages:unlock", args=[r.article.pk]),
        {},
        page_state(r.article.pk, "locked"),
    )


def _in_moderation(r):
    """The article, submitted for approval by the Lurøy editor."""
    r.article.title = "Til godkjenning"
    r.article.save_revision(user=r.users["editor_luroy"])
    return r.article.get_workflow().start(r.article, r.users["editor_luroy"])


def cancel_workflow(r):
    state = _in_moderation(r)
    return Request(
        "post",
        reverse("wagtailadmin_pages:edit", args=[r.article.pk]),
        article_form(r.article, title="Trukket tilbake", **{"cancel-workflow": "cancel"}),
        lambda: WorkflowState.objects.get(pk=state.pk).status,
    )


def approve(r):
    state = _in_moderation(r)
    task_state = state.current_task_state
    return Request(
        "post",
        reverse(
            "wagtailadmin_pages:workflow_action", args=[r.article.pk, "approve", task_state.pk]
        ),
        {"comment": "Godkjent."},
        lambda: TaskState.objects.get(pk=task_state.pk).status,
    )


def _english_alias_of_the_article(r):
    """The article mirrored into the English tree below Lurøy: an untranslated page."""
    en = Locale.objects.get(language_code="en")
    return r.article.create_alias(parent=r.en_luroy, update_locale=en)


def convert_alias(r):
    alias = _english_alias_of_the_article(r)
    return Request(
        "post",
        reverse("wagtailadmin_pages:convert_alias", args=[alias.pk]),
        {},
        page_state(alias.pk, "alias_of_id"),
    )


def convert_alias_same_language(r):
    # A Norwegian page shown in two places is the editors' own business.
    alias = r.article.create_alias(parent=r.luroy, update_slug="bo-i-luroy-speil")
    return Request(
        "post",
        reverse("wagtailadmin_pages:convert_alias", args=[alias.pk]),
        {},
        page_state(alias.pk, "alias_of_id"),
    )


def convert_to_alias(r):
    # Turning the English translation back into a copy of the Norwegian page replaces
    # the live English text and deletes the translation.
    translation = _luroy_translation(r)
    return Request(
        "post",
        reverse("wagtail_localize:convert_to_alias", args=[r.en_luroy.pk]),
        {"next": reverse("wagtailadmin_pages:edit", args=[r.en_luroy.pk])},
        lambda: (
            *page_state(r.en_luroy.pk, "alias_of_id", "title")(),
            Translation.objects.filter(pk=translation.pk).exists(),
        ),
    )


def _luroy_strings(r):
    translation = _luroy_translation(r)
    return lambda: tuple(
        StringTranslation.objects.filter(locale=translation.target_locale)
        .order_by("pk")
        .values_list("translation_of_id", "data")
    )


def machine_translate(r):
    # One text of the English page (its title) is not translated yet.
    translation = _luroy_translation(r)
    title = StringSegment.objects.get(source=translation.source, context__path="title")
    StringTranslation.objects.filter(
        translation_of_id=title.string_id, locale=translation.target_locale
    ).delete()
    return Request(
        "post",
        reverse("wagtail_localize:machine_translate", args=[translation.pk]),
        {"next": reverse("wagtailadmin_pages:edit", args=[r.en_luroy.pk])},
        _luroy_strings(r),
    )


def download_po(r):
    translation = _luroy_translation(r)
    return Request("get", reverse("wagtail_localize:download_pofile", args=[translation.pk]))


def upload_po(r):
    # The file a translator downloaded, with a new English title.
    translation = _luroy_translation(r)
    po = polib.pofile(export_po(translation))
    next(entry for entry in po if entry.msgctxt == "title").msgstr = "Lurøy, by the sea"
    upload = SimpleUploadedFile("luroy-en.po", str(po).encode(), content_type="text/x-gettext")
    return Request(
        "post",
        reverse("wagtail_localize:upload_pofile", args=[translation.pk]),
        {"file": upload, "next": reverse("wagtailadmin_pages:edit", args=[r.en_luroy.pk])},
        _luroy_strings(r),
    )


def upload_image(collection_name):
    def case(r):
        collection = r.collections[collection_name]
        return Request(
            "post",
            reverse("wagtailimages:add"),
            {"title": "Lovund", "file": png(), "collection": str(collection.pk)},
            lambda: get_image_model().objects.filter(collection=collection).count(),
        )

    return case


def upload_document(r):
    collection = r.collections["Lurøy"]
    return Request(
        "post",
        reverse("wagtaildocs:add"),
        {
            "title": "Kart",
            "file": SimpleUploadedFile("kart.txt", b"Lovund", content_type="text/plain"),
            "collection": str(collection.pk),
        },
        lambda: get_document_model().objects.filter(collection=collection).count(),
    )


# Where a denied request is not refused but has a harmless outcome, so that only the
# database is checked: an editor's "publish" saves a draft instead (Wagtail offers them
# no publish button), and an upload into another municipality's collection lands in the
# editor's own collection, the only one their upload form offers.
HARMLESS = {
    ("publish", "editor_luroy"),
    ("publish_in_another_region", "editor_vefsn"),
    ("upload_image_luroy", "editor_rana"),
    ("upload_image_rana", "editor_luroy"),
    ("upload_document_luroy", "editor_rana"),
    # The second region's people upload into their own collections, never Lurøy's or Rana's.
    *(
        (case, role)
        for case in ("upload_image_luroy", "upload_image_rana", "upload_document_luroy")
        for role in ("editor_vefsn", "coordinator_mosjoen")
    ),
}

CASES = {
    # case name: (request builder, roles that may)
    "edit": (edit_article, LUROY),
    "publish": (publish_article, PUBLISHERS),
    "submit_for_approval": (submit_article, LUROY),
    "unpublish": (unpublish_article, PUBLISHERS),
    "move": (move_article, PUBLISHERS),
    "delete_live_page": (delete_live_article, PUBLISHERS),
    "delete_draft": (delete_draft, LUROY),
    "copy": (copy_article, LUROY),
    "add_child": (add_article, LUROY),
    "revert_revision": (revert_revision, LUROY),
    "view_revision": (view_revision, LUROY),
    "compare_revisions": (compare_revisions, LUROY),
    "preview": (preview_draft, LUROY),
    "history": (view_history, LUROY),
    "lock": (lock_article, LUROY),
    "unlock_another_users_lock": (unlock_article, PUBLISHERS),
    "unschedule": (unschedule_revision, PUBLISHERS),
    "set_privacy": (set_privacy, PUBLISHERS),
    "cancel_workflow": (cancel_workflow, LUROY),
    "approve": (approve, PUBLISHERS),
    "convert_alias": (convert_alias, PUBLISHERS),
    "convert_alias_same_language": (convert_alias_same_language, LUROY),
    "convert_to_alias": (convert_to_alias, PUBLISHERS),
    "machine_translate": (machine_translate, TRANSLATING),
    "download_po": (download_po, TRANSLATING),
    "upload_po": (upload_po, TRANSLATING),
    "translate_string": (translate_string, TRANSLATING),
    "publish_translation": (publish_translation, PUBLISHERS),
    "submit_translation": (submit_translation, PUBLISHERS),
    "sync_and_publish_translations": (sync_and_publish_translations, PUBLISHERS),
    "stop_translation": (stop_translation, PUBLISHERS),
    "preview_translation": (preview_translation, TRANSLATING),
    "upload_image_luroy": (upload_image("Lurøy"), LUROY),
    "upload_image_rana": (upload_image("Rana"), RANA),
    "upload_document_luroy": (upload_document, LUROY),
    "edit_in_another_region": (edit_vefsn_article, VEFSN),
    "publish_in_another_region": (publish_vefsn_article, VEFSN_PUBLISHERS),
}


def send(client, request: Request):
    kwargs = {}
    if request.content_type:
        kwargs["content_type"] = request.content_type
    return getattr(client, request.method)(request.url, request.data, **kwargs)


def is_refusal(response) -> bool:
    """Wagtail refuses with 403, or by sending the user to log in or to the dashboard."""
    if response.status_code == 403:
        return True
    if response.status_code == 302:
        location = response["Location"]
        return location.startswith(reverse("wagtailadmin_login")) or location == reverse(
            "wagtailadmin_home"
        )
    return False


# The most queries one request may take: a guard against a query per row creeping in.
# The heaviest allowed ones (starting a translation, synchronising and publishing one)
# take about 220; a refusal takes at most about 30, since nothing is done.
MAX_QUERIES = 250
MAX_QUERIES_REFUSED = 40


@pytest.fixture(autouse=True)
def _machine_translator(settings):
    # Any machine translator will do: the question is who may use it, not what it says.
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.dummy.DummyTranslator"
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", list(CASES))
def test_admin_action(region, client_for, case, role, django_assert_max_num_queries):
    build, allowed = CASES[case]
    request = build(region)
    client = client_for(region.users[role])
    before = request.probe() if request.probe else None

    refused = role not in allowed and (case, role) not in HARMLESS
    with django_assert_max_num_queries(MAX_QUERIES_REFUSED if refused else MAX_QUERIES):
        response = send(client, request)

    if role in allowed:
        assert not is_refusal(response), (case, role, response.status_code)
        assert response.status_code in {200, 201, 302}, response.status_code
        if request.probe:
            assert request.probe() != before, f"{role} was allowed {case} but nothing changed"
    else:
        if (case, role) not in HARMLESS:
            assert is_refusal(response), (case, role, response.status_code)
        if request.probe:
            assert request.probe() == before, f"{role} was refused {case} but it happened"


@pytest.mark.parametrize(("role", "offered"), [("editor_luroy", False), ("coordinator", True)])
def test_convert_to_alias_is_offered_only_to_those_who_may(
    region, client_for, role, offered, django_assert_max_num_queries
):
    """After a translation is stopped, the English page opens in the ordinary editor, whose
    menu offers to turn it back into a copy of the Norwegian page; only publishers may."""
    Translation.objects.filter(pk=_luroy_translation(region).pk).update(enabled=False)
    client = client_for(region.users[role])
    with django_assert_max_num_queries(150):
        response = client.get(reverse("wagtailadmin_pages:edit", args=[region.en_luroy.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "localize-restart-translation" in content  # the ordinary editor's menu
    assert ('name="localize-convert-to-alias"' in content) is offered


API_WRITES = [
    ("post", "/api/v1/entries"),
    ("put", "/api/v1/entries/1"),
    ("patch", "/api/v1/pages/1"),
    ("delete", "/api/v1/pages/1"),
    ("post", "/api/v1/municipalities"),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), API_WRITES)
def test_the_partner_api_refuses_every_write(region, client_for, role, method, path):
    client = client_for(region.users[role])
    pages_before = Page.objects.count()
    response = getattr(client, method)(path, {}, content_type="application/json")
    assert response.status_code == 405
    assert Page.objects.count() == pages_before
