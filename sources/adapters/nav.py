"""NAV's job feed (pam-stilling-feed): job vacancies whose work location is in the region.

The feed is a chain of pages (`next_url`); the last page has none and is polled, with
its ETag and Last-Modified, from where the previous run stopped. Each line of a page says
an ad's status and work municipality (upper case, "RANA"); the ad itself is fetched from
the line's `url` only when it is active in the region. Access needs a bearer token: a
stable one from NAV (NAV_FEED_TOKEN), or else the rotating public token, fetched from
`/api/publicToken` at the start of each run and again when the feed answers 401.

NAV's terms require inactive ads to be removed: an ad that turns inactive, leaves the
region, disappears (404) or passes its expiry date is deleted.
"""

import re
from datetime import date, datetime
from urllib.parse import urljoin

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from pydantic import BaseModel, ConfigDict, Field

from .. import feed, pages
from ..base import NAV_TERMS, Context, Counts, Fetched, Source, shaped
from ..errors import FetchError, PayloadError, RecordProblem
from ..models import Vacancy, VacancySector
from ..region import number_for_nav_name

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
FIRST_PAGE = "/api/v1/feed"
MAX_PAGES = 100_000


# ---- the shapes we read (everything else is ignored) ----------------------------------------


class _Shape(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class FeedLine(_Shape):
    uuid: str
    status: str
    municipal: str | None = None
    sistEndret: str | None = None


class FeedItem(_Shape):
    id: str
    url: str
    feed_entry: FeedLine = Field(alias="_feed_entry")


class FeedPage(_Shape):
    id: str | None = None
    next_url: str | None = None
    items: list[FeedItem]


class WorkLocation(_Shape):
    municipal: str | None = None
    city: str | None = None


class Employer(_Shape):
    name: str | None = None
    orgnr: str | None = None


class OccupationCategory(_Shape):
    level1: str | None = None
    level2: str | None = None


class AdContent(_Shape):
    uuid: str
    title: str = ""
    published: str | None = None
    expires: str | None = None
    updated: str | None = None
    workLocations: list[WorkLocation] = []
    applicationDue: str | None = None
    occupationCategories: list[OccupationCategory] = []
    link: str | None = None
    employer: Employer | None = None
    engagementtype: str | None = None
    extent: str | None = None
    sector: str | None = None


class FeedEntry(_Shape):
    uuid: str
    status: str
    sistEndret: str | None = None
    ad_content: AdContent | None = None


# An ad whose line says it has not changed since it was stored: not fetched again.
UNCHANGED = object()


# ---- the adapter ----------------------------------------------------------------------------


SECTORS = {"offentlig": VacancySector.PUBLIC, "privat": VacancySector.PRIVATE}


def _datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        return None
    if parsed and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


SMALL_WORDS = {"i", "på", "og", "ved"}


def place_name(value: str) -> str:
    """NAV writes places in capitals: "MO I RANA" becomes "Mo i Rana"."""
    words = value.strip().lower().split()
    return " ".join(
        word if index and word in SMALL_WORDS else word.capitalize()
        for index, word in enumerate(words)
    )


def _deadline(value: str | None) -> date | None:
    """NAV's `applicationDue` is free text: a date, "23.04.2021", or "Snarest"."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        parsed = parse_date(value[:10])
    except ValueError:
        parsed = None
    if parsed:
        return parsed
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", value)
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            return None
    return None


class NavJobFeed(Source):
    name = "nav"
    label = _("Job vacancies (NAV)")
    publisher = "NAV (arbeidsplassen.no)"
    licence = NAV_TERMS
    credit = _("Job vacancies from NAV's job feed (arbeidsplassen.no).")

    # ---- fetch ----

    def __init__(self):
        self.base_url = settings.NAV_FEED_URL.rstrip("/") + "/"
        self._token = settings.NAV_FEED_TOKEN or None

    def resolve(self, link: str) -> str:
        """NAV's links are absolute paths on the feed's host (or full URLs)."""
        if link.startswith("/"):
            return self.base_url + link.lstrip("/")
        return urljoin(self.base_url, link)

    def _public_token(self, ctx: Context) -> str:
        response = ctx.client.get(self.resolve("/api/publicToken"))
        match = TOKEN_PATTERN.search(response.text())
        if not match:
            raise PayloadError(
                _(
                    "NAV's public token endpoint answered without a token. Ask NAV for a "
                    "stable token and set NAV_FEED_TOKEN."
                )
            )
        return match.group(0)

    def _get(self, ctx: Context, url: str, headers: dict | None = None):
        """GET with the bearer token; on 401 fetch a fresh public token once and retry."""
        if self._token is None:
            self._token = self._public_token(ctx)
        for attempt in (1, 2):
            auth = {"Authorization": f"Bearer {self._token}", "Accept": "application/json"}
            response = ctx.client.get(
                url, headers={**auth, **(headers or {})}, accept=(200, 401, 404)
            )
            if response.status != 401:
                return response
            if settings.NAV_FEED_TOKEN or attempt == 2:
                raise FetchError(
                    _(
                        "NAV's feed refused the token (401). Check NAV_FEED_TOKEN, or leave "
                        "it empty to use the public token."
                    )
                )
            self._token = self._public_token(ctx)
        raise AssertionError("unreachable")

    def fetch(self, ctx: Context) -> Fetched:
        cursor = ctx.state.cursor or {}
        # The cursor keeps the page's path, so that it survives a change of host.
        resume = self.resolve(cursor["last_page"]) if cursor.get("last_page") else None
        url = resume or self.resolve(FIRST_PAGE)
        lines: dict[str, FeedLine] = {}
        seen: set[str] = set()
        last_url, validators = url, {}
        while url:
            if url in seen or len(seen) >= MAX_PAGES:
                raise PayloadError(
                    _("NAV's feed pages lead in a circle at %(url)s; the run was stopped."),
                    url=url,
                )
            seen.add(url)
            conditional = {}
            if url == resume:
                if cursor.get("etag"):
                    conditional["If-None-Match"] = cursor["etag"]
                if cursor.get("last_modified"):
                    conditional["If-Modified-Since"] = cursor["last_modified"]
            response = self._get(ctx, url, conditional)
            if response.not_modified:
                # Only the polled last page is asked conditionally: nothing new since.
                return Fetched(not_modified=True)
            if response.status == 404:
                raise FetchError(_("NAV's feed has no page at %(url)s."), url=url)
            page = shaped(FeedPage, response.json(), url)
            for item in page.items:
                # A later line about the same ad supersedes an earlier one.
                lines.pop(item.feed_entry.uuid, None)
                lines[item.feed_entry.uuid] = item
            ctx.report(str(_("feed pages")), len(seen), len(seen) + (1 if page.next_url else 0))
            last_url = url
            validators = {
                "etag": response.headers.get("etag", ""),
                "last_modified": response.headers.get("last-modified", ""),
            }
            url = self.resolve(page.next_url) if page.next_url else None
        ctx.new_cursor = {"last_page": last_url.removeprefix(self.base_url), **validators}

        wanted = [
            item
            for item in lines.values()
            if item.feed_entry.status == "ACTIVE" and number_for_nav_name(item.feed_entry.municipal)
        ]
        stored = dict(
            Vacancy.objects.filter(
                source=self.name, external_id__in=[item.feed_entry.uuid for item in wanted]
            ).values_list("external_id", "source_updated_at")
        )
        entries: dict[str, FeedEntry | object | None] = {}
        for done, item in enumerate(wanted, start=1):
            changed = _datetime(item.feed_entry.sistEndret)
            known = stored.get(item.feed_entry.uuid)
            if changed and known and changed <= known:
                entries[item.feed_entry.uuid] = UNCHANGED
                continue
            entry_url = self.resolve(item.url)
            response = self._get(ctx, entry_url)
            entries[item.feed_entry.uuid] = (
                None if response.status == 404 else shaped(FeedEntry, response.json(), entry_url)
            )
            ctx.report(str(_("ads")), done, len(wanted))
        return Fetched(documents=[{"lines": lines, "entries": entries}])

    # ---- parse and validate ----

    def parse(self, fetched: Fetched, ctx: Context) -> list[dict]:
        document = fetched.documents[0]
        records = []
        for ad_id in document["lines"]:
            entry = document["entries"].get(ad_id)
            if entry is UNCHANGED:
                records.append({"external_id": ad_id, "unchanged": True})
                continue
            if entry is None or entry.status != "ACTIVE" or entry.ad_content is None:
                records.append({"external_id": ad_id, "remove": True})
                continue
            ad = entry.ad_content
            location = next(
                (loc for loc in ad.workLocations if number_for_nav_name(loc.municipal)), None
            )
            expires = _datetime(ad.expires)
            if location is None or (expires is not None and expires < ctx.now):
                records.append({"external_id": ad_id, "remove": True})
                continue
            employer = ad.employer or Employer()
            categories = ad.occupationCategories
            records.append(
                {
                    "external_id": ad_id,
                    "title": ad.title.strip(),
                    "employer": (employer.name or "").strip()[:300],
                    "employer_org_number": (employer.orgnr or "").strip(),
                    "municipality_number": number_for_nav_name(location.municipal),
                    "location": place_name(location.city or location.municipal or "")[:200],
                    "sector": SECTORS.get((ad.sector or "").strip().lower(), VacancySector.UNKNOWN),
                    "occupation": (categories[0].level1 or "")[:200] if categories else "",
                    "engagement_type": (ad.engagementtype or "")[:100],
                    "extent": (ad.extent or "")[:100],
                    "application_due": (ad.applicationDue or "")[:100],
                    "deadline": _deadline(ad.applicationDue),
                    "published_at": _datetime(ad.published),
                    "expires_at": expires,
                    "url": (ad.link or "").strip() or settings.NAV_AD_URL.format(uuid=ad_id),
                    "source_updated_at": _datetime(entry.sistEndret or ad.updated),
                }
            )
        return records

    def validate(self, records, ctx):
        valid, problems = [], []
        for record in records:
            if record.get("remove") or record.get("unchanged"):
                valid.append(record)
            elif not record["title"]:
                problems.append(RecordProblem(record["external_id"], _("The ad has no title.")))
            elif not record["url"].startswith(("https://", "http://")):
                problems.append(
                    RecordProblem(record["external_id"], _("The ad's link is not a web address."))
                )
            else:
                if not re.fullmatch(r"\d{9}", record["employer_org_number"]):
                    record["employer_org_number"] = ""
                valid.append(record)
        return valid, problems

    # ---- upsert ----

    def upsert(self, records, ctx) -> Counts:
        return upsert_vacancies(self.name, records, ctx.now, ctx.changed_municipalities)

    def on_not_modified(self, ctx) -> Counts:
        return upsert_vacancies(self.name, [], ctx.now, ctx.changed_municipalities)

    def refresh_pages(self, ctx) -> int:
        return pages.purge_municipalities(ctx.changed_municipalities)


VACANCY_FIELDS = [
    "title",
    "employer",
    "employer_org_number",
    "municipality_number",
    "location",
    "sector",
    "occupation",
    "engagement_type",
    "extent",
    "application_due",
    "deadline",
    "published_at",
    "expires_at",
    "url",
    "source_updated_at",
]


def upsert_vacancies(
    source: str, records: list[dict], now: datetime, touched: set[str] | None = None
) -> Counts:
    """Write the ads of one source: add and update the active ones, delete the ones that
    went inactive and every ad past its expiry (NAV's terms). Announces the changes in the
    partner API's change feed, in the same transaction. The municipalities whose lists
    changed are added to `touched`."""
    with transaction.atomic():
        keep = {
            r["external_id"]: r for r in records if not r.get("remove") and not r.get("unchanged")
        }
        drop = {r["external_id"] for r in records if r.get("remove")} - set(keep)
        stored = {
            row.external_id: row
            for row in Vacancy.objects.filter(source=source, external_id__in=list(keep))
        }
        counts = Counts(fetched=len(records))
        counts.unchanged = sum(1 for r in records if r.get("unchanged"))
        to_create, to_update = [], []
        previous: set[str] = set()
        for ad_id, record in keep.items():
            values = {name: record[name] for name in VACANCY_FIELDS}
            row = stored.get(ad_id)
            if row is None:
                to_create.append(
                    Vacancy(
                        source=source, external_id=ad_id, first_seen_at=now, synced_at=now, **values
                    )
                )
            elif any(getattr(row, name) != value for name, value in values.items()):
                # An ad that moves between municipalities leaves the old one's list.
                previous.add(row.municipality_number)
                for name, value in values.items():
                    setattr(row, name, value)
                row.synced_at = now
                to_update.append(row)
            else:
                counts.unchanged += 1
        Vacancy.objects.bulk_create(to_create, batch_size=500)
        Vacancy.objects.bulk_update(to_update, [*VACANCY_FIELDS, "synced_at"], batch_size=500)
        counts.added, counts.updated = len(to_create), len(to_update)

        expired = Vacancy.objects.filter(source=source, expires_at__lt=now)
        gone = Vacancy.objects.filter(source=source, external_id__in=list(drop))
        removed_ids = sorted(
            set(gone.values_list("external_id", flat=True))
            | set(expired.values_list("external_id", flat=True))
        )
        removed = dict(
            Vacancy.objects.filter(source=source, external_id__in=removed_ids).values_list(
                "external_id", "municipality_number"
            )
        )
        Vacancy.objects.filter(source=source, external_id__in=removed_ids).delete()
        counts.removed = len(removed_ids)
        published = {
            f"{source}:{row.external_id}": row.municipality_number for row in to_create + to_update
        }
        feed.announce_vacancies(
            published=published,
            removed={f"{source}:{ad_id}": number for ad_id, number in removed.items()},
        )
        if touched is not None:
            touched.update(published.values(), removed.values(), previous)
    return counts
