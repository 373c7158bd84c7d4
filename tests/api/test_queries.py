"""Cost: every list costs a constant number of queries, whatever the page size and the
number of blocks on the pages (at most 10, validators included)."""

from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Locale

import pytest

from region_pages import regions, versions
from region_pages.models.base import restricted_paths
from tests import factories
from tests.conftest import publish

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10
LISTS = [
    "/api/v1/entries?lang={lang}&limit={limit}",
    "/api/v1/entries?lang={lang}&limit={limit}&kind=leisure&season=summer&bbox=10,60,20,70",
    "/api/v1/municipalities?lang={lang}&limit={limit}",
    "/api/v1/pages?lang={lang}&limit={limit}",
    "/api/v1/pages?lang={lang}&limit={limit}&include=body",
    "/api/v1/pages?lang={lang}&limit={limit}&ids=" + ",".join(str(n) for n in range(1, 101)),
    "/api/v1/changes?limit={limit}",
    "/api/v1/region?lang={lang}",
]


def many_blocks(count):
    blocks = []
    for n in range(count):
        blocks += [
            factories.school(name=f"Skole {n}"),
            factories.leisure(name=f"Tur {n}", seasons=["summer", "winter"]),
            factories.industry(),
            factories.paragraph(f"Avsnitt {n}"),
        ]
    return blocks


@pytest.fixture
def big_region(home, locales):
    en = Locale.objects.get(language_code="en")
    home.copy_for_translation(en).save_revision().publish()
    for number in range(4):
        page = publish(
            factories.MunicipalityPageFactory(
                parent=home,
                slug=f"kommune-{number}",
                municipality_number=f"18{number:02d}",
                body=many_blocks(15),
            )
        )
        if number % 2:
            page.copy_for_translation(en).save_revision().publish()
        for article in range(3):
            publish(
                factories.ArticlePageFactory(
                    parent=page,
                    slug=f"artikkel-{number}-{article}",
                    body=[factories.paragraph(f"Tekst {n}") for n in range(20)],
                )
            )
    return home


def as_after_a_publish():
    """Nothing of a list is kept under the new content version, but what every request
    shares (the regions, the view restrictions) is."""
    versions.bump()
    regions.all_regions()
    restricted_paths()


@pytest.mark.parametrize("template", LISTS)
def test_lists_cost_the_same_few_queries_at_any_page_size(
    api, big_region, template, django_assert_max_num_queries
):
    # The first request fills the caches every request shares (Wagtail's root paths).
    assert api.get("/api/v1/region").status_code == 200
    for lang in ("nb", "en"):
        sizes = {}
        for limit in (1, 100):
            url = template.format(lang=lang, limit=limit)
            as_after_a_publish()
            with django_assert_max_num_queries(MAX_QUERIES) as captured:
                response = api.get(url)
            assert response.status_code == 200, response.content
            sizes[limit] = len(captured.captured_queries)
        # Constant: a page of 100 costs what a page of 1 costs.
        assert sizes[1] == sizes[100], (url, sizes)


def test_the_big_lists_are_really_big(api, big_region):
    assert api.get("/api/v1/entries?limit=100").json()["count"] == 4 * 15 * 3
    assert len(api.get("/api/v1/entries?limit=100").json()["items"]) == 100
    assert api.get("/api/v1/pages?limit=100").json()["count"] == 1 + 4 + 12
    assert len(api.get("/api/v1/changes?limit=100").json()["items"]) == 100


def test_whole_pages_with_pictures_cost_the_same_few_queries_at_any_page_size(
    api, home, locales, django_assert_max_num_queries
):
    """`include=body`: the pictures of every page's hero and blocks, with their
    renditions, come in a fixed number of queries too."""
    images = [
        get_image_model().objects.create(title=f"Bilde {n}", file=get_test_image_file())
        for n in range(3)
    ]
    for number in range(6):
        image = images[number % 3]
        publish(
            factories.ArticlePageFactory(
                parent=home,
                slug=f"bildeartikkel-{number}",
                hero_image=image,
                hero_alt_text="Fjorden",
                body=[
                    factories.leisure(
                        name=f"Tur {number}", picture=factories.picture(image, "Tur")
                    ),
                    {
                        "type": "image",
                        "value": {"image": image.pk, "alt_text": "Fjell", "caption": ""},
                    },
                ],
            )
        )
    assert api.get("/api/v1/region").status_code == 200
    # The renditions are made once, by the first request that needs them.
    assert api.get("/api/v1/pages?include=body&type=article&limit=100").status_code == 200
    sizes = {}
    for limit in (1, 100):
        as_after_a_publish()
        with django_assert_max_num_queries(MAX_QUERIES) as captured:
            response = api.get(f"/api/v1/pages?include=body&type=article&limit={limit}")
        assert response.status_code == 200, response.content
        assert all(item["hero_image"]["renditions"] for item in response.json()["items"])
        sizes[limit] = len(captured.captured_queries)
    assert sizes[1] == sizes[100], sizes
