"""One list of the region's municipalities, read by the pages, the editors' groups, the
sources and the demo."""

from demo import content
from editorial import roles
from region_pages.municipalities import BY_NUMBER, MOSJOEN_MUNICIPALITIES, MUNICIPALITIES
from sources import region


def test_the_region_is_rana_hemnes_luroy_and_nesna_with_their_numbers():
    assert {m.number: (m.slug, m.name) for m in MUNICIPALITIES} == {
        "1833": ("rana", "Rana"),
        "1832": ("hemnes", "Hemnes"),
        "1834": ("luroy", "Lurøy"),
        "1828": ("nesna", "Nesna"),
    }
    assert {m.number: (m.slug, m.name, m.centre) for m in MOSJOEN_MUNICIPALITIES} == {
        "1824": ("vefsn", "Vefsn", "Mosjøen"),
        "1825": ("grane", "Grane", "Trofors"),
        "1826": ("hattfjelldal", "Hattfjelldal", "Hattfjelldal"),
    }
    assert set(BY_NUMBER) == {m.number for m in MUNICIPALITIES + MOSJOEN_MUNICIPALITIES}


def test_nav_names_the_work_location_in_capitals():
    assert region.number_for_nav_name("LURØY") == "1834"
    assert region.number_for_nav_name(" lurøy ") == "1834"
    assert region.number_for_nav_name("BODØ") is None


def test_the_editors_groups_and_the_sources_take_the_same_list():
    assert tuple(roles.MUNICIPALITIES) == MUNICIPALITIES
    assert {m.number: m.name for m in MUNICIPALITIES} == region.DISPLAY_NAMES


def test_the_demo_builds_a_page_for_each_municipality_with_its_number_and_slug():
    demo = {(spec["slug"], spec["number"]) for spec in content.MUNICIPALITIES}
    assert demo == {(m.slug, m.number) for m in MUNICIPALITIES}
    second = {(spec["slug"], spec["number"]) for spec in content.MOSJOEN_REGION_MUNICIPALITIES}
    assert second == {(m.slug, m.number) for m in MOSJOEN_MUNICIPALITIES}
