"""`export_content` and `import_content`: the site after a round trip is the site before."""

import io
import json
from urllib.parse import urlsplit

from django.apps import apps
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from wagtail.images import get_image_model
from wagtail.models import Collection, Page

import pytest
from PIL import Image as PILImage

from backup import content as backup
from region_pages.models import Entry


def rendered_site(client) -> dict[str, str]:
    """Every live page's public HTML, by URL (on its region's host)."""
    client.logout()
    pages = {}
    for page in Page.objects.live().filter(depth__gt=1).specific():
        url = page.get_url()
        parts = urlsplit(url)
        response = client.get(parts.path, HTTP_HOST=parts.netloc or "testserver")
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    return pages


def comparable(document) -> dict:
    return {key: value for key, value in document.items() if key != "exported_at"}


@pytest.fixture
def image(region):
    buffer = io.BytesIO()
    PILImage.new("RGB", (60, 40), (10, 90, 140)).save(buffer, format="PNG")
    return get_image_model().objects.create(
        title="Lovund",
        file=ImageFile(buffer, name="lovund.png"),
        collection=Collection.objects.get(name="Lurøy"),
    )


def test_round_trip_gives_back_the_same_site(region, image, client, tmp_path):
    before_html = rendered_site(client)
    before_entries = list(Entry.objects.order_by("pk").values())
    path = tmp_path / "innhold.json"
    call_command("export_content", str(path), stderr=io.StringIO())
    exported = json.loads(path.read_text())
    # Rana and Lurøy, and the second region's Vefsn, in nb and en.
    assert exported["counts"]["region_pages.municipalitypage"] == 6
    image_path = image.file.name

    # Something goes wrong: a page is deleted and the image file is lost.
    Page.objects.get(pk=region.article.pk).delete()
    default_storage.delete(image_path)

    call_command("import_content", str(path), "--replace", stdout=io.StringIO())

    assert rendered_site(client) == before_html
    assert list(Entry.objects.order_by("pk").values()) == before_entries
    assert default_storage.exists(image_path)
    again = json.loads(backup.to_json(backup.export_content()))
    assert comparable(again) == comparable(exported)
    # New rows continue after the restored ones (sequences were reset).
    page = Page.objects.get(pk=region.article.pk)
    assert page.revisions.count() >= 1
    new_revision = page.specific.save_revision()
    revisions = [r["pk"] for r in exported["objects"] if r["model"] == "wagtailcore.revision"]
    assert new_revision.pk > max(revisions)


def test_import_refuses_to_overwrite_pages_without_replace(region, tmp_path):
    path = tmp_path / "innhold.json"
    call_command("export_content", str(path), stderr=io.StringIO())
    with pytest.raises(CommandError, match="--replace"):
        call_command("import_content", str(path), stdout=io.StringIO())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not valid JSON"),
        ('{"format": "something-else"}', "not a content export"),
        ('{"format": "ranaregionen-content", "version": 99}', "version 99"),
    ],
)
def test_import_explains_a_file_it_cannot_read(locales, tmp_path, content, message):
    path = tmp_path / "innhold.json"
    path.write_text(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_content", str(path), "--replace", stdout=io.StringIO())


@pytest.mark.parametrize(
    "damage",
    ["a table left out", "rows left out", "no table of contents"],
)
def test_an_export_that_lacks_what_it_lists_is_refused_before_anything_is_deleted(
    region, tmp_path, damage
):
    """A file without its change feed would empty the feed: partners' cursors restart."""
    path = tmp_path / "innhold.json"
    call_command("export_content", str(path), stderr=io.StringIO())
    document = json.loads(path.read_text())
    feed = "region_pages.changeevent"
    assert document["counts"][feed] > 0
    if damage == "a table left out":
        document["objects"] = [row for row in document["objects"] if row["model"] != feed]
    elif damage == "rows left out":
        pages = [i for i, row in enumerate(document["objects"]) if row["model"] == feed]
        del document["objects"][pages[-1]]
    else:
        del document["counts"]
    path.write_text(json.dumps(document))
    before = Entry.objects.count(), Page.objects.count()
    feed_before = apps.get_model(feed).objects.count()

    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("import_content", str(path), "--replace", stdout=io.StringIO())

    assert (Entry.objects.count(), Page.objects.count()) == before
    assert apps.get_model(feed).objects.count() == feed_before
