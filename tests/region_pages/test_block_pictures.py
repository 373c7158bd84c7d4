"""An optional picture on industry, leisure and school blocks: on the municipality page, on
the theme page's cards, and in the partner API, in both languages."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

import pytest

from region_pages.blocks import LeisureActivityBlock
from region_pages.models import Theme
from tests import factories
from tests.conftest import publish, translate

pytestmark = pytest.mark.django_db

ALT = "Lundefugler på en fjellhylle"
ENGLISH_ALT = "Puffins on a rock ledge"


@pytest.fixture
def image():
    return get_image_model().objects.create(
        title="Lunde", file=get_test_image_file(size=(1600, 900))
    )


@pytest.fixture
def luroy(home, image):
    """Lurøy with a pictured activity, a decorative picture on a school, an industry
    without one; the leisure theme page; both in English."""
    translate(home)
    page = publish(
        factories.MunicipalityPageFactory(
            parent=home,
            slug="luroy",
            title="Lurøy",
            municipality_number="1834",
            body=[
                factories.leisure("Lundefuglene", picture=factories.picture(image, ALT)),
                factories.school("Lovund skole", picture=factories.picture(image, decorative=True)),
                factories.industry(),
            ],
        )
    )
    theme = publish(factories.ThemePageFactory(parent=home, slug="fritid", theme=Theme.LEISURE))
    english = translate(page, texts={ALT: ENGLISH_ALT})
    translate(theme, texts={"fritid": "leisure"})
    return page, english


def pictures_in(html: str) -> list[str]:
    return re.findall(r"<picture>.*?</picture>", html, re.S)


def img_of(picture: str) -> str:
    return re.search(r"<img [^>]*>", picture).group(0)


@pytest.mark.parametrize(("url", "alt"), [("/nb/luroy/", ALT), ("/en/luroy/", ENGLISH_ALT)])
def test_a_block_shows_its_picture_in_webp_and_jpeg_lazily(client, luroy, url, alt):
    html = client.get(url).content.decode()
    # The page's sections put schools before leisure.
    school, activity = pictures_in(html)
    assert 'type="image/webp"' in activity
    assert re.search(r'srcset="[^"]*480w[^"]*800w"', activity)
    img = img_of(activity)
    assert f'alt="{alt}"' in img
    assert 'loading="lazy"' in img and 'width="480"' in img and 'height="270"' in img
    # Marked decorative by the editor: nothing for a screen reader to read out.
    assert 'alt=""' in img_of(school)


def test_the_theme_pages_cards_show_the_pictures_of_their_entries(client, luroy):
    for url, alt in (("/nb/fritid/", ALT), ("/en/leisure/", ENGLISH_ALT)):
        cards = re.findall(
            r'<li class="entry [^"]*".*?</li>', client.get(url).content.decode(), re.S
        )
        assert cards, url
        pictured = [card for card in cards if "<picture>" in card]
        assert len(pictured) == len(cards)  # every card of the only pictured activity
        assert f'alt="{alt}"' in img_of(pictured[0])


def test_pictures_on_the_cards_cost_the_same_queries_however_many(client, home, image):
    translate(home)
    publish(factories.ThemePageFactory(parent=home, slug="fritid", theme=Theme.LEISURE))
    page = publish(
        factories.MunicipalityPageFactory(
            parent=home,
            slug="rana",
            body=[factories.leisure("Tur 1", picture=factories.picture(image, ALT))],
        )
    )

    def queries() -> int:
        client.get("/nb/fritid/")  # the renditions are made once
        with CaptureQueriesContext(connection) as captured:
            html = client.get("/nb/fritid/").content.decode()
        return len(captured), len(pictures_in(html))

    one, shown = queries()
    assert shown == 1
    other = get_image_model().objects.create(title="To", file=get_test_image_file())
    page.body = [
        *page.body.raw_data,
        *(factories.leisure(f"Tur {n}", picture=factories.picture(other, ALT)) for n in (2, 3, 4)),
    ]
    publish(page)
    many, shown = queries()
    assert (many, shown) == (one, 4)


def test_the_api_gives_the_picture_with_its_renditions_or_null(client, luroy):
    answer = client.get("/api/v1/municipalities/luroy?lang=en").json()
    leisure, school, industry = answer["entries"]
    picture = leisure["data"]["picture"]
    assert picture["alt_text"] == ENGLISH_ALT
    assert set(picture["renditions"]) == {"thumbnail", "medium", "large"}
    assert picture["renditions"]["thumbnail"]["width"] == 400
    assert re.match(r"^https?://[^/]+/media/images/", picture["renditions"]["thumbnail"]["url"])
    assert school["data"]["picture"]["alt_text"] == ""
    assert industry["data"]["picture"] is None


def test_the_openapi_document_types_the_picture(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    for name in ("Industry", "LeisureActivity", "School"):
        picture = schemas[name]["properties"]["picture"]
        assert {"$ref": "#/components/schemas/Image"} in picture["anyOf"], name
        assert "decorative" in picture["description"]


def test_a_picture_without_alternative_text_is_refused_unless_decorative(image):
    block = LeisureActivityBlock()
    raw = factories.leisure(picture=factories.picture(image))["value"]
    with pytest.raises(StructBlockValidationError) as refused:
        block.clean(block.to_python(raw))
    assert "alt_text" in refused.value.block_errors["picture"].block_errors
    decorative = factories.leisure(picture=factories.picture(image, decorative=True))["value"]
    assert block.clean(block.to_python(decorative))["picture"]["image"] == image
    # Content saved before blocks had pictures reads as "no picture".
    assert block.clean(block.to_python(factories.leisure()["value"]))["picture"]["image"] is None
