"""Cost: whole pages with their pictures (`include=body`) come in a constant number of
queries, whatever the page size (at most 10, as every list: `test_queries.py`)."""

from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

import pytest

from tests import factories
from tests.conftest import publish

from .test_queries import MAX_QUERIES, as_after_a_publish

pytestmark = pytest.mark.django_db


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
