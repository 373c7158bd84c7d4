"""PO files for translators outside the team: round trip, and mismatches refused."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from wagtail.models import Locale

import polib
import pytest
from wagtail_localize.models import StringTranslation, Translation

from translations import po

from .conftest import publish, sync, translate


@pytest.fixture
def rana_translation(home, rana):
    translate(home)
    translate(rana)
    return Translation.objects.get(
        source__object_id=rana.translation_key, target_locale__language_code="en"
    )


def translated_po(text: str, replacements: dict[str, str]) -> bytes:
    catalogue = polib.pofile(text)
    for entry in catalogue:
        if entry.msgid in replacements:
            entry.msgstr = replacements[entry.msgid]
    return str(catalogue).encode()


def test_round_trip_export_translate_import_publish_shows_the_new_text(
    client, admin_user, rana, rana_translation
):
    client.force_login(admin_user)
    response = client.get(reverse("wagtail_localize:download_pofile", args=[rana_translation.pk]))
    assert response.status_code == 200
    exported = response.content.decode()
    assert po.FINGERPRINT in exported and str(rana_translation.uuid) in exported
    data = translated_po(exported, {"Rana er en industrikommune.": "Rana: industry and mountains."})
    response = client.post(
        reverse("wagtail_localize:upload_pofile", args=[rana_translation.pk]) + "?next=/admin/",
        {"file": SimpleUploadedFile("rana-en.po", data)},
        follow=True,
    )
    with translation.override("nb"):
        messages = [str(message) for message in response.context["messages"]]
    assert any("Importerte" in message for message in messages), messages
    imported = StringTranslation.objects.get(data="Rana: industry and mountains.")
    assert imported.translation_type == StringTranslation.TRANSLATION_TYPE_MANUAL
    assert imported.last_translated_by == admin_user
    english = sync(rana)
    page = client.get(english.url).content.decode()
    assert "Rana: industry and mountains." in page


def test_a_stale_po_is_refused_and_changes_nothing(rana, rana_translation):
    exported = po.export_po(rana_translation)
    rana.intro = "Rana er en ny kommune."
    publish(rana)
    rana_translation.source.update_from_db()
    before = list(StringTranslation.objects.values_list("id", "data"))
    data = translated_po(exported, {"Rana er en industrikommune.": "Changed."})
    with translation.override("en"), pytest.raises(po.POMismatch) as refused:
        po.import_po(rana_translation, data)
    with translation.override("en"):
        assert "has changed since this file was exported" in str(refused.value.message)
    assert list(StringTranslation.objects.values_list("id", "data")) == before


def test_a_po_of_another_page_is_refused(home, rana, rana_translation):
    home_translation = Translation.objects.get(
        source__object_id=home.translation_key, target_locale__language_code="en"
    )
    data = translated_po(po.export_po(home_translation), {"Ranaregionen": "The Rana region"})
    before = StringTranslation.objects.count()
    with translation.override("en"), pytest.raises(po.POMismatch) as refused:
        po.import_po(rana_translation, data)
    with translation.override("en"):
        assert "another page or language" in str(refused.value.message)
    assert StringTranslation.objects.count() == before


def test_broken_markup_is_refused_naming_the_text(rana, rana_translation):
    exported = po.export_po(rana_translation)
    data = translated_po(exported, {"Tekst om regionen.": '<a id="a9">Text</a>'})
    with translation.override("en"), pytest.raises(po.POMismatch) as refused:
        po.import_po(rana_translation, data)
    with translation.override("en"):
        assert "Tekst om regionen." in str(refused.value.message)
    assert not StringTranslation.objects.filter(data__contains="a9").exists()


def test_not_a_po_file_is_a_clear_error_and_never_reads_a_server_path(rana_translation):
    with translation.override("en"), pytest.raises(po.POMismatch) as refused:
        po.import_po(rana_translation, b"/etc/passwd")
    with translation.override("en"):
        assert "not a PO file" in str(refused.value.message) or "another page" in str(
            refused.value.message
        )


def test_the_upload_view_tells_the_officer_and_changes_nothing(
    client, admin_user, rana, rana_translation
):
    client.force_login(admin_user)
    before = StringTranslation.objects.count()
    response = client.post(
        reverse("wagtail_localize:upload_pofile", args=[rana_translation.pk]) + "?next=/admin/",
        {"file": SimpleUploadedFile("x.po", b'msgid ""\nmsgstr ""\n')},
        follow=True,
    )
    assert response.status_code == 200
    assert StringTranslation.objects.count() == before
    with translation.override("nb"):
        messages = [str(message) for message in response.context["messages"]]
    assert any("Ingenting ble importert" in message for message in messages), messages
    assert Locale.objects.filter(language_code="en").exists()
