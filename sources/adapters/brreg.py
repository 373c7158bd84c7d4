"""Enhetsregisteret (Brønnøysund Register Centre): the workplaces (`underenheter`) that
lie in the region, with their industry code and employees.

Workplaces, not head offices: a company's head office is often elsewhere while its plant
is here. Searched per municipality (`kommunenummer`), page by page. Industry codes are
SN2025 (since 2025-09-01); `sector_for_code` maps a code's division to the sectors the
industry block uses. The register leaves out `antallAnsatte` below five employees, so
employee sums are lower bounds.
"""

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pydantic import BaseModel, ConfigDict, Field

from region_pages.blocks.choices import Sector

from .. import figures, pages
from ..base import NLOD, Context, Counts, Fetched, Source, as_url, shaped, sync_snapshot
from ..errors import NOT_NINE_DIGITS, OUTSIDE_REGION, RecordProblem
from ..models import Workplace
from ..region import MUNICIPALITIES
from .nav import place_name

PAGE_SIZE = 1000
ACCEPT_JSON = {"Accept": "application/json"}
# The API serves at most 10,000 hits of one search (page * size); beyond that the
# register's bulk download is the way.
MAX_PAGES = 10


class _Shape(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Code(_Shape):
    kode: str = ""
    beskrivelse: str = ""


class Address(_Shape):
    kommunenummer: str | None = None
    adresse: list[str | None] | None = None
    postnummer: str | None = None
    poststed: str | None = None


class Underenhet(_Shape):
    organisasjonsnummer: str
    navn: str = ""
    naeringskode1: Code | None = None
    antallAnsatte: int | None = None
    overordnetEnhet: str | None = None
    hjemmeside: str | None = None
    slettedato: str | None = None
    beliggenhetsadresse: Address | None = None


class Embedded(_Shape):
    underenheter: list[Underenhet] = []


class PageInfo(_Shape):
    totalPages: int = 0
    number: int = 0


class SearchPage(_Shape):
    embedded: Embedded = Field(default_factory=Embedded, alias="_embedded")
    page: PageInfo


# SN2025 division (the code's first two digits) -> our sector, by ranges.
DIVISIONS = [
    ((1, 2), Sector.AGRICULTURE),
    ((3, 3), Sector.AQUACULTURE),
    ((5, 33), Sector.INDUSTRY),
    ((35, 39), Sector.ENERGY),
    ((41, 43), Sector.CONSTRUCTION),
    ((45, 47), Sector.TRADE),
    ((49, 53), Sector.TRANSPORT),
    ((55, 56), Sector.TOURISM),
    ((58, 60), Sector.CULTURE),
    ((61, 63), Sector.TECHNOLOGY),
    ((64, 68), Sector.TRADE),
    ((69, 75), Sector.TECHNOLOGY),
    ((77, 82), Sector.TRADE),
    ((84, 84), Sector.PUBLIC),
    ((85, 85), Sector.EDUCATION),
    ((86, 88), Sector.HEALTH),
    ((90, 93), Sector.CULTURE),
    ((94, 96), Sector.TRADE),
]


def sector_for_code(code: str) -> str:
    digits = code.replace(".", "")[:2]
    if not digits.isdigit():
        return ""
    division = int(digits)
    for (low, high), sector in DIVISIONS:
        if low <= division <= high:
            return sector
    return ""


def _address(address: Address | None) -> str:
    """The street lines, postcode and place: "Eksempelveien 1, 8622 Mo i Rana"."""
    if address is None:
        return ""
    lines = address.adresse or []
    street = ", ".join(line.strip() for line in lines if line and line.strip())
    place = " ".join(
        part for part in (address.postnummer, place_name(address.poststed or "")) if part
    )
    return ", ".join(part for part in (street, place) if part)[:300]


FIELDS = [
    "name",
    "municipality_number",
    "industry_code",
    "industry_label",
    "sector",
    "address",
    "employees",
    "parent_org_number",
    "website",
]


class Workplaces(Source):
    name = "brreg"
    label = _("Workplaces (Enhetsregisteret)")
    publisher = "Brønnøysundregistrene"
    licence = NLOD
    credit = _(
        "Workplaces and industry codes from the Central Coordinating Register for Legal "
        "Entities (Brønnøysundregistrene)."
    )

    def fetch(self, ctx: Context) -> Fetched:
        url = f"{settings.BRREG_API_URL.rstrip('/')}/underenheter"
        found: list[Underenhet] = []
        for done, number in enumerate(MUNICIPALITIES, start=1):
            page = 0
            while True:
                params = {"kommunenummer": number, "size": PAGE_SIZE, "page": page}
                response = ctx.client.get(url, params=params, headers=ACCEPT_JSON)
                document = shaped(SearchPage, response.json(), url)
                found += document.embedded.underenheter
                page += 1
                if page >= min(document.page.totalPages, MAX_PAGES):
                    break
            ctx.report(str(_("municipalities")), done, len(MUNICIPALITIES))
        return Fetched(documents=found)

    def parse(self, fetched: Fetched, ctx: Context) -> list[dict]:
        records = []
        for unit in fetched.documents:
            code = unit.naeringskode1 or Code()
            records.append(
                {
                    "org_number": unit.organisasjonsnummer.strip(),
                    "name": unit.navn.strip()[:300],
                    "municipality_number": (unit.beliggenhetsadresse.kommunenummer or "")
                    if unit.beliggenhetsadresse
                    else "",
                    "industry_code": code.kode[:10],
                    "industry_label": code.beskrivelse[:300],
                    "sector": sector_for_code(code.kode),
                    "address": _address(unit.beliggenhetsadresse),
                    "employees": unit.antallAnsatte,
                    "parent_org_number": (unit.overordnetEnhet or "")[:9],
                    "website": as_url(unit.hjemmeside),
                    "deleted": bool(unit.slettedato),
                }
            )
        return records

    def validate(self, records, ctx):
        valid, problems = [], []
        for record in records:
            key = record["org_number"]
            if record.pop("deleted"):
                continue  # deleted units are left out: they close on this run
            if not (key.isdigit() and len(key) == 9):
                problems.append(RecordProblem(key, NOT_NINE_DIGITS))
            elif record["municipality_number"] not in MUNICIPALITIES:
                problems.append(RecordProblem(key, OUTSIDE_REGION))
            else:
                if record["employees"] is not None and record["employees"] < 0:
                    record["employees"] = None
                valid.append(record)
        return valid, problems

    def upsert(self, records, ctx) -> Counts:
        before = figures.sector_table()
        counts = sync_snapshot(
            Workplace,
            records,
            scope=Q(municipality_number__in=list(MUNICIPALITIES)),
            fields=FIELDS,
            now=ctx.now,
            changed=ctx.changed_keys,
        )
        ctx.changed_figures = figures.changed_figures(before, figures.sector_table())
        return counts

    def refresh_pages(self, ctx) -> int:
        if ctx.changed_figures:
            pages.purge_work_page()
        return pages.refresh(
            pages.pages_showing(workplaces=ctx.changed_keys, figures=ctx.changed_figures)
        )
