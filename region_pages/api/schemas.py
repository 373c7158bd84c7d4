"""The types of the partner API, as the OpenAPI document describes them.

Every block has its own schema, so a StreamField is a list of a union discriminated by the
block's `type`; every entry kind has its own, discriminated by `kind`. Codes come from the
blocks' fixed vocabularies, labels are in the resource's language.
"""

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_serializer

from ..blocks.choices import EventCategory, LeisureCategory, SchoolLevel, Season, Sector
from ..models.changes import ChangeAction
from ..models.pages import Theme

Lang = Literal["nb", "en"]
PageType = Literal[
    "home", "municipality", "theme", "article", "arrival_guide", "event_calendar", "event"
]
EntryKindCode = Literal["industry", "leisure", "school"]


def _open_to_new_fields(schema: dict) -> None:
    schema.pop("additionalProperties", None)


class Output(BaseModel):
    """What the API answers with.

    Views hand over plain data, so plain pydantic models do (ninja's Schema would wrap
    every nested value to read ORM attributes, at a cost on long lists). The server sends
    the declared fields only: `extra="forbid"` makes a view that hands over another one
    fail, in the tests rather than at a partner's. The document, though, does not forbid
    other fields (no `additionalProperties: false`): version 1 grows by adding fields, and
    a client generated from it must take a field it does not know yet in its stride.
    """

    model_config = ConfigDict(extra="forbid", json_schema_extra=_open_to_new_fields)


# ---- images -----------------------------------------------------------------------------


class Rendition(Output):
    url: str = Field(examples=["https://ranaregionen.no/media/images/fjord.max-800x800.jpg"])
    width: int = Field(examples=[800])
    height: int = Field(examples=[350])


class Renditions(Output):
    """The image in named sizes: `thumbnail` is cropped to 400 by 300, the others keep the
    image's proportions within 800 and 1600 pixels."""

    thumbnail: Rendition
    medium: Rendition
    large: Rendition


class Image(Output):
    id: int
    alt_text: str = Field(
        description="What the image shows, for readers who cannot see it.",
        examples=["Ranfjorden seen from the town centre on a summer evening"],
    )
    width: int
    height: int
    renditions: Renditions


PICTURE = (
    "The picture the editor chose for the block, or null. Its `alt_text` is empty when the "
    "editor marked the picture as decorative."
)


class Coordinates(Output):
    latitude: float = Field(description="WGS 84, decimal degrees north.", examples=[66.3128])
    longitude: float = Field(description="WGS 84, decimal degrees east.", examples=[14.1428])


# ---- contacts -----------------------------------------------------------------------------


class Contact(Output):
    """A person or an office readers can call or write to (schema.org `ContactPoint`)."""

    id: int
    translation_key: UUID = Field(description="Joins the contact's language versions.")
    kind: Literal["office", "person"]
    name: str = Field(examples=["Servicetorget"])
    role: str | None = Field(description="What to ask them about.", examples=["Newcomer contact"])
    phone: str | None = Field(
        description="In international (E.164) form, ready for a `tel:` link.",
        examples=["+4775145000"],
    )
    email: str | None = Field(examples=["postmottak@rana.kommune.no"])
    opening_hours: str | None = Field(examples=["Weekdays 08:00–15:30"])
    languages: list[str] = Field(
        description="The languages the contact answers in, as ISO 639 codes.",
        examples=[["nb", "en"]],
    )
    photo: Image | None = Field(description="A portrait, for a person; its alt_text is the name.")


# ---- block values -----------------------------------------------------------------------


class CaptionedImage(Output):
    image: Image | None = Field(description="None when the image has been deleted.")
    caption: str | None


class Fact(Output):
    label: str = Field(examples=["Airport"])
    value: str = Field(examples=["Mo i Rana Airport, Røssvoll"])


class Facts(Output):
    heading: str
    facts: list[Fact]


class Link(Output):
    text: str = Field(examples=["Rana municipality"])
    url: str = Field(examples=["https://www.rana.kommune.no/"])


class Links(Output):
    heading: str
    links: list[Link]


class Quote(Output):
    quote: str
    attribution: str


class RegisterSource(Output):
    """A public register that facts on the page come from, with its licence."""

    source: Literal["nsr", "nbr", "brreg"] = Field(
        description="`nsr`: the National School Register, `nbr`: the Kindergarten Register "
        "(both Udir), `brreg`: Enhetsregisteret (Brønnøysundregistrene)."
    )
    publisher: str = Field(examples=["Utdanningsdirektoratet (Udir)"])
    licence: str = Field(examples=["NLOD 2.0"])
    licence_url: str


class RegisterRecord(RegisterSource):
    """The register unit a block rests on, as the register has it."""

    org_number: str = Field(examples=["974760673"])
    name: str = Field(description="The unit's name in the register.")
    active: bool = Field(description="False when the register lists the unit as closed.")
    updated_at: datetime | None = Field(
        description="When the site last took in a change to the unit's facts."
    )


EmployerField = Literal["name", "url", "org_number", "address", "employees"]
SchoolField = Literal["name", "level", "years", "pupils", "address", "coordinates", "website"]


class Employer(Output):
    name: str = Field(examples=["Mo Industripark"])
    url: str | None
    org_number: str | None = Field(
        description="Nine digits, as in the Brønnøysund registers.", examples=["974760673"]
    )
    address: str | None = Field(default=None, description="From the register.")
    employees: int | None = Field(
        default=None,
        description="From the register; left out by the register below five employees.",
    )
    register_unit: RegisterRecord | None = Field(
        default=None, description="The workplace in Enhetsregisteret, when one was chosen."
    )
    from_register: list[EmployerField] = Field(
        default_factory=list,
        description="The fields that come from the register (the editor wrote the others).",
    )


class SectorFigures(Output):
    """The register's count of workplaces in the sector, in the page's municipality."""

    municipality_number: str = Field(examples=["1833"])
    workplaces: int
    employees: int = Field(
        description="A lower bound: the register leaves out the count below five employees."
    )
    register_source: RegisterSource


class Figure(Output):
    label: str = Field(examples=["employees"])
    value: int = Field(examples=[2300])
    year: int | None = Field(examples=[2024])


class Industry(Output):
    sector: Sector
    sector_label: str = Field(examples=["Manufacturing and process industry"])
    heading: str
    description: str
    picture: Image | None = Field(default=None, description=PICTURE)
    employers: list[Employer]
    figures: list[Figure] = Field(description="Figures the editor wrote.")
    register_figures: SectorFigures | None = Field(
        default=None, description="From Enhetsregisteret, when the editor asked for them."
    )


class LeisureActivity(Output):
    name: str = Field(examples=["Hiking in Okstindan"])
    category: LeisureCategory
    category_label: str = Field(examples=["Hiking and mountains"])
    seasons: list[Season] = Field(description="In calendar order, winter first.")
    description: str
    picture: Image | None = Field(default=None, description=PICTURE)
    place_name: str
    coordinates: Coordinates | None
    url: str | None


class Years(Output):
    first: int = Field(examples=[1])
    last: int = Field(examples=[7])
    unit: Literal["school_year", "age"] = Field(
        description="School years (1–13), or the children's ages in a kindergarten."
    )


class School(Output):
    """A school or kindergarten: the register's facts where a unit was chosen, each
    overridden by what the editor wrote."""

    name: str = Field(examples=["Polarsirkelen videregående skole"])
    level: SchoolLevel
    level_label: str = Field(examples=["Upper secondary school"])
    years: Years | None = Field(default=None, description="From the register.")
    pupils: int | None = Field(description="Pupils, or children for a kindergarten.")
    description: str | None
    picture: Image | None = Field(default=None, description=PICTURE)
    address: str | None
    coordinates: Coordinates | None
    website: str | None
    org_number: str | None
    register_unit: RegisterRecord | None = Field(
        default=None, description="The unit in the school or kindergarten register, if chosen."
    )
    from_register: list[SchoolField] = Field(
        default_factory=list,
        description="The fields that come from the register (the editor wrote the others).",
    )


# ---- stream blocks: {"type", "id", "value"} ------------------------------------------------


class _Block(Output):
    id: str = Field(description="The block's stable id, the same in both languages.")


class ParagraphBlock(_Block):
    type: Literal["paragraph"]
    value: str = Field(
        description="HTML. Links to pages and documents are absolute public URLs.",
        examples=['<p>Read about <a href="https://ranaregionen.no/en/rana/">Rana</a>.</p>'],
    )


class ImageBlock(_Block):
    type: Literal["image"]
    value: CaptionedImage


class FactsBlock(_Block):
    type: Literal["facts"]
    value: Facts


class LinksBlock(_Block):
    type: Literal["links"]
    value: Links


class QuoteBlock(_Block):
    type: Literal["quote"]
    value: Quote


class MunicipalityNote(Output):
    municipality: str = Field(description="The four-digit kommunenummer.", examples=["1832"])
    note: str


class ArrivalStep(Output):
    title: str = Field(examples=["Report your move to the National Registry"])
    what_to_do: str
    audience: Literal["everyone", "eu_eea", "others"] = Field(
        description="Who needs the step: everyone, citizens of EU/EEA countries, or citizens "
        "of other countries."
    )
    audience_label: str
    timing: str | None = Field(examples=["Within 8 days of moving"])
    link: Link = Field(description="The public body's own page for the step.")
    municipality_notes: list[MunicipalityNote] = Field(
        description="What is different in single municipalities."
    )


class ArrivalStepBlock(_Block):
    type: Literal["step"]
    value: ArrivalStep


class Fee(Output):
    label: str = Field(examples=["Full-time place"])
    amount: int = Field(examples=[1500])
    currency: Literal["NOK"]
    period: Literal["month", "year", "once"]
    year: int = Field(description="The year the amount applies to.", examples=[2026])


class Admission(Output):
    kind: Literal["kindergarten", "school"]
    kind_label: str
    how_to_apply: str
    application_url: str
    deadline: date | None = Field(description="The main intake's deadline, if there is one.")
    deadline_note: str | None
    fees: list[Fee]
    contact: Contact | None


class AdmissionBlock(_Block):
    type: Literal["admission"]
    value: Admission


class ContactBlock(_Block):
    type: Literal["contact"]
    value: Contact | None = Field(description="None when the contact has been deleted.")


class IndustryBlock(_Block):
    type: Literal["industry"]
    value: Industry


class LeisureBlock(_Block):
    type: Literal["leisure"]
    value: LeisureActivity


class SchoolBlock(_Block):
    type: Literal["school"]
    value: School


Block = Annotated[
    ParagraphBlock
    | ImageBlock
    | FactsBlock
    | LinksBlock
    | QuoteBlock
    | ContactBlock
    | ArrivalStepBlock
    | AdmissionBlock
    | IndustryBlock
    | LeisureBlock
    | SchoolBlock,
    Field(discriminator="type"),
]


# ---- what every resource carries ----------------------------------------------------------


class PageTranslation(Output):
    """The same page in another language."""

    lang: Lang
    id: int
    html_url: str
    api_url: str


class EntryTranslation(Output):
    """The same entry in another language (its id is the same)."""

    lang: Lang
    id: str
    html_url: str
    api_url: str


class MissingTranslation(Output):
    """A resource that exists in the other language but not (yet) in this one."""

    lang: Lang = Field(description="The language it does exist in.")
    id: int | str
    translation_key: str
    title: str
    html_url: str
    api_url: str


WITH_BODY = ("seo_title", "search_description", "hero_image", "theme", "municipality_number")
WITH_BODY += ("body",)


def _with_body(description: str = ""):
    """A field of a page's detail that a list gives only with `include=body`."""
    text = f"{description} " if description else ""
    return Field(
        default=None,
        description=f"{text}In a list: only with `include=body`.",
        json_schema_extra=lambda schema: schema.pop("default", None),
    )


class PageSummary(Output):
    id: int = Field(description="The page's id; each language version has its own.")
    type: PageType
    lang: Lang
    translation_key: UUID = Field(description="The same for every language version.")
    title: str
    slug: str
    intro: str
    html_url: str = Field(examples=["https://ranaregionen.no/en/rana/"])
    api_url: str
    first_published_at: datetime | None
    last_published_at: datetime | None
    translations: list[PageTranslation] = Field(description="The other language versions.")
    # A list asked for `include=body` gives each page whole, as its detail does; these
    # fields are then there, and left out (never null) otherwise.
    seo_title: str = _with_body()
    search_description: str = _with_body()
    hero_image: Image | None = _with_body()
    theme: Theme | None = _with_body("Theme pages only: which entries they gather.")
    municipality_number: str | None = _with_body("Municipality pages only.")
    body: list[Block] = _with_body()

    @model_serializer(mode="wrap")
    def _leave_out_what_was_not_asked_for(self, serialize):
        data = serialize(self)
        for name in WITH_BODY:
            if name not in self.model_fields_set:
                data.pop(name, None)
        return data


class PageDetail(PageSummary):
    seo_title: str
    search_description: str
    hero_image: Image | None
    theme: Theme | None = Field(description="Theme pages only: which entries they gather.")
    municipality_number: str | None = Field(description="Municipality pages only.")
    body: list[Block]


class PageList(Output):
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    items: list[PageSummary]
    missing_translations: list[MissingTranslation] = Field(
        description="Pages that match but exist only in the other language."
    )


# ---- municipalities -----------------------------------------------------------------------


class DataSource(Output):
    """An open data source that a value comes from, with its licence: credit it where you
    show the value."""

    source: str = Field(
        description="The source's name in the pipeline (`ssb-population`: Statistics "
        "Norway's table 07459); more may be added.",
        examples=["ssb-population"],
    )
    publisher: str = Field(examples=["Statistisk sentralbyrå (SSB)"])
    licence: str = Field(examples=["CC BY 4.0"])
    licence_url: str


class MunicipalityFacts(Output):
    administrative_centre: str | None = Field(examples=["Mo i Rana"])
    population: int | None = Field(examples=[26300])
    population_year: int | None = Field(examples=[2025])
    population_source: DataSource | None = Field(
        description="Where the population comes from when the open data pipeline wrote it "
        "(Statistics Norway); null when the editor gave the figure, or none."
    )
    area_km2: float | None = Field(examples=[4460.2])
    area_year: int | None
    source: str | None = Field(
        description="The source the editor names for the facts, as they wrote it.",
        examples=["Statistics Norway (SSB)"],
    )


class MunicipalityLinks(Output):
    website: str = Field(examples=["https://www.rana.kommune.no/"])
    vacancies: str | None


class EntryCounts(Output):
    industry: int
    leisure: int
    school: int


class MunicipalitySummary(PageSummary):
    api_url: str = Field(
        description="The municipality with its entries (not its page at /pages/{id}).",
        examples=["https://ranaregionen.no/api/v1/municipalities/1833?lang=en"],
    )
    number: str = Field(description="The four-digit kommunenummer.", examples=["1833"])
    facts: MunicipalityFacts
    links: MunicipalityLinks
    entry_counts: EntryCounts


class MunicipalityRef(Output):
    id: int
    number: str
    name: str
    slug: str


# ---- entries --------------------------------------------------------------------------------


class _Entry(Output):
    id: str = Field(description="The block's id: the same in both languages.")
    lang: Lang
    translation_key: str = Field(description="Joins the language versions (equal to `id`).")
    name: str
    category: str = Field(description="Sector, activity category or school level (a code).")
    category_label: str
    seasons: list[Season]
    coordinates: Coordinates | None
    municipality: MunicipalityRef
    position: int = Field(description="The block's position on its municipality page.")
    html_url: str
    api_url: str
    first_published_at: datetime | None
    last_published_at: datetime | None
    translations: list[EntryTranslation]


class IndustryEntry(_Entry):
    kind: Literal["industry"]
    data: Industry


class LeisureEntry(_Entry):
    kind: Literal["leisure"]
    data: LeisureActivity


class SchoolEntry(_Entry):
    kind: Literal["school"]
    data: School


Entry = Annotated[IndustryEntry | LeisureEntry | SchoolEntry, Field(discriminator="kind")]


class EntryList(Output):
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    items: list[Entry]


class PointGeometry(Output):
    type: Literal["Point"]
    coordinates: list[float] = Field(
        min_length=2,
        max_length=2,
        description="Longitude, then latitude, in decimal degrees (WGS 84), as GeoJSON has them.",
        examples=[[14.1428, 66.3128]],
    )


class EntryFeature(Output):
    """An entry as a GeoJSON feature (RFC 7946): its point, and the entry itself as the
    feature's properties (as `/entries` gives it)."""

    type: Literal["Feature"]
    id: str = Field(description="The entry's id.")
    geometry: PointGeometry
    properties: Entry


class EntryFeatureCollection(Output):
    """Entries with coordinates as a GeoJSON FeatureCollection (RFC 7946), with the
    list's paging as foreign members."""

    type: Literal["FeatureCollection"]
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    features: list[EntryFeature]


class MunicipalityList(Output):
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    items: list[MunicipalitySummary]
    missing_translations: list[MissingTranslation]


class MunicipalityDetail(MunicipalitySummary):
    hero_image: Image | None
    contact: Contact | None = Field(description="Who newcomers can call or write to.")
    entries: list[Entry] = Field(description="Industries, leisure activities and schools.")
    missing_entry_translations: list[MissingTranslation] = Field(
        description="Entries of this municipality that exist only in the other language."
    )


class Region(Output):
    lang: Lang
    id: int
    translation_key: UUID
    name: str = Field(examples=["The Rana region"])
    intro: str
    html_url: str
    api_url: str
    first_published_at: datetime | None
    last_published_at: datetime | None
    translations: list[PageTranslation]
    hero_image: Image | None
    contact: Contact | None = Field(
        description="The region's newcomer contact (tilflytterkontakt)."
    )
    municipalities: list[MunicipalitySummary]
    theme_pages: list[PageSummary]


class RegionListItem(Output):
    """A region of this install: its own site, host and municipalities."""

    key: str = Field(
        description="What `?region=` names it by (its home page's slug).",
        examples=["ranaregionen"],
    )
    name: str = Field(examples=["Ranaregionen"])
    html_url: str = Field(description="The region's site.", examples=["https://ranaregionen.no/"])
    api_url: str = Field(
        description="The region's description (`/region`) on this host.",
        examples=["https://ranaregionen.no/api/v1/region?region=ranaregionen"],
    )
    municipality_numbers: list[str] = Field(examples=[["1833", "1832", "1834", "1828"]])
    languages: list[Lang]


class RegionList(Output):
    items: list[RegionListItem]


# ---- events ---------------------------------------------------------------------------------


class Place(Output):
    name: str = Field(examples=["Moheia fritidssenter, Mo i Rana"])
    coordinates: Coordinates | None


class Event(PageSummary):
    """An event (schema.org `Event`): a page below the calendar, served by /events."""

    starts_at: datetime
    ends_at: datetime
    municipality: str = Field(description="The kommunenummer.", examples=["1833"])
    place: Place
    category: EventCategory
    category_label: str
    price: str | None = Field(examples=["Free"])
    organiser: str | None
    url: str | None = Field(description="The organiser's page for the event.")
    image: Image | None


class EventList(Output):
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    items: list[Event]


# ---- the change feed ------------------------------------------------------------------------


class _Change(Output):
    action: ChangeAction = Field(
        description="`published` (new or changed: fetch `api_url`), or a tombstone: "
        "`unpublished` (also: made private) or `deleted`."
    )
    lang: Lang
    translation_key: str
    occurred_at: datetime
    api_url: str = Field(description="Where the resource is (or was) served.")


class PageChange(_Change):
    resource_type: Literal["page"]
    id: int


class EntryChange(_Change):
    resource_type: Literal["entry"]
    id: str


class VacancyChange(_Change):
    resource_type: Literal["vacancy"]
    id: str = Field(description="The vacancy's id, as in /api/v1/vacancies.")


Change = Annotated[PageChange | EntryChange | VacancyChange, Field(discriminator="resource_type")]


class ChangeHead(Output):
    """Where the feed is now: a mirror that takes this cursor before a full sync follows the
    feed from it afterwards, without replaying the history."""

    cursor: str = Field(
        description="Pass as `since`. Opaque: do not parse or build it.",
        examples=["2.128.Vq3kM0xPa1E"],
    )
    occurred_at: datetime | None = Field(
        description="When the newest change happened; null before the first one."
    )


class ChangeList(Output):
    items: list[Change]
    next_cursor: str = Field(
        description="Pass as `since` next time. Opaque: do not parse or build it."
    )
    has_more: bool = Field(description="Whether more changes wait beyond this batch.")


# ---- problems (RFC 9457) ----------------------------------------------------------------


class ProblemParameter(Output):
    name: str = Field(examples=["limit"])
    reason: str = Field(examples=["At most 100."])


class Problem(BaseModel):
    type: str = Field(examples=["https://ranaregionen.no/api/v1/problems/invalid-parameters"])
    title: str = Field(examples=["Invalid query parameters"])
    status: int = Field(examples=[400])
    detail: str
    instance: str | None = None
    errors: list[ProblemParameter] | None = None
    available: list[MissingTranslation] | None = Field(
        default=None, description="For a missing translation: the language versions there are."
    )
