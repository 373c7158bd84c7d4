"""The whole content as one JSON document, and back: for backups and for moving a site.

The document holds every row of the content tables (pages in both languages, revisions,
translations, images and documents with their files, collections, users and groups,
workflows, comments, redirects, the read model...) with their primary keys. Content types
and permissions are written by name, since another database numbers them differently.
Derived tables (the search index, the reference index, image renditions) and operational
ones (sessions, login attempts, editing sessions) are left out; the search and reference
indexes are rebuilt after an import.

An import replaces the content of the database it runs in, in one transaction.
"""

import base64
import io
import json
from contextlib import contextmanager
from datetime import UTC, datetime, time

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models.signals import m2m_changed, post_save, pre_save

FORMAT = "ranaregionen-content"
VERSION = 1

# Not content: recreated by migrate, per installation, or by the running site.
EXCLUDED_APPS = {"contenttypes", "sessions", "axes", "admin"}
EXCLUDED_MODELS = {
    "auth.permission",
    "wagtailadmin.admin",
    "wagtailadmin.editingsession",
    "wagtailadmin.formstate",
    "wagtailcore.uploadedfile",
}
# Derived from the content; emptied on import and rebuilt (or regenerated on demand).
DERIVED_MODELS = {
    "wagtailimages.rendition",
    "wagtailsearch.indexentry",
    "wagtailsearch.sqliteftsindexentry",
    "wagtailcore.referenceindex",
    "region_pages.readability",  # the plain-language findings, checked again when asked
    "editorial.brokenlink",  # the nightly link check finds them again
}


class BackupError(Exception):
    pass


def _label(model) -> str:
    return model._meta.label_lower


def _concrete_models():
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        yield model


def content_models() -> list[type[models.Model]]:
    """The models whose rows are content, parents before the rows that refer to them."""
    chosen = [
        model
        for model in _concrete_models()
        if model._meta.app_label not in EXCLUDED_APPS
        and _label(model) not in EXCLUDED_MODELS | DERIVED_MODELS
    ]
    by_app: dict = {}
    for model in chosen:
        by_app.setdefault(apps.get_app_config(model._meta.app_label), []).append(model)
    return serializers.sort_dependencies(by_app.items(), allow_cycles=True)


def derived_models() -> list[type[models.Model]]:
    return [model for model in _concrete_models() if _label(model) in DERIVED_MODELS]


def _reference_fields(model) -> tuple[list[str], list[str]]:
    """The names of the model's foreign keys and many-to-many fields to content types and
    permissions: these are written by name."""
    to_content_type, to_permission = [], []
    for field in model._meta.get_fields():
        if not (field.is_relation and field.concrete):
            continue
        if field.related_model is ContentType:
            to_content_type.append(field.name)
        elif field.related_model is Permission:
            to_permission.append(field.name)
    return to_content_type, to_permission


def _file_fields(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def export_content(*, include_media: bool = True) -> dict:
    """The content of the database as a JSON-serialisable document."""
    content_types = {ct.pk: [ct.app_label, ct.model] for ct in ContentType.objects.all()}
    permissions = {
        p.pk: [p.content_type.app_label, p.content_type.model, p.codename]
        for p in Permission.objects.select_related("content_type")
    }
    objects, media, counts = [], {}, {}
    for model in content_models():
        to_ct, to_perm = _reference_fields(model)
        files = _file_fields(model)
        rows = serializers.serialize("python", model._base_manager.order_by("pk"))
        counts[_label(model)] = len(rows)
        for row in rows:
            fields = row["fields"]
            for name in to_ct:
                if fields.get(name) is not None:
                    fields[name] = content_types[fields[name]]
            for name in to_perm:
                value = fields.get(name)
                if isinstance(value, list):
                    fields[name] = [permissions[pk] for pk in value]
                elif value is not None:
                    fields[name] = permissions[value]
            if include_media:
                for name in files:
                    path = fields.get(name)
                    if path and path not in media and default_storage.exists(path):
                        with default_storage.open(path, "rb") as handle:
                            media[path] = base64.b64encode(handle.read()).decode("ascii")
            objects.append(row)
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": datetime.now(UTC).isoformat(),
        "counts": counts,
        "objects": objects,
        "media": media,
    }


class _Encoder(DjangoJSONEncoder):
    """Django's encoder, but keeping microseconds: publish times are compared to the
    microsecond (which translation is newer), so a backup must not round them."""

    def default(self, o):
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


def to_json(document: dict) -> str:
    return json.dumps(document, cls=_Encoder, ensure_ascii=False, indent=1)


def write_export(stream, *, include_media: bool = True) -> dict:
    document = export_content(include_media=include_media)
    stream.write(to_json(document))
    return document["counts"]


def _check_document(document) -> None:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError("This file is not a content export of this site.")
    if document.get("version") != VERSION:
        raise BackupError(
            f"This export has version {document.get('version')}; this site reads version {VERSION}."
        )


def _check_manifest(document) -> None:
    """The file's own count of rows per table must match its rows: a file cut short or
    edited by hand is refused before anything is deleted (an import replaces everything,
    the change feed included, so a missing table would lose it)."""
    declared = document.get("counts")
    objects = document.get("objects")
    if not isinstance(declared, dict) or not isinstance(objects, list):
        raise BackupError(
            "This export has no table of contents (counts) or no rows: it is not a whole "
            "export. Nothing was changed."
        )
    found: dict[str, int] = {}
    for row in objects:
        label = row.get("model") if isinstance(row, dict) else None
        found[label] = found.get(label, 0) + 1
    declared = {label: count for label, count in declared.items() if count}
    if found != declared:
        differences = [
            f"{label}: {declared.get(label, 0)} listed, {found.get(label, 0)} in the file"
            for label in sorted(set(declared) | set(found), key=str)
            if declared.get(label, 0) != found.get(label, 0)
        ]
        raise BackupError(
            "This export does not hold what its table of contents lists ("
            + "; ".join(differences)
            + "). It may be cut short or edited. Nothing was changed; use a whole export."
        )


def _resolve(document) -> list[dict]:
    """The rows with content types and permissions turned back into this database's keys."""
    content_types = {(ct.app_label, ct.model): ct.pk for ct in ContentType.objects.all()}
    permissions = {
        (p.content_type.app_label, p.content_type.model, p.codename): p.pk
        for p in Permission.objects.select_related("content_type")
    }

    def content_type(value):
        key = tuple(value)
        if key not in content_types:
            # A model this code base does not have (yet): create its content type.
            content_types[key] = ContentType.objects.get_or_create(app_label=key[0], model=key[1])[
                0
            ].pk
        return content_types[key]

    def permission(value):
        key = tuple(value)
        if key not in permissions:
            raise BackupError(f"The permission {'.'.join(key)} does not exist here.")
        return permissions[key]

    fields_by_model = {}
    rows = []
    for row in document["objects"]:
        label = row["model"]
        if label not in fields_by_model:
            try:
                model = apps.get_model(label)
            except LookupError as error:
                raise BackupError(f"This site has no model {label}.") from error
            fields_by_model[label] = _reference_fields(model)
        to_ct, to_perm = fields_by_model[label]
        fields = row["fields"]
        for name in to_ct:
            if fields.get(name) is not None:
                fields[name] = content_type(fields[name])
        for name in to_perm:
            value = fields.get(name)
            if isinstance(value, list) and value and isinstance(value[0], list):
                fields[name] = [permission(item) for item in value]
            elif isinstance(value, list) and value:
                fields[name] = permission(value)
        rows.append(row)
    return rows


@contextmanager
def _quiet_model_signals():
    """No save signals while rows are restored: the rows arrive in dependency order, not as
    an editor makes them, and everything the handlers derive is in the document itself or
    rebuilt afterwards. (Not every handler checks Django's `raw` flag.)"""
    signals = [pre_save, post_save, m2m_changed]
    saved = [(signal, signal.receivers) for signal in signals]
    try:
        for signal in signals:
            signal.receivers = []
            signal.sender_receivers_cache.clear()
        yield
    finally:
        for signal, receivers in saved:
            signal.receivers = receivers
            signal.sender_receivers_cache.clear()


def has_content() -> bool:
    from wagtail.models import Page

    return Page.objects.filter(depth__gt=1).exists()


@transaction.atomic
def import_content(document: dict, *, rebuild_indexes: bool = True) -> dict[str, int]:
    """Replace the content of this database with the document's. Returns rows per model."""
    _check_document(document)
    _check_manifest(document)
    rows = _resolve(document)
    wiped = content_models() + derived_models()
    for model in reversed(wiped):
        model._base_manager.all()._raw_delete(model._base_manager.db)

    counts: dict[str, int] = {}
    with _quiet_model_signals():
        for deserialized in serializers.deserialize("python", rows, ignorenonexistent=True):
            deserialized.save()
            label = _label(type(deserialized.object))
            counts[label] = counts.get(label, 0) + 1

    for path, data in document.get("media", {}).items():
        if default_storage.exists(path):
            default_storage.delete(path)
        saved = default_storage.save(path, ContentFile(base64.b64decode(data)))
        if saved != path:
            raise BackupError(f"Could not restore the file {path} under its own name.")

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), content_models()):
            cursor.execute(statement)
    connection.check_constraints()

    if rebuild_indexes:
        quiet = io.StringIO()
        call_command("rebuild_references_index", stdout=quiet)
        call_command("update_index", stdout=quiet, stderr=quiet)
    return counts
