"""The four municipalities, as the sources name them."""

# kommunenummer -> the name NAV's feed uses for the work location (upper case).
MUNICIPALITIES = {
    "1833": "RANA",
    "1832": "HEMNES",
    "1834": "LURØY",
    "1828": "NESNA",
}
NUMBER_BY_NAV_NAME = {name: number for number, name in MUNICIPALITIES.items()}
# SSB labels the municipalities in Norwegian (and in Sami where it is official).
DISPLAY_NAMES = {"1833": "Rana", "1832": "Hemnes", "1834": "Lurøy", "1828": "Nesna"}


def number_for_nav_name(name: str | None) -> str | None:
    return NUMBER_BY_NAV_NAME.get((name or "").strip().upper())
