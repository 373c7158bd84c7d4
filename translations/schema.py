"""Quiet wagtail-localize's "data model has changed" warning when nothing changed for translators.

wagtail-localize stores the name of the app's latest migration with each source and warns
in the translation editor whenever the app has a newer one, though most migrations (a new
index, a help text, another model) change nothing that is translated. After every
`migrate`, a source whose snapshot already holds every translatable field of its model is
brought up to the current migration name; a source that lacks a field added since keeps
the warning, since that field's text really is missing until the next sync.
"""

import json

from wagtail_localize.fields import get_translatable_fields
from wagtail_localize.models import TranslationSource, get_schema_version


def refresh_schema_versions() -> int:
    """Update the schema version of the sources whose snapshot is complete; return how many."""
    current: dict[str, str] = {}
    updated = 0
    for source in (
        TranslationSource.objects.exclude(schema_version="")
        .select_related("specific_content_type")
        .only("id", "schema_version", "content_json", "specific_content_type")
        .iterator()
    ):
        content_type = source.specific_content_type
        app_label = content_type.app_label
        if app_label not in current:
            current[app_label] = get_schema_version(app_label)
        if not current[app_label] or source.schema_version == current[app_label]:
            continue
        model = content_type.model_class()
        if model is None:
            continue
        snapshot = json.loads(source.content_json)
        names = [translatable.field_name for translatable in get_translatable_fields(model)]
        if all(name in snapshot for name in names):
            TranslationSource.objects.filter(pk=source.pk).update(schema_version=current[app_label])
            updated += 1
    return updated
