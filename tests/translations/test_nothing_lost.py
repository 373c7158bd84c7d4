"""Nothing lost: syncing keeps valid English, overrides survive, manual edits survive a restart."""

import json

from django.urls import reverse

from wagtail.models import Locale

from wagtail_localize.models import (
    OverridableSegment,
    SegmentOverride,
    StringTranslation,
    Translation,
)

from tests import factories

from .conftest import publish, sync, translate


def test_resync_after_a_source_change_keeps_every_still_valid_english_segment(home):
    translate(home)
    article = publish(
        factories.ArticlePageFactory(
            parent=home,
            slug="bolig",
            intro="Om bolig.",
            body=[
                factories.paragraph("Første avsnitt."),
                factories.paragraph("Andre avsnitt."),
            ],
        )
    )
    texts = {
        "Om bolig.": "About housing.",
        "Første avsnitt.": "First paragraph.",
        "Andre avsnitt.": "Second paragraph.",
    }
    translate(article, texts=texts)
    body = article.body.raw_data
    body[1]["value"] = "<p>Andre avsnitt, endret.</p>"
    article.body = body
    publish(article)
    english = sync(article)
    rendered = str(english.body)
    assert english.intro == "About housing."
    assert "First paragraph." in rendered
    assert "Andre avsnitt, endret." in rendered  # new text waits for translation
    # The translation of the old text is kept for reference (and for the PO export).
    assert StringTranslation.objects.filter(data="Second paragraph.").exists()


def test_an_override_of_a_synchronised_field_survives_a_resync(rana):
    english = translate(rana)
    segment = OverridableSegment.objects.get(
        source__object_id=rana.translation_key, context__path="website"
    )
    SegmentOverride.objects.create(
        locale=english.locale,
        context=segment.context,
        data_json=json.dumps("https://www.rana.kommune.no/en/"),
    )
    english = sync(rana)
    assert english.website == "https://www.rana.kommune.no/en/"
    rana.intro = "Ny ingress."
    rana.website = "https://www.rana.kommune.no/ny/"
    publish(rana)
    english = sync(rana)
    assert english.website == "https://www.rana.kommune.no/en/"
    assert SegmentOverride.objects.filter(locale=english.locale).count() == 1


def test_every_sync_keeps_the_previous_english_version_as_a_revision(rana):
    english = translate(rana)
    before = english.live_revision
    rana.intro = "Ny ingress."
    publish(rana)
    english = sync(rana)
    assert english.live_revision_id != before.pk
    restorable = before.as_object()
    assert restorable.intro == "EN: " + "Rana er en industrikommune."


def stop(english):
    Translation.objects.filter(
        source__object_id=english.translation_key, target_locale=english.locale
    ).update(enabled=False)


def test_restarting_a_stopped_translation_keeps_the_manual_edits(client, admin_user, home, rana):
    translate(home)
    english = translate(rana)
    stop(english)
    # Edited by hand in the ordinary editor while the sync was stopped.
    english.intro = "Rana: steel, mountains and the Arctic Circle."
    english.save_revision(user=admin_user).publish()
    client.force_login(admin_user)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[english.pk]),
        {"localize-restart-translation": "1"},
    )
    assert response.status_code == 302
    translation = Translation.objects.get(
        source__object_id=rana.translation_key, target_locale=english.locale
    )
    assert translation.enabled
    kept = StringTranslation.objects.get(
        locale=english.locale, context__path="intro", translation_of__data=rana.intro
    )
    assert kept.data == "Rana: steel, mountains and the Arctic Circle."
    assert kept.translation_type == StringTranslation.TRANSLATION_TYPE_MANUAL
    assert kept.last_translated_by == admin_user
    # The next sync builds the page from the translation memory: the edit is still there.
    english = sync(rana)
    assert english.intro == "Rana: steel, mountains and the Arctic Circle."


def test_a_part_that_has_no_norwegian_counterpart_is_named_and_kept_in_history(
    client, admin_user, home, rana
):
    translate(home)
    english = translate(rana)
    stop(english)
    body = english.body.raw_data
    body.append(factories.paragraph("Only in English."))
    english.body = body
    revision = english.save_revision(user=admin_user)
    revision.publish()
    client.force_login(admin_user)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[english.pk]),
        {"localize-restart-translation": "1"},
        follow=True,
    )
    messages = [str(message) for message in response.context["messages"]]
    added_id = body[-1]["id"]
    assert any(f"body.{added_id}" in message for message in messages)
    assert "Only in English." in str(revision.as_object().body)


def test_text_still_in_norwegian_is_not_taken_for_a_translation(client, admin_user, home):
    translate(home)
    article = publish(factories.ArticlePageFactory(parent=home, slug="a", intro="Norsk."))
    english = translate(article)
    StringTranslation.objects.filter(data="EN: Norsk.").delete()
    english = sync(article)
    assert english.intro == "Norsk."
    stop(english)
    client.force_login(admin_user)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[english.pk]),
        {"localize-restart-translation": "1"},
    )
    en = Locale.objects.get(language_code="en")
    assert not StringTranslation.objects.filter(locale=en, data="Norsk.").exists()
