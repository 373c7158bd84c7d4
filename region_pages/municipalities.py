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

    @property
    def nav_name(self) -> str:
        """How NAV's job feed names the work location: the name in capitals."""
        return self.name.upper()


MUNICIPALITIES = (
    Municipality("rana", "Rana", "1833"),
    Municipality("hemnes", "Hemnes", "1832"),
    Municipality("luroy", "Lurøy", "1834"),
    Municipality("nesna", "Nesna", "1828"),
)
BY_NUMBER = {municipality.number: municipality for municipality in MUNICIPALITIES}
