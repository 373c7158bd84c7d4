"""The status matrix: missing, machine-translated, out of date (naming fields), in sync."""

import json

from django.core.management import CommandError, call_command
from django.utils import translation

from wagtail.models import Locale

import pytest

from tests import factories
from translations.status import REGION, Status, counts, page_statuses

from .conftest import machine_strings, publish, sync, translate


def status_of(page, language="en"):
    rows = [row for row in page_statuses() if row.page_id == page.pk and row.language == language]
    assert len(rows) == 1
    return rows[0]


def test_a_published_norwegian_page_without_english_is_missing(rana):
    row = status_of(rana)
    assert row.status == Status.MISSING
    assert row.municipality == "Rana" and row.municipality_number == "1833"
    assert row.target_page_id is None


def test_a_translated_and_published_page_is_in_sync(rana):
    english = translate(rana)
    row = status_of(rana)
    assert row.status == Status.IN_SYNC
    assert row.target_page_id == english.pk and row.target_live
    assert row.segments == row.translated > 0
    assert row.changed_fields == []


def test_changing_the_norwegian_intro_makes_it_out_of_date_naming_the_field(rana):
    translate(rana)
    rana.intro = "Rana er en ny kommune."
    publish(rana)
    row = status_of(rana)
    assert row.status == Status.OUTDATED
    assert [changed.name for changed in row.changed_fields] == ["intro"]
    with translation.override("en"):
        assert row.changed_fields_display == "introduction"
    with translation.override("nb"):
        assert row.changed_fields_display == "ingress"


def test_changing_one_block_names_the_body_and_the_block(rana):
    translate(rana)
    body = rana.body.raw_data
    body[1]["value"]["description"] = "Ny tekst om industrien."
    rana.body = body
    publish(rana)
    (changed,) = status_of(rana).changed_fields
    assert changed.name == "body"
    assert changed.blocks == ["industry"]
    assert changed.code == "body[industry]"
    with translation.override("en"):
        assert str(changed) == "body (Industry)"


def test_republishing_without_changes_keeps_it_in_sync(rana):
    translate(rana)
    publish(rana)
    assert status_of(rana).status == Status.IN_SYNC


def test_syncing_after_a_change_leaves_it_partly_translated_until_translated(rana):
    translate(rana)
    rana.intro = "Rana er en ny kommune."
    publish(rana)
    sync(rana)
    row = status_of(rana)
    assert row.status == Status.INCOMPLETE
    assert row.translated == row.segments - 1


def test_machine_translated_segments_are_unreviewed_until_a_person_publishes(rana, admin_user):
    english = translate(rana)
    machine_strings(rana).count()  # none yet
    from wagtail_localize.models import StringTranslation

    StringTranslation.objects.filter(locale=english.locale).update(translation_type="machine")
    assert status_of(rana).status == Status.MACHINE
    assert status_of(rana).machine_unreviewed == status_of(rana).segments
    # A person publishes the translation (the editor's publish saves a revision by them).
    english.save_revision(user=admin_user).publish()
    assert status_of(rana).status == Status.IN_SYNC


def test_an_english_draft_without_a_publish_is_reported_as_such(rana):
    english = translate(rana)
    english.save_revision()
    assert status_of(rana).status == Status.UNPUBLISHED


def test_an_alias_in_english_counts_as_missing(rana, locales):
    _nb, en = locales
    translate(rana.get_parent())
    rana.copy_for_translation(en, alias=True)
    assert status_of(rana).status == Status.MISSING


def test_filters_by_municipality_status_and_language(rana, nesna, home):
    translate(home)
    translate(rana)
    article = publish(factories.ArticlePageFactory(parent=rana, slug="flytte-til-rana"))
    rows = page_statuses(municipality="1833")
    assert {row.page_id for row in rows} == {rana.pk, article.pk}
    assert {row.page_id for row in page_statuses(municipality="1828")} == {nesna.pk}
    assert {row.page_id for row in page_statuses(municipality=REGION)} == {home.pk}
    missing = page_statuses(status=Status.MISSING)
    assert {row.page_id for row in missing} == {nesna.pk, article.pk}
    assert page_statuses(languages=["en"]) and not page_statuses(languages=["de"])


def test_counts_list_every_status(rana, nesna):
    translate(rana)
    summary = counts(page_statuses())
    assert list(summary) == [str(status) for status in Status.values if status in summary]
    assert set(summary) == set(Status.values)
    assert summary[Status.MISSING] >= 1 and summary[Status.IN_SYNC] == 1


def test_the_matrix_costs_a_fixed_number_of_queries(home, django_assert_max_num_queries):
    for index in range(8):
        page = publish(
            factories.MunicipalityPageFactory(
                parent=home, slug=f"k-{index}", municipality_number=f"18{index:02d}"
            )
        )
        translate(page)
        if index % 2:
            page.intro = "Endret."
            publish(page)
    with django_assert_max_num_queries(14):
        rows = page_statuses()
    assert sum(row.status == Status.OUTDATED for row in rows) == 4


class TestCommand:
    def test_prints_a_table_with_the_changed_fields(self, rana, capsys):
        translate(rana)
        rana.intro = "Endret."
        publish(rana)
        call_command("translation_status")
        out = capsys.readouterr().out
        assert "/ranaregionen/rana/" in out
        assert "outdated" in out
        assert "intro" in out

    def test_json_output(self, rana, capsys):
        call_command("translation_status", "--json")
        data = json.loads(capsys.readouterr().out)
        assert data["counts"]["missing"] >= 1
        (row,) = [page for page in data["pages"] if page["page_id"] == rana.pk]
        assert row["status"] == "missing" and row["language"] == "en"

    def test_fail_on_outdated_fails_only_when_something_is_out_of_date(self, rana, capsys):
        translate(rana)
        call_command("translation_status", "--fail-on-outdated")
        rana.intro = "Endret."
        publish(rana)
        with pytest.raises(CommandError, match="1 translation"):
            call_command("translation_status", "--fail-on-outdated", "--json")

    def test_an_unknown_language_is_a_clear_error(self, rana):
        with pytest.raises(CommandError, match="Unknown language 'de'"):
            call_command("translation_status", "--language", "de")


def test_a_locale_missing_from_the_database_reports_every_page_missing(rana, settings):
    settings.WAGTAIL_CONTENT_LANGUAGES = [*settings.WAGTAIL_CONTENT_LANGUAGES, ("nn", "Nynorsk")]
    assert not Locale.objects.filter(language_code="nn").exists()
    rows = [row for row in page_statuses() if row.language == "nn"]
    assert rows and all(row.status == Status.MISSING for row in rows)
