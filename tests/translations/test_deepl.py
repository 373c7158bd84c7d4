"""DeepL through wagtail-localize, against a DeepL API on loopback speaking its wire format."""

from django.utils import translation

from wagtail.models import Locale

import pytest
from wagtail_localize.machine_translators import get_machine_translator
from wagtail_localize.models import StringTranslation, Translation
from wagtail_localize.strings import StringValue

from translations.deepl import DeepLError, RegionDeepLTranslator, protect, unprotect
from translations.machine import machine_translate_page
from translations.status import Status, page_statuses

from .conftest import machine_strings, translate


def test_the_request_speaks_deepls_wire_format(deepl, locales):
    translator = get_machine_translator()
    assert isinstance(translator, RegionDeepLTranslator)
    nb, en = locales
    result = translator.translate(nb, en, [StringValue("Fire kommuner på Helgeland.")])
    (request,) = deepl.requests
    assert request["path"] == "/v2/translate"
    assert request["authorization"] == "DeepL-Auth-Key test-key:fx"
    assert request["content_type"].startswith("application/json")
    body = request["body"]
    assert body["text"] == ["Fire kommuner på Helgeland."]
    assert body["source_lang"] == "NB"
    assert body["target_lang"] == "EN-GB"
    assert body["tag_handling"] == "xml"
    assert body["ignore_tags"] == ["x"]
    assert body["formality"] == "prefer_more"
    assert "glossary_id" not in body
    assert [value.data for value in result.values()] == ["Four municipalities in Helgeland."]


def test_a_glossary_id_is_sent_when_configured(deepl, locales, settings):
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR["OPTIONS"]["GLOSSARY_ID"] = "def3a26b-3e84"
    nb, en = locales
    get_machine_translator().translate(nb, en, [StringValue("Tekst")])
    assert deepl.requests[-1]["body"]["glossary_id"] == "def3a26b-3e84"


def test_region_terms_are_not_translated(deepl, locales):
    nb, en = locales
    value = StringValue("Prosessindustri i Mo Industripark.")
    (result,) = get_machine_translator().translate(nb, en, [value]).values()
    assert deepl.requests[-1]["body"]["text"] == ["Prosessindustri i <x>Mo Industripark</x>."]
    assert result.data == "Process industry in Mo Industripark."


def test_protection_leaves_markup_and_longer_words_alone():
    terms = ["Rana", "Mo i Rana"]
    assert protect('<a id="a1">Rana</a> og Ranaregionen', terms) == (
        '<a id="a1"><x>Rana</x></a> og Ranaregionen'
    )
    assert protect("Bo i Mo i Rana.", terms) == "Bo i <x>Mo i Rana</x>."
    assert unprotect(protect("Bo i Mo i Rana.", terms)) == "Bo i Mo i Rana."


def test_many_texts_are_sent_in_batches_of_fifty(deepl, locales):
    nb, en = locales
    strings = [StringValue(f"Tekst {index}") for index in range(120)]
    result = get_machine_translator().translate(nb, en, strings)
    assert [len(request["body"]["text"]) for request in deepl.requests] == [50, 50, 20]
    assert result[strings[119]].data == "Text 119"


def test_the_api_address_follows_the_key_unless_configured():
    assert RegionDeepLTranslator({"AUTH_KEY": "abc:fx"}).get_api_endpoint() == (
        "https://api-free.deepl.com/v2/translate"
    )
    assert RegionDeepLTranslator({"AUTH_KEY": "abc"}).get_api_endpoint() == (
        "https://api.deepl.com/v2/translate"
    )
    assert (
        RegionDeepLTranslator(
            {"AUTH_KEY": "abc", "API_URL": "http://127.0.0.1:9/"}
        ).get_api_endpoint()
        == "http://127.0.0.1:9/v2/translate"
    )


def test_languages_deepl_does_not_offer_are_refused(settings):
    translator = RegionDeepLTranslator({"AUTH_KEY": "k"})
    nb, en, nn = Locale(language_code="nb"), Locale(language_code="en"), Locale(language_code="nn")
    assert translator.can_translate(nb, en)
    assert not translator.can_translate(nb, nn)
    assert not translator.can_translate(en, Locale(language_code="en-gb"))


@pytest.mark.parametrize(
    ("status", "words"),
    [(403, "refused the API key"), (429, "too many requests"), (456, "quota")],
)
def test_deepl_errors_leave_the_translation_untouched_and_say_why(deepl, rana, status, words):
    english = translate(rana, texts={"Rana er en industrikommune.": "Rana is industrial."})
    before = dict(StringTranslation.objects.filter(locale=english.locale).values_list("id", "data"))
    revisions = english.revisions.count()
    # A new Norwegian text, so that there is something to translate.
    rana.intro = "Rana er en industrikommune i nord."
    rana.save_revision().publish()
    if status == 403:
        deepl.auth_key, original = "another-key", deepl.auth_key
    else:
        deepl.fail_next(status)
    try:
        with translation.override("en"), pytest.raises(DeepLError) as raised:
            machine_translate_page(rana, "en")
    finally:
        if status == 403:
            deepl.auth_key = original
    assert raised.value.status == status
    with translation.override("en"):
        assert words in str(raised.value.message)
    after = dict(StringTranslation.objects.filter(locale=english.locale).values_list("id", "data"))
    assert after == before
    assert english.revisions.count() == revisions
    # Not even the sync of the source survives the failure.
    assert page_statuses(page_ids=[rana.pk])[0].status == Status.OUTDATED


def test_deepl_unreachable_is_a_clear_error(settings, rana, locales):
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "translations.deepl.RegionDeepLTranslator",
        "OPTIONS": {"AUTH_KEY": "k", "API_URL": "http://127.0.0.1:9", "TIMEOUT": 1},
    }
    with translation.override("en"), pytest.raises(DeepLError) as raised:
        machine_translate_page(rana, "en")
    with translation.override("en"):
        assert "DeepL did not answer" in str(raised.value.message)
    assert not Translation.objects.exists()


def test_officer_flow_missing_then_machine_then_in_sync(deepl, rana, admin_user):
    """Publish in Norwegian, ask for machine translation, review and publish the English."""
    assert page_statuses(page_ids=[rana.pk])[0].status == Status.MISSING
    count = machine_translate_page(rana, "en", user=admin_user)
    assert count == machine_strings(rana).count() > 0
    row = page_statuses(page_ids=[rana.pk])[0]
    assert row.status == Status.MACHINE and not row.target_live
    assert all(s.tool_name == "DeepL" for s in machine_strings(rana))
    english = rana.get_translation(Locale.objects.get(language_code="en"))
    assert not english.live
    # The officer reviews in the translation editor and publishes (a revision by them).
    translation_record = Translation.objects.get(target_locale=english.locale)
    translation_record.save_target(user=admin_user, publish=False)
    english.refresh_from_db()
    english.get_latest_revision().publish()
    row = page_statuses(page_ids=[rana.pk])[0]
    assert row.status == Status.IN_SYNC and row.target_live
    english = english.specific_class.objects.get(pk=english.pk)
    assert english.intro == "Rana is a industrial municipality."


def test_machine_translation_never_replaces_a_translation_made_by_a_person(deepl, rana):
    translate(rana, texts={"Rana er en industrikommune.": "Rana, an industrial town."})
    rana.title = "Rana kommune"
    rana.save_revision().publish()
    assert machine_translate_page(rana, "en") == 1
    kept = StringTranslation.objects.get(data="Rana, an industrial town.")
    assert kept.translation_type != StringTranslation.TRANSLATION_TYPE_MACHINE
