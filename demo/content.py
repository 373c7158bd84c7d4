"""The demo content of the region, in Norwegian with its English translation.

Every text is a pair `T(nb, en)`: the Norwegian is written into the pages, the English is
given to wagtail-localize as the translation of that segment. Facts are kept modest and
left out where they are not certain (no population figures, no organisation numbers:
the register imports bring those). Coordinates are given for town centres only.

Some school and industry blocks rest on the registers, as an officer's blocks would:
they choose units of the recorded sample payloads (`sources/fixtures/recorded/`, invented
units numbered 9990000xx), whose facts the pages show labelled as sample data.
"""

import uuid
from typing import NamedTuple

from region_pages.blocks.choices import Audience, Season, Sector
from region_pages.blocks.choices import LeisureCategory as Cat
from region_pages.blocks.choices import SchoolLevel as Level
from region_pages.models import Theme
from region_pages.municipalities import KNOWN, MOSJOEN_MUNICIPALITIES
from region_pages.municipalities import MUNICIPALITIES as REGION

NUMBERS = {municipality.slug: municipality.number for municipality in KNOWN}
CENTRES = {municipality.number: municipality.centre for municipality in KNOWN}


class T(NamedTuple):
    nb: str
    en: str


ALL_YEAR = [Season.WINTER, Season.SPRING, Season.SUMMER, Season.AUTUMN]


def industry(sector, heading, description, employers=(), register=(), figures=False):
    """`register`: the organisation numbers of key employers chosen from Enhetsregisteret;
    `figures`: show the register's workplaces and employees in the sector."""
    return {
        "type": "industry",
        "sector": sector,
        "heading": heading,
        "description": description,
        "employers": [{"name": name, "url": url} for name, url in employers]
        + [{"workplace": number, "name": "", "url": ""} for number in register],
        "register_figures": figures,
    }


def leisure(name, category, seasons, description, place, coordinates=None, url=""):
    return {
        "type": "leisure",
        "name": name,
        "category": category,
        "seasons": seasons,
        "description": description,
        "place_name": place,
        "coordinates": coordinates,
        "url": url,
    }


def school(name, level, description, address="", website="", coordinates=None):
    return {
        "type": "school",
        "name": name,
        "level": level,
        "description": description,
        "address": address,
        "website": website,
        "coordinates": coordinates,
    }


def register_school(unit, level, description):
    """A school or kindergarten chosen from the register: its name and facts come from
    there; the officer gives the level and what the register cannot say."""
    return {
        "type": "school",
        "unit": unit,
        "name": "",
        "level": level,
        "description": description,
        "address": "",
        "website": "",
    }


def step(title, what_to_do, audience, timing, link_text, url, notes=()):
    """A step of the arrival guide; `notes`: (kommunenummer, note) pairs."""
    return {
        "type": "step",
        "title": title,
        "what_to_do": what_to_do,
        "audience": audience,
        "timing": timing,
        "link_text": link_text,
        "url": url,
        # As the admin saves a list: items with ids (wagtail-localize translates only those).
        "municipality_notes": [
            {
                "type": "item",
                "id": str(uuid.uuid4()),
                "value": {"municipality": number, "note": note},
            }
            for number, note in notes
        ],
    }


def admission(kind, how_to_apply, url, deadline_note):
    """The municipality's admission block; the builder adds the municipality's contact."""
    return {
        "type": "admission",
        "kind": kind,
        "how_to_apply": how_to_apply,
        "application_url": url,
        "deadline_note": deadline_note,
        "fees": [],
    }


def admissions(url):
    """Applying for a kindergarten place and starting school: the national rules, and
    the municipality's own website for its deadline and fees."""
    return [
        admission(
            "kindergarten",
            T(
                "Søk om barnehageplass på kommunens nettsted. Du kan søke hele året; de "
                "fleste plassene fordeles i hovedopptaket om våren. Kommunen setter fristen "
                "og prisen, innenfor den nasjonale makspris.",
                "Apply for a kindergarten place on the municipality's website. You can apply "
                "all year; most places are given in the main intake in spring. The "
                "municipality sets the deadline and the price, within the national maximum.",
            ),
            url,
            T(
                "Barn som fyller ett år innen utgangen av november, har rett til plass når "
                "det er søkt innen fristen for hovedopptaket.",
                "Children who turn one by the end of November have a right to a place when "
                "the application is in by the deadline of the main intake.",
            ),
        ),
        admission(
            "school",
            T(
                "Barn begynner på skolen i august det året de fyller seks år. Kommunen sender "
                "brev om innskriving; flytter dere hit, kontakter dere kommunen, som sier "
                "hvilken skole som hører til adressen.",
                "Children start school in August of the year they turn six. The municipality "
                "writes to you about enrolment; if you move here, contact the municipality, "
                "which tells you which school belongs to your address.",
            ),
            url,
            "",
        ),
    ]


def paragraph(*paragraphs):
    return {"type": "paragraph", "paragraphs": paragraphs}


# Every demo picture is drawn by `builder.generated_image` (nothing is downloaded), and
# they all show the same kind of scene: the text says what is in it, not what the place
# looks like.
PICTURE_ALT = T(
    "Tegning: tre rader med fjell i gråtoner mot en blå og lilla kveldshimmel, med en "
    "stripe mørkeblått vann nederst.",
    "Drawing: three rows of mountains in shades of grey against a blue and purple evening "
    "sky, with a strip of dark blue water at the bottom.",
)

# The switchboards' numbers that are certain; the others are left out.
PHONES = {"rana": "75 14 50 00"}

# The people and offices readers can reach. Only what is public and stable: each
# municipality's switchboard and post-room address; a phone number where it is certain.
# Officers replace these with their own newcomer contacts.
CONTACTS = {
    "region": {
        "name": T("Servicetorget i Rana kommune", "Rana municipality service desk"),
        "role": T("Spørsmål om å flytte til regionen", "Questions about moving to the region"),
        "phone": PHONES["rana"],
        "email": "postmottak@rana.kommune.no",
        "languages": ["nb", "en"],
    },
    **{
        slug: {
            "name": T(f"{name} kommune, postmottak", f"{name} municipality, post room"),
            "role": T(
                "Spørsmål om barnehage, skole, bolig og helse for nye innbyggere",
                "Questions from new residents about kindergartens, schools, housing and health",
            ),
            "phone": phone,
            "email": f"postmottak@{slug}.kommune.no",
            "languages": ["nb", "en"],
        }
        for slug, name, phone in ((m.slug, m.name, PHONES.get(m.slug, "")) for m in REGION)
    },
}

HOME = {
    "slug": "ranaregionen",
    "title": T("Ranaregionen", "The Rana region"),
    "intro": T(
        "Fire kommuner på Helgeland, fra kysten til fjellet: Rana, Hemnes, Lurøy og Nesna.",
        "Four municipalities in Helgeland, from the coast to the mountains: Rana, Hemnes, "
        "Lurøy and Nesna.",
    ),
    "hero_alt_text": PICTURE_ALT,
    "body": [
        paragraph(
            T(
                "Det er helheten i regionen som gjør den til et godt sted å bo. Her finner du "
                "arbeid i en industriby, fritid ved kysten og på fjellet, og barnehager og "
                "skoler i alle fire kommuner.",
                "It is the region as a whole that makes it a good place to live. Here you "
                "find work in an industrial town, leisure on the coast and in the mountains, "
                "and kindergartens and schools in all four municipalities.",
            ),
        ),
    ],
}

MUNICIPALITIES = [
    {
        "slug": "rana",
        "title": T("Rana", "Rana"),
        "number": NUMBERS["rana"],
        "website": "https://www.rana.kommune.no/",
        "intro": T(
            "Rana er den største kommunen i regionen. Mo i Rana er den tredje største byen i "
            "Nord-Norge og en viktig industriby.",
            "Rana is the largest municipality in the region. Mo i Rana is the third largest "
            "town in Northern Norway and an important industrial town.",
        ),
        "hero_alt_text": PICTURE_ALT,
        "body": [
            industry(
                Sector.INDUSTRY,
                T("Prosessindustri i Mo Industripark", "Process industry at Mo Industripark"),
                T(
                    "Mo Industripark i Mo i Rana samler mange industribedrifter, blant annet "
                    "innen metallproduksjon.",
                    "Mo Industripark in Mo i Rana brings together many industrial companies, "
                    "among them metal producers.",
                ),
                [
                    ("Mo Industripark", "https://www.moindustripark.no/"),
                    ("Elkem Rana", ""),
                    ("Celsa Armeringsstål", ""),
                ],
                register=["999000029"],
                figures=True,
            ),
            industry(
                Sector.ENERGY,
                T("Vannkraft", "Hydropower"),
                T(
                    "Statkraft driver vannkraftverk i Rana, blant dem Rana kraftverk.",
                    "Statkraft runs hydropower stations in Rana, among them Rana power station.",
                ),
                [("Statkraft", "https://www.statkraft.no/")],
                register=["999000037"],
                figures=True,
            ),
            industry(
                Sector.PUBLIC,
                T("Statlige arbeidsplasser", "Government workplaces"),
                T(
                    "Nasjonalbiblioteket har en stor avdeling i Mo i Rana.",
                    "The National Library of Norway has a large department in Mo i Rana.",
                ),
                [("Nasjonalbiblioteket", "https://www.nb.no/")],
            ),
            industry(
                Sector.HEALTH,
                T("Sykehus", "Hospital"),
                T(
                    "Helgelandssykehuset har sykehus i Mo i Rana.",
                    "Helgeland Hospital Trust has a hospital in Mo i Rana.",
                ),
                [("Helgelandssykehuset", "https://helgelandssykehuset.no/")],
                register=["999000045"],
                figures=True,
            ),
            leisure(
                T("Svartisen", "Svartisen glacier"),
                Cat.NATURE,
                [Season.SUMMER, Season.AUTUMN],
                T(
                    "Svartisen er Norges nest største isbre, og en del av den ligger i Rana.",
                    "Svartisen is the second largest glacier in Norway, and part of it lies in "
                    "Rana.",
                ),
                "Svartisen",
            ),
            leisure(
                T("Grønligrotta", "Grønligrotta cave"),
                Cat.NATURE,
                [Season.SUMMER],
                T(
                    "Grønligrotta er en kalksteinsgrotte nord for Mo i Rana, med omvisning om "
                    "sommeren.",
                    "Grønligrotta is a limestone cave north of Mo i Rana, with guided tours in "
                    "summer.",
                ),
                "Grønli",
            ),
            leisure(
                T("Turer på Saltfjellet", "Hiking on Saltfjellet"),
                Cat.HIKING,
                [Season.SUMMER, Season.AUTUMN],
                T(
                    "Saltfjellet har merkede stier og turisthytter. Polarsirkelsenteret ligger "
                    "ved E6 over fjellet.",
                    "Saltfjellet has marked trails and mountain huts. The Arctic Circle Centre "
                    "lies by the E6 across the mountain.",
                ),
                "Saltfjellet",
            ),
            leisure(
                T("Langrenn i Mo i Rana", "Cross-country skiing in Mo i Rana"),
                Cat.SKIING,
                [Season.WINTER, Season.SPRING],
                T(
                    "Om vinteren er det oppkjørte skiløyper i og rundt byen.",
                    "In winter there are groomed ski trails in and around the town.",
                ),
                "Mo i Rana",
                {"latitude": 66.3128, "longitude": 14.1428},
            ),
            school(
                T("Barnehager i Rana", "Kindergartens in Rana"),
                Level.KINDERGARTEN,
                T(
                    "Kommunale og private barnehager over hele kommunen.",
                    "Municipal and private kindergartens across the municipality.",
                ),
                website="https://www.rana.kommune.no/",
            ),
            register_school(
                "999000010",
                Level.KINDERGARTEN,
                T(
                    "Eksempel fra barnehageregisteret: navn, alder, antall barn, adresse og "
                    "nettside hentes derfra.",
                    "An example from the kindergarten register: the name, ages, number of "
                    "children, address and website come from there.",
                ),
            ),
            register_school(
                "999000001",
                Level.PRIMARY,
                T(
                    "Eksempel fra skoleregisteret: navn, trinn, antall elever, adresse og "
                    "nettside hentes derfra.",
                    "An example from the school register: the name, years, number of pupils, "
                    "address and website come from there.",
                ),
            ),
            school(
                T("Grunnskoler i Rana", "Primary and lower secondary schools in Rana"),
                Level.COMBINED,
                T(
                    "Barneskoler og ungdomsskoler i byen og i bygdene.",
                    "Primary and lower secondary schools in the town and in the villages.",
                ),
                website="https://www.rana.kommune.no/",
            ),
            school(
                T("Polarsirkelen videregående skole", "Polarsirkelen upper secondary school"),
                Level.UPPER_SECONDARY,
                T(
                    "Videregående skole i Mo i Rana, eid av Nordland fylkeskommune.",
                    "Upper secondary school in Mo i Rana, owned by Nordland County Council.",
                ),
                address="Mo i Rana",
            ),
            school(
                T("Nord universitet, Mo i Rana", "Nord University, Mo i Rana"),
                Level.HIGHER,
                T(
                    "Universitetet har et studiested i Mo i Rana.",
                    "The university has a campus in Mo i Rana.",
                ),
                address="Mo i Rana",
                website="https://www.nord.no/",
            ),
        ],
    },
    {
        "slug": "hemnes",
        "title": T("Hemnes", "Hemnes"),
        "number": NUMBERS["hemnes"],
        "website": "https://www.hemnes.kommune.no/",
        "intro": T(
            "Hemnes strekker seg fra Ranfjorden til svenskegrensen, med tettstedene "
            "Hemnesberget, Korgen og Bleikvassli.",
            "Hemnes stretches from Ranfjorden to the Swedish border, with the villages of "
            "Hemnesberget, Korgen and Bleikvassli.",
        ),
        "hero_alt_text": PICTURE_ALT,
        "body": [
            industry(
                Sector.AGRICULTURE,
                T("Jordbruk og skogbruk", "Farming and forestry"),
                T(
                    "Jordbruk og skogbruk er viktige næringer i bygdene i Hemnes.",
                    "Farming and forestry are important industries in the villages of Hemnes.",
                ),
            ),
            industry(
                Sector.PUBLIC,
                T("Kommunen som arbeidsgiver", "The municipality as an employer"),
                T(
                    "Hemnes kommune har arbeidsplasser innen skole, helse og omsorg.",
                    "Hemnes municipality employs people in schools, health and care.",
                ),
                [("Hemnes kommune", "https://www.hemnes.kommune.no/")],
            ),
            industry(
                Sector.TOURISM,
                T("Reiseliv", "Tourism"),
                T(
                    "Okstindan og Røssvatnet trekker besøkende til kommunen.",
                    "Okstindan and Røssvatnet draw visitors to the municipality.",
                ),
            ),
            leisure(
                T("Fjellturer i Okstindan", "Mountain hiking in Okstindan"),
                Cat.HIKING,
                [Season.SUMMER, Season.AUTUMN],
                T(
                    "I Okstindan ligger Oksskolten, det høyeste fjellet i Nord-Norge.",
                    "Okstindan is home to Oksskolten, the highest mountain in Northern Norway.",
                ),
                "Okstindan",
            ),
            leisure(
                T("Fiske i Røssvatnet", "Fishing in Røssvatnet"),
                Cat.FISHING,
                [Season.SUMMER, Season.AUTUMN],
                T(
                    "Røssvatnet er Norges nest største innsjø målt i areal.",
                    "Røssvatnet is the second largest lake in Norway by area.",
                ),
                "Røssvatnet",
            ),
            leisure(
                T("Båtliv fra Hemnesberget", "Boating from Hemnesberget"),
                Cat.WATER,
                [Season.SUMMER],
                T(
                    "Hemnesberget ligger ved Ranfjorden og er et godt utgangspunkt for båtturer.",
                    "Hemnesberget lies on Ranfjorden and is a good starting point for boat trips.",
                ),
                "Hemnesberget",
                {"latitude": 66.2236, "longitude": 13.6131},
            ),
            school(
                T("Barnehager i Hemnes", "Kindergartens in Hemnes"),
                Level.KINDERGARTEN,
                T(
                    "Barnehager i tettstedene i kommunen.",
                    "Kindergartens in the villages of the municipality.",
                ),
                website="https://www.hemnes.kommune.no/",
            ),
            school(
                T("Barneskoler i Hemnes", "Primary schools in Hemnes"),
                Level.PRIMARY,
                T("Barneskoler for 1. til 7. trinn.", "Primary schools for years 1 to 7."),
                website="https://www.hemnes.kommune.no/",
            ),
            school(
                T("Ungdomsskole i Hemnes", "Lower secondary school in Hemnes"),
                Level.LOWER_SECONDARY,
                T(
                    "Ungdomsskole for 8. til 10. trinn.",
                    "Lower secondary school for years 8 to 10.",
                ),
                website="https://www.hemnes.kommune.no/",
            ),
        ],
    },
    {
        "slug": "luroy",
        "title": T("Lurøy", "Lurøy"),
        "number": NUMBERS["luroy"],
        "website": "https://www.luroy.kommune.no/",
        "intro": T(
            "Lurøy er en øy- og kystkommune på Helgelandskysten, der havbruk er en viktig næring.",
            "Lurøy is an island and coastal municipality on the Helgeland coast, where "
            "aquaculture is an important industry.",
        ),
        "hero_alt_text": PICTURE_ALT,
        "body": [
            industry(
                Sector.AQUACULTURE,
                T("Havbruk", "Aquaculture"),
                T(
                    "Oppdrett av laks gir arbeidsplasser på øyene, blant annet på Lovund.",
                    "Salmon farming provides jobs on the islands, among them Lovund.",
                ),
                [("Nova Sea", "https://www.novasea.no/")],
                register=["999000088"],
                figures=True,
            ),
            industry(
                Sector.PUBLIC,
                T("Kommunen som arbeidsgiver", "The municipality as an employer"),
                T(
                    "Lurøy kommune har arbeidsplasser innen skole, helse og omsorg.",
                    "Lurøy municipality employs people in schools, health and care.",
                ),
                [("Lurøy kommune", "https://www.luroy.kommune.no/")],
            ),
            industry(
                Sector.TOURISM,
                T("Reiseliv på kysten", "Coastal tourism"),
                T(
                    "Øyene og fuglelivet trekker besøkende om sommeren.",
                    "The islands and the bird life draw visitors in summer.",
                ),
            ),
            leisure(
                T("Lundefuglene på Lovund", "The puffins of Lovund"),
                Cat.NATURE,
                [Season.SPRING, Season.SUMMER],
                T(
                    "Lundefuglen hekker i fuglefjellet på Lovund fra våren til sensommeren.",
                    "Puffins nest on the bird cliff of Lovund from spring until late summer.",
                ),
                "Lovund",
                {"latitude": 66.3667, "longitude": 12.3667},
            ),
            leisure(
                T("Tur til Lurøyfjellet", "Hike to Lurøyfjellet"),
                Cat.HIKING,
                [Season.SUMMER, Season.AUTUMN],
                T(
                    "Fra toppen av Lurøyfjellet ser du utover øyriket.",
                    "From the top of Lurøyfjellet you look out over the islands.",
                ),
                "Lurøya",
            ),
            leisure(
                T("Havfiske og padling", "Sea fishing and paddling"),
                Cat.WATER,
                [Season.SPRING, Season.SUMMER, Season.AUTUMN],
                T(
                    "Mellom øyene er det gode muligheter for fiske fra båt og padling i kajakk.",
                    "Between the islands there is good fishing from a boat and paddling by kayak.",
                ),
                "Lurøy",
            ),
            school(
                T("Barnehager i Lurøy", "Kindergartens in Lurøy"),
                Level.KINDERGARTEN,
                T(
                    "Barnehager på flere av øyene og på fastlandet.",
                    "Kindergartens on several islands and on the mainland.",
                ),
                website="https://www.luroy.kommune.no/",
            ),
            school(
                T("Barneskoler i Lurøy", "Primary schools in Lurøy"),
                Level.PRIMARY,
                T("Barneskoler for 1. til 7. trinn.", "Primary schools for years 1 to 7."),
                website="https://www.luroy.kommune.no/",
            ),
            school(
                T("Ungdomsskole i Lurøy", "Lower secondary school in Lurøy"),
                Level.LOWER_SECONDARY,
                T(
                    "Ungdomsskole for 8. til 10. trinn.",
                    "Lower secondary school for years 8 to 10.",
                ),
                website="https://www.luroy.kommune.no/",
            ),
        ],
    },
    {
        "slug": "nesna",
        "title": T("Nesna", "Nesna"),
        "number": NUMBERS["nesna"],
        "website": "https://www.nesna.kommune.no/",
        "intro": T(
            "Nesna er en kystkommune med lang tradisjon som skolested.",
            "Nesna is a coastal municipality with a long tradition as a place of learning.",
        ),
        "hero_alt_text": PICTURE_ALT,
        "body": [
            industry(
                Sector.EDUCATION,
                T("Utdanning", "Education"),
                T(
                    "Nesna har lang tradisjon for lærerutdanning.",
                    "Nesna has a long tradition of teacher education.",
                ),
                register=["999000096"],
                figures=True,
            ),
            industry(
                Sector.AQUACULTURE,
                T("Havbruk og fiske", "Aquaculture and fishing"),
                T(
                    "Havet gir arbeid innen oppdrett og fiske.",
                    "The sea provides work in fish farming and fishing.",
                ),
            ),
            industry(
                Sector.PUBLIC,
                T("Kommunen som arbeidsgiver", "The municipality as an employer"),
                T(
                    "Nesna kommune har arbeidsplasser innen skole, helse og omsorg.",
                    "Nesna municipality employs people in schools, health and care.",
                ),
                [("Nesna kommune", "https://www.nesna.kommune.no/")],
            ),
            leisure(
                T("Friluftsliv ved sjøen", "Outdoor life by the sea"),
                Cat.WATER,
                [Season.SPRING, Season.SUMMER, Season.AUTUMN],
                T(
                    "Strender, svaberg og fiske fra land like ved tettstedet.",
                    "Beaches, smooth rocks and fishing from the shore close to the village.",
                ),
                "Nesna",
                {"latitude": 66.1989, "longitude": 13.0200},
            ),
            leisure(
                T("Fjellturer", "Mountain hikes"),
                Cat.HIKING,
                [Season.SUMMER, Season.AUTUMN],
                T(
                    "Fjellene rundt Nesna gir turer med utsikt over Helgelandskysten.",
                    "The mountains around Nesna offer hikes with views of the Helgeland coast.",
                ),
                "Nesna",
            ),
            leisure(
                T("Skiturer", "Ski trips"),
                Cat.SKIING,
                [Season.WINTER],
                T(
                    "Når snøen kommer, blir fjellet et turterreng for ski.",
                    "When the snow comes, the mountains become terrain for ski trips.",
                ),
                "Nesna",
            ),
            school(
                T("Barnehager i Nesna", "Kindergartens in Nesna"),
                Level.KINDERGARTEN,
                T("Barnehager i kommunen.", "Kindergartens in the municipality."),
                website="https://www.nesna.kommune.no/",
            ),
            school(
                T("Barneskoler i Nesna", "Primary schools in Nesna"),
                Level.PRIMARY,
                T("Barneskoler for 1. til 7. trinn.", "Primary schools for years 1 to 7."),
                website="https://www.nesna.kommune.no/",
            ),
            school(
                T("Ungdomsskole i Nesna", "Lower secondary school in Nesna"),
                Level.LOWER_SECONDARY,
                T(
                    "Ungdomsskole for 8. til 10. trinn.",
                    "Lower secondary school for years 8 to 10.",
                ),
                website="https://www.nesna.kommune.no/",
            ),
        ],
    },
]

THEMES = [
    {
        "slug": T("arbeid", "jobs"),
        "theme": Theme.WORK,
        "title": T("Jobb og næringsliv", "Work and industry"),
        "intro": T(
            "Bransjer og arbeidsplasser i alle fire kommuner.",
            "Industries and workplaces in all four municipalities.",
        ),
    },
    {
        "slug": T("fritid", "leisure"),
        "theme": Theme.LEISURE,
        "title": T("Fritid", "Leisure"),
        "intro": T(
            "Fra kysten til fjellet: hva du kan gjøre i regionen gjennom året.",
            "From the coast to the mountains: what you can do in the region through the year.",
        ),
    },
    {
        "slug": T("oppvekst", "growing-up"),
        "theme": Theme.GROWING_UP,
        "title": T("Oppvekst", "Growing up"),
        "intro": T(
            "Barnehager og skoler i regionen.",
            "Kindergartens and schools in the region.",
        ),
    },
]

ARTICLES = [
    {
        "slug": T("reise", "travel"),
        "title": T("Reise til og fra regionen", "Travelling to and from the region"),
        "intro": T(
            "Fly, tog, vei og båt binder regionen sammen med resten av landet.",
            "Air, rail, road and sea link the region with the rest of the country.",
        ),
        "body": [
            paragraph(
                T(
                    "Mo i Rana har flyplass, og Nordlandsbanen stopper i byen.",
                    "Mo i Rana has an airport, and the Nordland Line railway stops in the town.",
                ),
                T(
                    "E6 går gjennom Rana, og Hurtigruten legger til på Nesna.",
                    "The E6 runs through Rana, and the Hurtigruten coastal ship calls at Nesna.",
                ),
            ),
        ],
    },
]


# The steps of moving here. Only what the public bodies themselves say on the pages linked;
# where a rule has details (deadlines that each municipality sets), the step says where to
# find them instead of repeating them.
_APPLY_LOCALLY = [
    (
        NUMBERS[slug],
        T(f"Søk på nettstedet til {name} kommune.", f"Apply on {name} municipality's website."),
    )
    for slug, name in ((m.slug, m.name) for m in REGION)
]

ARRIVAL_GUIDE = {
    "slug": T("flytte-hit", "moving-here"),
    "title": T("Flytte til regionen", "Moving to the region"),
    "intro": T(
        "Dette gjør du når du flytter til Rana, Hemnes, Lurøy eller Nesna, steg for steg. "
        "Kryss av det du har gjort.",
        "What to do when you move to Rana, Hemnes, Lurøy or Nesna, step by step. Tick off "
        "what you have done.",
    ),
    "body": [
        step(
            T("Meld flytting til Folkeregisteret", "Report your move to the National Registry"),
            T(
                "Alle som flytter, skal melde ny adresse til Folkeregisteret hos Skatteetaten. "
                "Flytter du fra utlandet, møter du på et skattekontor med pass eller ID-kort.",
                "Everyone who moves must report their new address to the National Registry "
                "at the Tax Administration. If you move from abroad, you go to a tax office "
                "with your passport or ID card.",
            ),
            Audience.EVERYONE,
            T(
                "Senest åtte dager etter at du har flyttet",
                "No later than eight days after you move",
            ),
            T("Flytting (skatteetaten.no)", "Moving (skatteetaten.no)"),
            "https://www.skatteetaten.no/person/folkeregister/flytte/",
        ),
        step(
            T("Få fødselsnummer eller D-nummer", "Get a national identity number or D number"),
            T(
                "Når du flytter hit fra utlandet og skal bo her i minst seks måneder, får du "
                "et fødselsnummer. Skal du bo her kortere, får du et D-nummer. Du trenger "
                "nummeret hos banken, legen og arbeidsgiveren.",
                "When you move here from abroad to live here for at least six months, you get "
                "a national identity number. For a shorter stay you get a D number. You need "
                "the number at the bank, the doctor and your employer.",
            ),
            Audience.EVERYONE,
            T("Når du kommer", "When you arrive"),
            T("Flytte til Norge (skatteetaten.no)", "Moving to Norway (skatteetaten.no)"),
            "https://www.skatteetaten.no/person/folkeregister/flytte/til-norge/",
        ),
        step(
            T("Registrer deg hos politiet", "Register with the police"),
            T(
                "Borgere av EU- og EØS-land som skal bo i Norge i mer enn tre måneder, "
                "registrerer seg hos politiet og får et registreringsbevis.",
                "Citizens of EU and EEA countries who will live in Norway for more than "
                "three months register with the police and receive a registration "
                "certificate.",
            ),
            Audience.EU_EEA,
            T("Før det har gått tre måneder", "Before three months have passed"),
            T("EU/EØS-borgere (udi.no)", "EU/EEA citizens (udi.no)"),
            "https://www.udi.no/",
        ),
        step(
            T("Søk om oppholdstillatelse", "Apply for a residence permit"),
            T(
                "Borgere av land utenfor EU og EØS trenger oppholdstillatelse for å bo og "
                "arbeide i Norge. Utlendingsdirektoratet (UDI) forklarer hvilken tillatelse "
                "som passer for deg.",
                "Citizens of countries outside the EU and EEA need a residence permit to live "
                "and work in Norway. The Directorate of Immigration (UDI) explains which "
                "permit fits you.",
            ),
            Audience.OTHERS,
            T("Før du reiser", "Before you travel"),
            T("Søk om tillatelse (udi.no)", "Apply for a permit (udi.no)"),
            "https://www.udi.no/",
        ),
        step(
            T("Bestill skattekort", "Order a tax deduction card"),
            T(
                "Alle som har lønnet arbeid i Norge, trenger skattekort. Arbeidsgiveren henter "
                "det fra Skatteetaten.",
                "Everyone in paid work in Norway needs a tax deduction card. Your employer "
                "gets it from the Tax Administration.",
            ),
            Audience.EVERYONE,
            T("Før første lønning", "Before your first pay day"),
            T("Skattekort (skatteetaten.no)", "Tax deduction card (skatteetaten.no)"),
            "https://www.skatteetaten.no/person/skatt/skattekort/",
        ),
        step(
            T("Åpne bankkonto og skaff BankID", "Open a bank account and get BankID"),
            T(
                "Med fødselsnummer eller D-nummer kan du åpne konto i en norsk bank og få "
                "BankID, som du bruker til å logge inn hos offentlige tjenester.",
                "With a national identity number or D number you can open an account in a "
                "Norwegian bank and get BankID, which you use to log in to public services.",
            ),
            Audience.EVERYONE,
            T("Når du har fått nummeret", "When you have your number"),
            T("BankID (bankid.no)", "BankID (bankid.no)"),
            "https://www.bankid.no/",
        ),
        step(
            T("Velg fastlege", "Choose a GP"),
            T(
                "Alle som bor i Norge, har rett til en fast allmennlege (fastlege). Du velger "
                "lege på helsenorge.no.",
                "Everyone who lives in Norway has the right to a regular general practitioner "
                "(GP). You choose your doctor on helsenorge.no.",
            ),
            Audience.EVERYONE,
            T("Så snart du har flyttet", "As soon as you have moved"),
            T("Fastlegen (helsenorge.no)", "Your GP (helsenorge.no)"),
            "https://www.helsenorge.no/fastlegen/",
        ),
        step(
            T("Søk barnehageplass", "Apply for a kindergarten place"),
            T(
                "Kommunen tildeler plass i barnehagene. De fleste plassene fordeles i "
                "hovedopptaket hver vår; kommunen setter søknadsfristen.",
                "The municipality gives out places in the kindergartens. Most places are "
                "given in the main intake every spring; the municipality sets the deadline.",
            ),
            Audience.EVERYONE,
            T("Så tidlig som mulig", "As early as you can"),
            T("Barnehage (udir.no)", "Kindergarten (udir.no)"),
            "https://www.udir.no/",
            _APPLY_LOCALLY,
        ),
        step(
            T("Meld barna inn på skolen", "Enrol your children at school"),
            T(
                "Barn fra seks år går på skole. Kontakt kommunen, som sier hvilken skole som "
                "hører til adressen din.",
                "Children go to school from the age of six. Contact the municipality, which "
                "tells you which school belongs to your address.",
            ),
            Audience.EVERYONE,
            T("Før du flytter", "Before you move"),
            T("Grunnskole (udir.no)", "Primary and lower secondary school (udir.no)"),
            "https://www.udir.no/",
        ),
        step(
            T("Registrer bilen i Norge", "Register your car in Norway"),
            T(
                "Tar du med bil fra utlandet, fortoller du den hos Tolletaten og registrerer "
                "den hos Statens vegvesen.",
                "If you bring a car from abroad, you declare it to Norwegian Customs and "
                "register it with the Norwegian Public Roads Administration.",
            ),
            Audience.EVERYONE,
            "",
            T("Kjøretøy (vegvesen.no)", "Vehicles (vegvesen.no)"),
            "https://www.vegvesen.no/",
        ),
        step(
            T("Finn et sted å bo", "Find a place to live"),
            T(
                "De fleste boliger til leie og salg annonseres på finn.no. Kommunen kan "
                "fortelle om kommunale boliger og startlån.",
                "Most homes to rent or buy are advertised on finn.no. The municipality can "
                "tell you about municipal housing and start-up loans.",
            ),
            Audience.EVERYONE,
            T("Før du flytter", "Before you move"),
            T("Boliger (finn.no)", "Homes (finn.no)"),
            "https://www.finn.no/realestate/",
        ),
    ],
}


# The calendar, with example events (marked as examples in their titles: the dates are
# invented, counted from the day the demo is built). One has ended already: it is left
# out of the listings but keeps its page.
EVENT_CALENDAR = {
    "slug": T("hva-skjer", "whats-on"),
    "title": T("Hva skjer", "What's on"),
    "intro": T(
        "Arrangementer i Rana, Hemnes, Lurøy og Nesna.",
        "Events in Rana, Hemnes, Lurøy and Nesna.",
    ),
}


def event(slug, title, intro, number, place, category, days, hours, price=None, coordinates=None):
    """An example event `days` from the day the demo is built, from hours[0] to hours[1]."""
    return {
        "slug": slug,
        "title": title,
        "intro": intro,
        "municipality_number": number,
        "place_name": place,
        "category": category,
        "days": days,
        "hours": hours,
        "price": price or T("Gratis", "Free"),
        "coordinates": coordinates,
    }


EVENTS = [
    event(
        T("eksempel-konsert-mo-i-rana", "example-concert-mo-i-rana"),
        T("Eksempel: Konsert i Mo i Rana", "Example: A concert in Mo i Rana"),
        T("Et eksempel på en konsert i kalenderen.", "An example of a concert in the calendar."),
        NUMBERS["rana"],
        "Mo i Rana",
        "music",
        14,
        (19, 21),
        T("200 kroner", "NOK 200"),
        (66.3128, 14.1428),
    ),
    event(
        T("eksempel-turdag-hemnes", "example-hiking-day-hemnes"),
        T("Eksempel: Turdag i Hemnes", "Example: A hiking day in Hemnes"),
        T("Et eksempel på en fellestur.", "An example of a group hike."),
        NUMBERS["hemnes"],
        "Hemnesberget",
        "outdoors",
        21,
        (11, 15),
    ),
    event(
        T("eksempel-familiedag-luroy", "example-family-day-luroy"),
        T("Eksempel: Familiedag i Lurøy", "Example: A family day in Lurøy"),
        T("Et eksempel på et arrangement for familier.", "An example of an event for families."),
        NUMBERS["luroy"],
        "Lurøy",
        "family",
        28,
        (12, 16),
    ),
    event(
        T("eksempel-foredrag-nesna", "example-talk-nesna"),
        T("Eksempel: Foredrag på Nesna", "Example: A talk in Nesna"),
        T("Et eksempel på et foredrag.", "An example of a talk."),
        NUMBERS["nesna"],
        "Nesna",
        "talk",
        35,
        (18, 20),
    ),
    event(
        T("eksempel-marked-mo-i-rana", "example-market-mo-i-rana"),
        T("Eksempel: Marked i Mo i Rana (avsluttet)", "Example: A market in Mo i Rana (ended)"),
        T("Et eksempel på et arrangement som er over.", "An example of an event that is over."),
        NUMBERS["rana"],
        "Mo i Rana",
        "market",
        -10,
        (10, 16),
    ),
]


# ---- The second region: Mosjøenregionen ---------------------------------------------------
# A little content, to show that one install serves several regions, each on its own host.

MOSJOEN_HOME = {
    "slug": "mosjoenregionen",
    "title": T("Mosjøenregionen", "The Mosjøen region"),
    "intro": T(
        "Tre kommuner på Helgeland: Vefsn, Grane og Hattfjelldal.",
        "Three municipalities in Helgeland: Vefsn, Grane and Hattfjelldal.",
    ),
    "hero_alt_text": PICTURE_ALT,
    "body": [
        paragraph(
            T(
                "Fra byen Mosjøen ved fjorden til fjellene i Børgefjell.",
                "From the town of Mosjøen by the fjord to the mountains of Børgefjell.",
            ),
        ),
    ],
}

MOSJOEN_CONTACTS = {
    m.slug: {
        "name": T(f"{m.name} kommune, postmottak", f"{m.name} municipality, post room"),
        "role": T(
            "Spørsmål om barnehage, skole, bolig og helse for nye innbyggere",
            "Questions from new residents about kindergartens, schools, housing and health",
        ),
        "phone": "",
        "email": f"postmottak@{m.slug}.kommune.no",
        "languages": ["nb", "en"],
    }
    for m in MOSJOEN_MUNICIPALITIES
}

MOSJOEN_REGION_MUNICIPALITIES = [
    {
        "slug": "vefsn",
        "title": T("Vefsn", "Vefsn"),
        "number": NUMBERS["vefsn"],
        "website": "https://www.vefsn.kommune.no/",
        "intro": T(
            "Vefsn er den største kommunen i regionen, med byen Mosjøen ved Vefsnfjorden.",
            "Vefsn is the largest municipality in the region, with the town of Mosjøen on "
            "the Vefsnfjord.",
        ),
        "hero_alt_text": PICTURE_ALT,
        "body": [
            industry(
                Sector.INDUSTRY,
                T("Aluminium i Mosjøen", "Aluminium in Mosjøen"),
                T(
                    "Alcoa Mosjøen produserer aluminium i byen.",
                    "Alcoa Mosjøen produces aluminium in the town.",
                ),
                [("Alcoa Mosjøen", "")],
            ),
            leisure(
                T("Sjøgata i Mosjøen", "Sjøgata in Mosjøen"),
                Cat.CULTURE,
                ALL_YEAR,
                T(
                    "En gate med gamle trehus langs sjøen, midt i byen.",
                    "A street of old wooden houses along the waterfront, in the middle of "
                    "the town.",
                ),
                "Mosjøen",
            ),
        ],
    },
    {
        "slug": "grane",
        "title": T("Grane", "Grane"),
        "number": NUMBERS["grane"],
        "website": "https://www.grane.kommune.no/",
        "intro": T(
            "Grane er en innlandskommune langs E6, med Trofors som kommunesenter.",
            "Grane is an inland municipality along the E6, with Trofors as its centre.",
        ),
        "hero_alt_text": PICTURE_ALT,
        "body": [
            leisure(
                T("Laksforsen", "Laksforsen waterfall"),
                Cat.NATURE,
                [Season.SUMMER, Season.AUTUMN],
                T(
                    "En foss i elva Vefsna, like ved E6.",
                    "A waterfall in the river Vefsna, close to the E6.",
                ),
                "Laksforsen",
            ),
        ],
    },
    {
        "slug": "hattfjelldal",
        "title": T("Hattfjelldal", "Hattfjelldal"),
        "number": NUMBERS["hattfjelldal"],
        "website": "https://www.hattfjelldal.kommune.no/",
        "intro": T(
            "Hattfjelldal er en fjellkommune med sørsamisk språk og kultur.",
            "Hattfjelldal is a mountain municipality with South Sami language and culture.",
        ),
        "hero_alt_text": PICTURE_ALT,
        "body": [
            leisure(
                T("Børgefjell nasjonalpark", "Børgefjell National Park"),
                Cat.NATURE,
                [Season.SUMMER, Season.AUTUMN],
                T(
                    "Nasjonalparken ligger delvis i Hattfjelldal og Grane.",
                    "The national park lies partly in Hattfjelldal and Grane.",
                ),
                "Børgefjell",
            ),
        ],
    },
]
