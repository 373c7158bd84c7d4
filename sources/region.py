"""The four municipalities, as the sources name them (from region_pages.municipalities)."""

from region_pages.municipalities import MUNICIPALITIES as REGION

# kommunenummer -> the name NAV's feed uses for the work location (upper case).
MUNICIPALITIES = {municipality.number: municipality.nav_name for municipality in REGION}
NUMBER_BY_NAV_NAME = {name: number for number, name in MUNICIPALITIES.items()}
DISPLAY_NAMES = {municipality.number: municipality.name for municipality in REGION}


def number_for_nav_name(name: str | None) -> str | None:
    return NUMBER_BY_NAV_NAME.get((name or "").strip().upper())
