"""Cost: every list costs a constant number of queries, whatever the page size and the
number of blocks on the pages (at most 10, validators included). The pictures of whole
pages: `test_picture_queries.py`."""

from wagtail.models import Locale

import pytest

from region_pages import regions, versions
from region_pages.models.base import restricted_paths
from tests import factories
from tests.conftest import publish, shared_for_the_module

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


def build_big_region(home):
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


# Built once for the module's tests, each reading it in its own transaction.
_region_of_the_module, big_region, home = shared_for_the_module(
    build_big_region, name="big_region", home_of=lambda big_region: big_region
)


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
