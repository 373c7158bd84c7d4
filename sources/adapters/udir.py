"""The school and kindergarten registers of the Directorate for Education (Udir), v4.

Nasjonalt skoleregister (NSR) and Barnehageregisteret (NBR) list their units per
municipality (`/enheter/kommune/{nr}`); the facts of a unit (address, coordinates,
website, pupils or children, levels) come from `/enhet/{orgnr}`, fetched only when the
unit's `DatoEndret` moved since the last run. The registers are updated nightly.

Units that leave the list are kept as closed (a page may still refer to them), and the
dashboard shows new and closed units. The field names of NBR v4 follow NSR v4 and the v3
kindergarten fields; check them against one live answer before relying on them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from pydantic import BaseModel, ConfigDict

from region_pages.blocks.validators import validate_coordinates

from .. import pages
from ..base import NLOD, Context, Counts, Fetched, Source, as_url, shaped, sync_snapshot
from ..errors import NOT_NINE_DIGITS, OUTSIDE_REGION, RecordProblem
from ..models import RegisterUnit, UnitKind
from ..region import MUNICIPALITIES
from .nav import place_name


class _Shape(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ListedUnit(_Shape):
    Organisasjonsnummer: str
    Navn: str = ""
    Kommunenummer: str | None = None
    ErAktiv: bool = True
    ErSkole: bool | None = None
    ErBarnehage: bool | None = None
    DatoEndret: str | None = None


class UnitList(_Shape):
    Sidenummer: int = 1
    AntallSider: int = 1
    EnhetListe: list[ListedUnit]


class Address(_Shape):
    Adresse: str | None = None
    Postnummer: str | None = None
    Poststed: str | None = None


class Coordinates(_Shape):
    Lengdegrad: float | None = None
    Breddegrad: float | None = None


class Municipality(_Shape):
    Kommunenummer: str


class Unit(_Shape):
    Organisasjonsnummer: str
    Navn: str
    Kommune: Municipality | None = None
    Beliggenhetsadresse: Address | None = None
    Koordinat: Coordinates | None = None
    Internettadresse: str | None = None
    ErAktiv: bool = True
    ErGrunnskole: bool | None = None
    ErVideregaaendeSkole: bool | None = None
    ErPrivatskole: bool | None = None
    ErPrivatBarnehage: bool | None = None
    Elevtall: int | None = None
    AntallBarn: int | None = None
    AntallAnsatte: int | None = None
    SkoletrinnGSFra: int | None = None
    SkoletrinnGSTil: int | None = None
    SkoletrinnVGSFra: int | None = None
    SkoletrinnVGSTil: int | None = None
    AlderstrinnFra: int | None = None
    AlderstrinnTil: int | None = None
    DatoEndret: str | None = None


FIELDS = [
    "kind",
    "name",
    "municipality_number",
    "level_from",
    "level_to",
    "is_primary",
    "is_upper_secondary",
    "is_private",
    "pupils",
    "employees",
    "address",
    "latitude",
    "longitude",
    "website",
    "register_changed_at",
]


def _address(address: Address | None) -> str:
    if address is None:
        return ""
    street = (address.Adresse or "").strip()
    town = place_name(address.Poststed or "")
    place = " ".join(part for part in (address.Postnummer, town) if part)
    return ", ".join(part for part in (street, place) if part)[:300]


class UnitRegister(Source):
    """The shared adapter of the two registers; subclasses name the register."""

    licence = NLOD
    kind = UnitKind.SCHOOL
    setting = ""

    def base_url(self) -> str:
        return getattr(settings, self.setting).rstrip("/")

    def is_wanted(self, unit: ListedUnit) -> bool:
        raise NotImplementedError

    def fetch(self, ctx: Context) -> Fetched:
        stored = dict(
            RegisterUnit.objects.filter(kind=self.kind).values_list(
                "org_number", "register_changed_at"
            )
        )
        listed: list[ListedUnit] = []
        for done, number in enumerate(MUNICIPALITIES, start=1):
            page, pages = 1, 1
            while page <= pages:
                url = f"{self.base_url()}/enheter/kommune/{number}"
                params = {"sidenummer": page} if page > 1 else None
                response = ctx.client.get(url, params=params)
                document = shaped(UnitList, response.json(), url)
                listed += [unit for unit in document.EnhetListe if self.is_wanted(unit)]
                pages = document.AntallSider
                page += 1
            ctx.report(str(_("municipalities")), done, len(MUNICIPALITIES))
        details: dict[str, Unit | None] = {}
        for done, unit in enumerate(listed, start=1):
            changed = parse_datetime(unit.DatoEndret) if unit.DatoEndret else None
            known = stored.get(unit.Organisasjonsnummer)
            if changed and known == changed:
                details[unit.Organisasjonsnummer] = None  # unchanged since the last run
            else:
                url = f"{self.base_url()}/enhet/{unit.Organisasjonsnummer}"
                details[unit.Organisasjonsnummer] = shaped(Unit, ctx.client.get(url).json(), url)
            ctx.report(str(_("units")), done, len(listed))
        return Fetched(documents=[{"listed": listed, "details": details}])

    def parse(self, fetched: Fetched, ctx: Context) -> list[dict]:
        document = fetched.documents[0]
        stored = {
            row["org_number"]: row
            for row in RegisterUnit.objects.filter(
                org_number__in=[unit.Organisasjonsnummer for unit in document["listed"]]
            ).values("org_number", *FIELDS)
        }
        records = []
        for listed in document["listed"]:
            unit = document["details"][listed.Organisasjonsnummer]
            if unit is None:
                records.append(dict(stored[listed.Organisasjonsnummer]))
                continue
            records.append(self.record(unit, listed))
        return records

    def record(self, unit: Unit, listed: ListedUnit) -> dict:
        coordinates = unit.Koordinat or Coordinates()
        if self.kind == UnitKind.KINDERGARTEN:
            levels, pupils = (unit.AlderstrinnFra, unit.AlderstrinnTil), unit.AntallBarn
        elif unit.ErVideregaaendeSkole and not unit.ErGrunnskole:
            levels, pupils = (unit.SkoletrinnVGSFra, unit.SkoletrinnVGSTil), unit.Elevtall
        else:
            levels, pupils = (unit.SkoletrinnGSFra, unit.SkoletrinnGSTil), unit.Elevtall
        municipality = unit.Kommune.Kommunenummer if unit.Kommune else listed.Kommunenummer
        return {
            "org_number": unit.Organisasjonsnummer.strip(),
            "kind": self.kind,
            "name": unit.Navn.strip()[:300],
            "municipality_number": municipality or "",
            "level_from": levels[0],
            "level_to": levels[1],
            "is_primary": bool(unit.ErGrunnskole),
            "is_upper_secondary": bool(unit.ErVideregaaendeSkole),
            "is_private": bool(unit.ErPrivatskole or unit.ErPrivatBarnehage),
            "pupils": pupils,
            "employees": unit.AntallAnsatte,
            "address": _address(unit.Beliggenhetsadresse),
            "latitude": coordinates.Breddegrad,
            "longitude": coordinates.Lengdegrad,
            "website": as_url(unit.Internettadresse),
            "register_changed_at": parse_datetime(unit.DatoEndret) if unit.DatoEndret else None,
        }

    def validate(self, records, ctx):
        valid, problems = [], []
        for record in records:
            key = record["org_number"]
            if not (key.isdigit() and len(key) == 9):
                problems.append(RecordProblem(key, NOT_NINE_DIGITS))
                continue
            if record["municipality_number"] not in MUNICIPALITIES:
                problems.append(RecordProblem(key, OUTSIDE_REGION))
                continue
            for count in ("pupils", "employees"):
                if record[count] is not None and record[count] < 0:
                    record[count] = None
            if record["latitude"] is not None and record["longitude"] is not None:
                try:
                    validate_coordinates(record["latitude"], record["longitude"])
                except ValidationError:
                    record["latitude"] = record["longitude"] = None
            else:
                record["latitude"] = record["longitude"] = None
            valid.append(record)
        return valid, problems

    def upsert(self, records, ctx) -> Counts:
        from django.db.models import Q

        return sync_snapshot(
            RegisterUnit,
            records,
            scope=Q(kind=self.kind, municipality_number__in=list(MUNICIPALITIES)),
            fields=FIELDS,
            now=ctx.now,
            changed=ctx.changed_keys,
        )

    def refresh_pages(self, ctx) -> int:
        return pages.refresh(pages.pages_showing(units=ctx.changed_keys))


class SchoolRegister(UnitRegister):
    name = "nsr"
    label = _("Schools (Nasjonalt skoleregister)")
    publisher = "Utdanningsdirektoratet (Udir)"
    credit = _("School facts from the National School Register (Udir).")
    kind = UnitKind.SCHOOL
    setting = "NSR_API_URL"

    def is_wanted(self, unit: ListedUnit) -> bool:
        return bool(unit.ErSkole) and unit.ErAktiv


class KindergartenRegister(UnitRegister):
    name = "nbr"
    label = _("Kindergartens (Barnehageregisteret)")
    publisher = "Utdanningsdirektoratet (Udir)"
    credit = _("Kindergarten facts from the Kindergarten Register (Udir).")
    kind = UnitKind.KINDERGARTEN
    setting = "NBR_API_URL"

    def is_wanted(self, unit: ListedUnit) -> bool:
        return bool(unit.ErBarnehage) and unit.ErAktiv
