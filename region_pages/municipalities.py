"""The municipalities the install knows: the one list that every app reads.

The pages, the editors' groups, the open data sources and the partner API all name the
municipalities by number (kommunenummer), slug and name; they take them from here. Which
region a municipality belongs to is the page tree's to say (its page is below the
region's home page, see `region_pages.regions`); `MUNICIPALITIES` are the first region's,
Ranaregionen's, which the open data imports and the editors' roles cover so far.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Municipality:
    slug: str  # the page's address: /nb/<slug>/
    name: str
    number: str  # the four-digit kommunenummer
    centre: str = ""  # the administrative centre
    centre_key: str = ""  # the centre's key among the places (below)
    # Where the centre is (WGS 84, decimal degrees): daylight is reckoned there.
    latitude: float = 0.0
    longitude: float = 0.0

    @property
    def nav_name(self) -> str:
        """How NAV's job feed names the work location: the name in capitals."""
        return self.name.upper()


MUNICIPALITIES = (
    Municipality("rana", "Rana", "1833", "Mo i Rana", "mo-i-rana", 66.3128, 14.1428),
    Municipality("hemnes", "Hemnes", "1832", "Korgen", "korgen", 66.0776, 13.8253),
    Municipality("luroy", "Lurøy", "1834", "Lurøy", "luroy", 66.4147, 12.8478),
    Municipality("nesna", "Nesna", "1828", "Nesna", "nesna", 66.1989, 13.0200),
)
# The Mosjøen region (Mosjøenregionen), the second region of the demo.
MOSJOEN_MUNICIPALITIES = (
    Municipality("vefsn", "Vefsn", "1824", "Mosjøen", "mosjoen", 65.8369, 13.1934),
    Municipality("grane", "Grane", "1825", "Trofors", "trofors", 65.5357, 13.4066),
    Municipality(
        "hattfjelldal", "Hattfjelldal", "1826", "Hattfjelldal", "hattfjelldal", 65.5967, 13.9897
    ),
)
KNOWN = MUNICIPALITIES + MOSJOEN_MUNICIPALITIES
BY_NUMBER = {municipality.number: municipality for municipality in KNOWN}


@dataclass(frozen=True)
class Place:
    """A town or village people travel between: the administrative centres and the main
    villages (commute times are reckoned between them)."""

    key: str
    name: str
    municipality_number: str
    latitude: float
    longitude: float


PLACES = (
    # The administrative centres, as the list above has them, and the main villages.
    *(Place(m.centre_key, m.centre, m.number, m.latitude, m.longitude) for m in MUNICIPALITIES),
    Place("hemnesberget", "Hemnesberget", "1832", 66.2236, 13.6131),
    Place("stokkvagen", "Stokkvågen", "1834", 66.3388, 13.0025),
)
PLACE_BY_KEY = {place.key: place for place in PLACES}
