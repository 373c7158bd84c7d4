"""Who may change what, asked over HTTP: every content-changing admin and API endpoint, for
every role.

Each case names the roles that may perform it. For every role the test takes a snapshot
of what the action would change, sends the request, and asserts that the database changed
(allowed) or did not change and the request was refused (denied). Reading endpoints that
show unpublished content (preview, revisions, compare, translation preview) are included:
Wagtail's security advisories of recent years were mostly gaps in exactly these.
"""

import io
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, WorkflowState

import pytest
from PIL import Image as PILImage
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from region_pages.models import MunicipalityPage

from ..factories import ArticlePageFactory
from .conftest import article_form

ROLES = ["anonymous", "editor_luroy", "editor_rana", "coordinator", "translator", "superuser"]
LUROY = {"editor_luroy", "coordinator", "superuser"}
RANA = {"editor_rana", "coordinator", "superuser"}
PUBLISHERS = {"coordinator", "superuser"}
TRANSLATING = {"editor_luroy", "translator", "coordinator", "superuser"}


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
    ("upload_image_luroy", "editor_rana"),
    ("upload_image_rana", "editor_luroy"),
    ("upload_document_luroy", "editor_rana"),
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
    "translate_string": (translate_string, TRANSLATING),
    "publish_translation": (publish_translation, PUBLISHERS),
    "submit_translation": (submit_translation, PUBLISHERS),
    "sync_and_publish_translations": (sync_and_publish_translations, PUBLISHERS),
    "stop_translation": (stop_translation, PUBLISHERS),
    "preview_translation": (preview_translation, TRANSLATING),
    "upload_image_luroy": (upload_image("Lurøy"), LUROY),
    "upload_image_rana": (upload_image("Rana"), RANA),
    "upload_document_luroy": (upload_document, LUROY),
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


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", list(CASES))
def test_admin_action(region, client_for, case, role):
    build, allowed = CASES[case]
    request = build(region)
    client = client_for(region.users[role])
    before = request.probe() if request.probe else None

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
