"""The interface every source implements: fetch, parse, validate, upsert.

`fetch` talks HTTP (through `Context.client`) and returns the raw documents; `parse` turns
them into plain records, refusing a payload of the wrong shape; `validate` keeps the
records that make sense and reports the others; `upsert` writes them, and runs inside the
source's transaction (see `sources.pipeline`). Only `upsert` touches the database.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import pydantic

from .errors import PayloadError, RecordProblem
from .http import HttpClient, Response
from .models import SourceState


@dataclass(frozen=True)
class Licence:
    name: str
    url: str


NLOD = Licence("NLOD 2.0", "https://data.norge.no/nlod/no/2.0")
CC_BY_4 = Licence("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
NAV_TERMS = Licence(_("NAV's terms of use"), "https://navikt.github.io/pam-stilling-feed/")


@dataclass
class Counts:
    fetched: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: int = 0

    def __iadd__(self, other: "Counts") -> "Counts":
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    @property
    def changed(self) -> int:
        return self.added + self.updated + self.removed


@dataclass
class Fetched:
    """What `fetch` brought: the documents, or `not_modified` when the service said 304."""

    documents: list[Any] = field(default_factory=list)
    not_modified: bool = False


@dataclass
class Context:
    client: HttpClient
    state: SourceState
    dry_run: bool = False
    sample: bool = False
    now: datetime = field(default_factory=timezone.now)
    progress: Callable[[str, int, int], None] | None = None
    # Validators and cursor to store if (and only if) the run succeeds.
    new_validators: dict = field(default_factory=dict)
    new_cursor: dict | None = None
    counts: Counts = field(default_factory=Counts)
    # What the upsert changed, for `Source.refresh_pages`: the keys of the rows added,
    # updated or closed; the municipalities whose lists changed (vacancies); and the
    # (municipality, sector) figures that moved (workplaces).
    changed_keys: set[str] = field(default_factory=set)
    changed_municipalities: set[str] = field(default_factory=set)
    changed_figures: set[tuple[str, str]] = field(default_factory=set)

    def report(self, stage: str, done: int, total: int) -> None:
        if self.progress:
            self.progress(stage, done, total)

    def conditional_get(self, url: str, *, params=None, headers=None) -> Response:
        """GET with the ETag and Last-Modified of the last good run for this URL."""
        # Keyed without the host, so that a moved endpoint keeps its validators.
        key = urlsplit(url).path + (
            "?" + "&".join(f"{k}={v}" for k, v in sorted(params.items())) if params else ""
        )
        known = self.state.validators.get(key, {})
        headers = dict(headers or {})
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            headers["If-Modified-Since"] = known["last_modified"]
        response = self.client.get(url, params=params, headers=headers)
        if response.status == 200:
            fresh = {
                name: response.headers[header]
                for name, header in (("etag", "etag"), ("last_modified", "last-modified"))
                if response.headers.get(header)
            }
            self.new_validators[key] = fresh
        return response


class Source:
    """One open data source. Subclasses set the class attributes and the four steps."""

    name: str = ""
    label = ""
    publisher = ""
    licence: Licence = NLOD
    # What the pages say where the data is shown, and below it when it is sample data.
    credit = ""
    sample_note = _("Sample data: these are invented examples, not real figures.")

    def fetch(self, ctx: Context) -> Fetched:
        raise NotImplementedError

    def parse(self, fetched: Fetched, ctx: Context) -> list:
        raise NotImplementedError

    def validate(self, records: list, ctx: Context) -> tuple[list, list[RecordProblem]]:
        return records, []

    def upsert(self, records: list, ctx: Context) -> Counts:
        raise NotImplementedError

    def on_not_modified(self, ctx: Context) -> Counts:
        """Called instead of parse/validate/upsert when the service answered 304."""
        return Counts()

    def refresh_pages(self, ctx: Context) -> int:
        """After a run that changed data: bring the pages that show it in step (their
        entries, the change feed, the CDN; see `sources.pages`). Runs in the source's
        transaction; returns how many pages it refreshed."""
        return 0


# ---- helpers the adapters share ------------------------------------------------------------


def as_url(value: str | None) -> str:
    """A register's web address as a link: registers often leave out the scheme."""
    value = (value or "").strip()
    if not value:
        return ""
    if not value.startswith(("http://", "https://")):
        value = "https://" + value
    return value[:500]


def shaped(model: type[pydantic.BaseModel], document, url: str = ""):
    """Validate a decoded document against the shape the adapter expects."""
    try:
        return model.model_validate(document)
    except pydantic.ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top)"
        raise PayloadError(
            _(
                "The answer from %(url)s does not have the expected shape: %(where)s: "
                "%(reason)s (%(count)s problems in all). The service may have changed its "
                "format; the last good data is kept."
            ),
            url=url or model.__name__,
            where=where,
            reason=first["msg"],
            count=error.error_count(),
        ) from error


def sync_snapshot(
    model: type[models.Model],
    records: Iterable[dict],
    *,
    scope: models.Q,
    fields: list[str],
    now: datetime,
    close_missing: bool = True,
    changed: set[str] | None = None,
) -> Counts:
    """Bring the rows of `model` within `scope` in step with `records` (dicts keyed by
    the primary key's name). Rows that are no longer in the source are marked inactive
    (`is_active=False`, `closed_at`) rather than deleted, so that a page referring to a
    closed unit still finds it. Bulk writes: a few queries whatever the size. The keys
    of the rows added, updated or closed are added to `changed`."""
    pk = model._meta.pk.name
    stored = {
        row[pk]: row
        for row in model.objects.filter(scope).values(pk, *fields, "is_active", "closed_at")
    }
    incoming = {record[pk]: record for record in records}
    counts = Counts(fetched=len(incoming))
    to_create, to_update = [], []
    for key, record in incoming.items():
        row = stored.get(key)
        values = {name: record.get(name) for name in fields}
        values["is_active"] = True
        values["closed_at"] = None
        if row is None:
            to_create.append(model(**{pk: key}, **values, first_seen_at=now, synced_at=now))
            counts.added += 1
        elif any(row[name] != values[name] for name in values):
            to_update.append(model(**{pk: key}, **values, synced_at=now))
            counts.updated += 1
        else:
            counts.unchanged += 1
    if to_create:
        # A unit can move in from another municipality: it exists outside the scope.
        existing = set(
            model.objects.filter(pk__in=[obj.pk for obj in to_create]).values_list(pk, flat=True)
        )
        moved = [obj for obj in to_create if obj.pk in existing]
        to_create = [obj for obj in to_create if obj.pk not in existing]
        to_update += moved
    model.objects.bulk_create(to_create, batch_size=500)
    update_fields = [*fields, "is_active", "closed_at", "synced_at"]
    model.objects.bulk_update(to_update, update_fields, batch_size=500)
    if close_missing:
        gone = [key for key, row in stored.items() if key not in incoming and row["is_active"]]
        counts.removed = model.objects.filter(pk__in=gone).update(
            is_active=False, closed_at=now, synced_at=now
        )
    else:
        gone = []
    if changed is not None:
        changed.update(str(obj.pk) for obj in to_create + to_update)
        changed.update(str(key) for key in gone)
    return counts
