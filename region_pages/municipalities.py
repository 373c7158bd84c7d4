"""The region's municipalities: the one list that every app reads.

The pages, the editors' groups, the open data sources and the partner API all name the
municipalities by number (kommunenummer), slug and name; they take them from here.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Municipality:
    slug: str  # the page's address: /nb/<slug>/
    name: str
    number: str  # the four-digit kommunenummer
    centre: str = ""  # the administrative centre
    # Where the centre is (WGS 84, decimal degrees): daylight is reckoned there.
    latitude: float = 0.0
    longitude: float = 0.0

    @property
    def nav_name(self) -> str:
        """How NAV's job feed names the work location: the name in capitals."""
        return self.name.upper()


MUNICIPALITIES = (
    Municipality("rana", "Rana", "1833", "Mo i Rana", 66.3128, 14.1428),
    Municipality("hemnes", "Hemnes", "1832", "Korgen", 66.0776, 13.8253),
    Municipality("luroy", "Lurøy", "1834", "Lurøy", 66.4147, 12.8478),
    Municipality("nesna", "Nesna", "1828", "Nesna", 66.1989, 13.0200),
)
BY_NUMBER = {municipality.number: municipality for municipality in MUNICIPALITIES}
