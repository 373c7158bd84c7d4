"""Numbers printed into HTML attributes are never localised.

The site groups thousands as readers write them (26 000 in Norwegian, 26,000 in English),
but a browser reads `width="1 000"` as 1: an image drawn one pixel wide. Every number in an
attribute must be printed with `|unlocalize`.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

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
    r"|csrf_token_value|request\.[\w.]+|search_query\S*|value|code|key)$"
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
    """A 1000-px rendition is drawn 1000 px wide: not `1 000` (nb) or `1,000` (en)."""
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
    parser = _ImageSizes()
    parser.feed(response.content.decode())
    assert parser.sizes == [("1000", "600")]


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
