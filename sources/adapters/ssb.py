"""Statistics Norway (SSB), table 07459: population on 1 January by municipality.

Read through PxWebApi v2 as JSON-stat 2.0, the last ten years for the four
municipalities. The figures go into `PopulationFigure` (the region home's chart) and, for
the newest year, into each municipality page's population and year, but only where the
editor left them empty or where the pipeline wrote them before (`FactProvenance`): a value
an editor typed is never replaced.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from pydantic import BaseModel, ConfigDict

from region_pages.models import MunicipalityPage

from .. import pages
from ..base import CC_BY_4, Context, Counts, Fetched, Source, shaped
from ..errors import PayloadError, RecordProblem
from ..http import short_url
from ..models import FactProvenance, PopulationFigure
from ..region import MUNICIPALITIES

TABLE = "07459"
YEARS = 10
FIELD = "population"


class Category(BaseModel):
    model_config = ConfigDict(extra="ignore")
    index: dict[str, int] | list[str]
    label: dict[str, str] | None = None

    def codes(self) -> list[str]:
        if isinstance(self.index, list):
            return list(self.index)
        return [code for code, _position in sorted(self.index.items(), key=lambda kv: kv[1])]


class Dimension(BaseModel):
    model_config = ConfigDict(extra="ignore")
    category: Category


class Role(BaseModel):
    model_config = ConfigDict(extra="ignore")
    time: list[str] = []
    geo: list[str] = []


class Dataset(BaseModel):
    """JSON-stat 2.0's dataset: values in row-major order over `id` with sizes `size`."""

    model_config = ConfigDict(extra="ignore")
    version: str
    # `class` is a keyword; JSON-stat requires "dataset" here.
    id: list[str]
    size: list[int]
    role: Role
    dimension: dict[str, Dimension]
    value: list[int | float | None] | dict[str, int | float | None]
    updated: str | None = None


def cells(dataset: Dataset, url: str = ""):
    """Yield ({dimension: code}, value) for every cell of a JSON-stat 2.0 dataset."""
    if len(dataset.id) != len(dataset.size) or any(d not in dataset.dimension for d in dataset.id):
        raise PayloadError(
            _("The JSON-stat answer from %(url)s has inconsistent dimensions."), url=url
        )
    codes = [dataset.dimension[d].category.codes() for d in dataset.id]
    if [len(c) for c in codes] != dataset.size:
        raise PayloadError(
            _("The JSON-stat answer from %(url)s has sizes that do not match its categories."),
            url=url,
        )
    total = 1
    for size in dataset.size:
        total *= size
    values = dataset.value
    if isinstance(values, list) and len(values) != total:
        raise PayloadError(
            _(
                "The JSON-stat answer from %(url)s has %(found)s values where %(expected)s "
                "were expected."
            ),
            url=url,
            found=len(values),
            expected=total,
        )
    for flat in range(total):
        value = values[flat] if isinstance(values, list) else values.get(str(flat))
        position, rest = {}, flat
        for dim, dim_codes in zip(reversed(dataset.id), reversed(codes), strict=True):
            rest, offset = divmod(rest, len(dim_codes))
            position[dim] = dim_codes[offset]
        yield position, value


class SsbPopulation(Source):
    name = "ssb-population"
    label = _("Population (SSB table 07459)")
    publisher = "Statistisk sentralbyrå (SSB)"
    licence = CC_BY_4
    credit = _("Population figures from Statistics Norway (SSB), table 07459.")

    def url(self) -> str:
        return f"{settings.SSB_API_URL.rstrip('/')}/tables/{TABLE}/data"

    def params(self) -> dict:
        return {
            "lang": "no",
            "outputFormat": "json-stat2",
            "valueCodes[Region]": ",".join(MUNICIPALITIES),
            "valueCodes[ContentsCode]": "Personer1",
            "valueCodes[Tid]": f"top({YEARS})",
        }

    def fetch(self, ctx: Context) -> Fetched:
        response = ctx.conditional_get(self.url(), params=self.params())
        if response.not_modified:
            return Fetched(not_modified=True)
        return Fetched(documents=[(short_url(response.url), response.json())])

    def parse(self, fetched: Fetched, ctx: Context) -> list[dict]:
        url, document = fetched.documents[0]
        if not isinstance(document, dict) or document.get("class") != "dataset":
            raise PayloadError(
                _("The answer from %(url)s is not a JSON-stat 2.0 dataset."), url=url
            )
        dataset = shaped(Dataset, document, url)
        geo = (dataset.role.geo or ["Region"])[0]
        time = (dataset.role.time or ["Tid"])[0]
        if geo not in dataset.dimension or time not in dataset.dimension:
            raise PayloadError(
                _("The JSON-stat answer from %(url)s has no region or time dimension."), url=url
            )
        sizes = dict(zip(dataset.id, dataset.size, strict=True))
        if any(size != 1 for d, size in sizes.items() if d not in (geo, time)):
            raise PayloadError(
                _("The JSON-stat answer from %(url)s splits the population further than asked."),
                url=url,
            )
        return [
            {"municipality_number": where[geo], "year": where[time], "population": value}
            for where, value in cells(dataset, url)
        ]

    def validate(self, records, ctx):
        valid, problems = [], []
        for record in records:
            key = f"{record['municipality_number']}/{record['year']}"
            if record["municipality_number"] not in MUNICIPALITIES:
                problems.append(RecordProblem(key, _("Not one of the region's municipalities.")))
            elif not str(record["year"]).isdigit():
                problems.append(RecordProblem(key, _("The year is not a year.")))
            elif record["population"] is None:
                continue  # SSB has no figure for that year yet: nothing to say
            elif not float(record["population"]).is_integer() or record["population"] < 0:
                problems.append(RecordProblem(key, _("The population is not a whole number.")))
            else:
                record.update(year=int(record["year"]), population=int(record["population"]))
                valid.append(record)
        return valid, problems

    def upsert(self, records, ctx) -> Counts:
        counts = Counts(fetched=len(records))
        stored = {
            (row.municipality_number, row.year): row
            for row in PopulationFigure.objects.filter(municipality_number__in=list(MUNICIPALITIES))
        }
        for record in records:
            row = stored.get((record["municipality_number"], record["year"]))
            if row is None:
                PopulationFigure.objects.create(**record)
                counts.added += 1
            elif row.population != record["population"]:
                row.population = record["population"]
                row.save(update_fields=["population"])
                counts.updated += 1
            else:
                counts.unchanged += 1
        counts += update_pages(self.name, dry_run=ctx.dry_run)
        return counts

    def refresh_pages(self, ctx) -> int:
        # The municipality pages it wrote were published (and purged as every publish
        # is); the home page's chart reads the figures when it is rendered.
        pages.purge_home_pages()
        return 0


def latest_figures() -> dict[str, tuple[int, int]]:
    """The newest (year, population) per municipality."""
    latest = {}
    for row in PopulationFigure.objects.order_by("municipality_number", "year"):
        latest[row.municipality_number] = (row.year, row.population)
    return latest


def update_pages(source: str, *, dry_run: bool = False) -> Counts:
    """Write the newest figure into the municipality pages (every language) whose
    population is empty or was written by this source and not changed since."""
    counts = Counts()
    latest = latest_figures()
    pages = MunicipalityPage.objects.filter(municipality_number__in=list(latest)).order_by("pk")
    provenance = {p.page_id: p for p in FactProvenance.objects.filter(field=FIELD, page__in=pages)}
    for page in pages:
        year, population = latest[page.municipality_number]
        current = [page.population, page.population_year]
        if current == [population, year]:
            continue
        written = provenance.get(page.pk)
        ours = written is not None and written.source == source and written.value == current
        if page.population is not None and not ours:
            continue  # the editor's value
        if page.has_unpublished_changes:
            # Publishing would publish the editor's draft too; wait until they do.
            counts.skipped += 1
            continue
        counts.updated += 1
        if dry_run:
            continue
        page.population, page.population_year = population, year
        revision = page.save_revision(log_action=False)
        revision.publish(log_action=False)
        FactProvenance.objects.update_or_create(
            page_id=page.pk, field=FIELD, defaults={"source": source, "value": [population, year]}
        )
    return counts
