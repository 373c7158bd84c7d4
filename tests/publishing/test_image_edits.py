"""An edited image that live pages show runs the pipeline for those pages: the content
version moves on (cached answers and ETags with it), the read model's entries carry the
new renditions' addresses, and the change feed announces the pages."""

from django.test import Client

from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

import pytest

from region_pages import versions
from region_pages.models import ChangeEvent, Entry

from ..conftest import publish, translate
from ..factories import ArticlePageFactory, MunicipalityPageFactory, leisure, picture

pytestmark = pytest.mark.django_db


@pytest.fixture
def image():
    return get_image_model().objects.create(
        title="Lovund", file=get_test_image_file(size=(1600, 900))
    )


@pytest.fixture
def luroy(home, image):
    translate(home)
    page = publish(
        MunicipalityPageFactory(
            parent=home,
            slug="luroy",
            municipality_number="1834",
            body=[leisure("Lundefugl", picture=picture(image, "Lunder på en hylle."))],
        )
    )
    english = translate(page)
    return page, english


def entry_thumbnails() -> set[str]:
    return {
        entry.data["picture"]["renditions"]["thumbnail"]["url"] for entry in Entry.objects.all()
    }


def test_moving_the_focal_point_reaches_entries_feed_and_validators(luroy, image):
    page, english = luroy
    before_urls = entry_thumbnails()
    version = versions.token()
    etag = Client().get("/api/v1/municipalities/luroy?lang=en")["ETag"]
    events = ChangeEvent.objects.count()

    image.focal_point_x, image.focal_point_y = 100, 100
    image.focal_point_width, image.focal_point_height = 50, 50
    image.save()

    assert versions.token() != version
    after_urls = entry_thumbnails()
    assert after_urls and after_urls.isdisjoint(before_urls)  # both languages' entries
    announced = set(ChangeEvent.objects.order_by("pk")[events:].values_list("page_id", flat=True))
    assert {page.pk, english.pk} <= announced
    answer = Client().get("/api/v1/municipalities/luroy?lang=en", HTTP_IF_NONE_MATCH=etag)
    assert answer.status_code == 200


def test_an_image_no_live_page_shows_changes_nothing(home, image):
    publish(ArticlePageFactory(parent=home, slug="uten-bilde"))
    version = versions.token()
    image.title = "Nytt navn"
    image.save()
    assert versions.token() == version


def test_wagtails_own_bookkeeping_saves_change_nothing(luroy, image):
    version = versions.token()
    image.file_size = None
    image.get_file_size()  # fills in file_size and saves it
    assert versions.token() == version


def test_deleting_an_image_removes_its_picture_from_the_entries(luroy, image):
    version = versions.token()
    image.delete()
    assert versions.token() != version
    assert {entry.data["picture"] for entry in Entry.objects.all()} == {None}
