"""wagtail-localize's "data model has changed" warning only where a field is really missing."""

from wagtail_localize.models import TranslationSource

from translations.schema import refresh_schema_versions

from .conftest import translate


def test_a_complete_snapshot_gets_the_current_schema_version(rana):
    translate(rana)
    source = TranslationSource.objects.get_for_instance(rana)
    current = source.schema_version
    assert current
    TranslationSource.objects.filter(pk=source.pk).update(schema_version="0001_initial_old")
    source.refresh_from_db()
    assert source.schema_out_of_date()
    assert refresh_schema_versions() == 1
    source.refresh_from_db()
    assert source.schema_version == current and not source.schema_out_of_date()


def test_a_snapshot_without_a_translatable_field_keeps_the_warning(rana):
    import json

    translate(rana)
    source = TranslationSource.objects.get_for_instance(rana)
    content = json.loads(source.content_json)
    del content["facts_source"]
    TranslationSource.objects.filter(pk=source.pk).update(
        schema_version="0001_initial_old", content_json=json.dumps(content)
    )
    assert refresh_schema_versions() == 0
    source.refresh_from_db()
    assert source.schema_out_of_date()
