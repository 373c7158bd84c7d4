"""Numbers printed into HTML attributes are never localised.

The site groups thousands as readers write them (26 000 in Norwegian, 26,000 in English),
but a browser reads `width="1 000"` as 1: an image drawn one pixel wide. Every number in an
attribute must be printed with `|unlocalize`.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

import pytest

from tests import factories
from tests.conftest import publish, translate

REPO_ROOT = Path(__file__).resolve().parents[2]
PROJECT_APPS = ("cms", "editorial", "region_pages", "search", "sources", "translations")

# Attributes whose value is a number, or that name an element by a number (an id).
NUMERIC_ATTRIBUTES = (
    "width|height|start|value|min|max|step|colspan|rowspan|tabindex|x|y|x1|x2|y1|y2|cx|cy|r"
    "|viewBox|points|id|for|aria-labelledby|aria-describedby|aria-controls|data-[a-z-]+"
)
# `{{ expression }}` inside one of those attributes, e.g. width="{{ picture.width }}".
PRINTED_IN_ATTRIBUTE = re.compile(
    rf'\s(?P<name>{NUMERIC_ATTRIBUTES})="[^"]*\{{\{{(?P<expression>[^}}]*)\}}\}}', re.IGNORECASE
)
# Variables that are never numbers (text, codes, UUIDs, booleans spelled as strings).
TEXT_VARIABLES = re.compile(
    r"^(block\.id|block\.block_type|block_def\.name|entry\.kind|job\.state|instance\.status"
    r"|csrf_token_value|request\.[\w.]+|search_query\S*|value|code|key|caption_id|month"
    r"|map_id|marker_script_id|label|tiles|attribution|vacancy\.anchor|[\w.]*language_code)$"
)


class _ImageSizes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sizes: list[tuple[str | None, str | None]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "img" and "/media/images/" in (attributes.get("src") or ""):
            self.sizes.append((attributes.get("width"), attributes.get("height")))


@pytest.mark.parametrize("language", ["nb", "en"])
def test_an_image_block_gives_its_width_as_a_plain_number_in_both_languages(client, home, language):
    """The 640-px and 1000-px renditions are offered as plain numbers: not `1 000` (nb) or
    `1,000` (en), which a browser reads as 1."""
    picture = get_test_image_file(size=(2000, 1200))
    image = get_image_model().objects.create(title="Ranfjorden", file=picture)
    page = publish(
        factories.MunicipalityPageFactory(
            parent=home,
            slug="rana",
            body=[
                (
                    "image",
                    {"image": image, "alt_text": "Ranfjorden i sol", "caption": "Ranfjorden"},
                )
            ],
        )
    )
    if language == "en":
        page = translate(page)

    response = client.get(page.url)

    assert response.status_code == 200
    html = response.content.decode()
    parser = _ImageSizes()
    parser.feed(html)
    assert parser.sizes == [("640", "384")]
    (picture,) = re.findall(r"<picture>.*?</picture>", html, re.S)
    assert _candidates(picture) == {
        "image/webp": ["640w", "1000w"],
        "image/jpeg": ["640w", "1000w"],
    }


def test_every_number_printed_into_an_attribute_is_unlocalised():
    """A template check: a variable in a numeric attribute carries `|unlocalize`."""
    offenders = []
    templates = [
        path
        for app in PROJECT_APPS
        for path in (REPO_ROOT / app).rglob("templates/**/*.html")
        if path.is_file()
    ]
    assert templates, "no templates found: the check would pass vacuously"
    for path in templates:
        text = path.read_text()
        for match in PRINTED_IN_ATTRIBUTE.finditer(text):
            expression = match["expression"].strip()
            if "|unlocalize" in expression or TEXT_VARIABLES.match(expression):
                continue
            line = text.count("\n", 0, match.start()) + 1
            offenders.append(f"{path.relative_to(REPO_ROOT)}:{line}: {match[0].strip()}")
    assert offenders == []


@pytest.mark.parametrize("language", ["nb", "en"])
def test_pictures_on_the_front_page_give_sizes_as_plain_numbers_and_offer_webp(
    client, home, language
):
    """The top picture and the municipalities' card pictures: WebP with JPEG beside it, a
    width for each candidate and the image's own size, printed unlocalised."""
    image = get_image_model().objects.create(
        title="Fjell", file=get_test_image_file(size=(2400, 1400))
    )
    home.hero_image, home.hero_alt_text = image, "Fjell over fjorden"
    publish(home)
    for slug in ("rana", "hemnes"):
        publish(
            factories.MunicipalityPageFactory(
                parent=home, slug=slug, hero_image=image, hero_alt_text="Fjell"
            )
        )
    front = translate(home) if language == "en" else home
    if language == "en":
        for page in home.get_children().specific():
            translate(page)
    client.get(front.url)  # the renditions are made once
    html = client.get(front.url).content.decode()

    pictures = re.findall(r"<picture>.*?</picture>", html, re.S)
    assert len(pictures) == 3  # the top picture and two cards
    hero, *cards = pictures
    assert _candidates(hero) == {"image/webp": ["800w", "1600w"], "image/jpeg": ["800w", "1600w"]}
    img = re.search(r"<img [^>]*>", hero).group(0)
    assert 'width="800"' in img and 'height="300"' in img
    for card in cards:
        assert _candidates(card) == {"image/webp": ["480w", "800w"], "image/jpeg": ["480w", "800w"]}
        img = re.search(r"<img [^>]*>", card).group(0)
        assert 'loading="lazy"' in img and 'alt=""' in img
        assert 'width="480"' in img and 'height="270"' in img


def test_the_cards_pictures_cost_the_same_queries_however_many_cards(client, home):
    image = get_image_model().objects.create(
        title="Fjell", file=get_test_image_file(size=(1600, 900))
    )

    def municipality(slug):
        publish(
            factories.MunicipalityPageFactory(
                parent=home, slug=slug, hero_image=image, hero_alt_text="Fjell"
            )
        )

    def queries_of_the_front_page() -> int:
        client.get(home.url)  # the renditions are made once
        with CaptureQueriesContext(connection) as queries:
            assert client.get(home.url).status_code == 200
        return len(queries)

    municipality("rana")
    one_card = queries_of_the_front_page()
    for slug in ("hemnes", "luroy", "nesna"):
        municipality(slug)
    assert queries_of_the_front_page() == one_card


def _candidates(picture: str) -> dict[str, list[str]]:
    """The widths each format offers: {"image/webp": ["480w", "800w"], ...}."""
    found = {}
    for tag in re.findall(r"<source [^>]*>", picture):
        kind = re.search(r'type="([^"]+)"', tag).group(1)
        srcset = re.search(r'srcset="([^"]+)"', tag).group(1)
        found[kind] = [candidate.split()[-1] for candidate in srcset.split(", ")]
    img = re.search(r"<img [^>]*>", picture).group(0)
    if "srcset=" in img:
        srcset = re.search(r'srcset="([^"]+)"', img).group(1)
        found["image/jpeg"] = [candidate.split()[-1] for candidate in srcset.split(", ")]
    return found
