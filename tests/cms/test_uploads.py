"""Uploads that cannot hurt: a corpus of bad files is refused with a clear, translated
message, and nothing is stored, neither a row in the database nor an object in the bucket.
"""

import io
import re
import time
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.base import smart_split
from django.urls import NoReverseMatch, reverse

from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection
from wagtail.users.models import UserProfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image as PILImage

from cms.settings.base import media_storage
from cms.uploads import _content_matches

from ..servers import S3Process
from .conftest import bucket_keys

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def encoded(size, fmt, mode="RGB", **save) -> bytes:
    buffer = io.BytesIO()
    PILImage.new(mode, size).save(buffer, fmt, **save)
    return buffer.getvalue()


def decompression_bomb() -> bytes:
    # 10,000 x 10,000 one-bit pixels: about 12 kB on disk, 100 megapixels when decoded.
    return encoded((10_000, 10_000), "PNG", mode="1", optimize=True)


def truncated_jpeg() -> bytes:
    whole = encoded((1200, 800), "JPEG", quality=95)
    return whole[: len(whole) // 2]


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

# (file name, content, words of the Norwegian message that must explain the refusal)
BAD_IMAGES = {
    "decompression bomb": ("bombe.png", decompression_bomb, "for mange piksler"),
    "huge dimensions": ("panorama.png", lambda: encoded((15_000, 10), "PNG"), "lengste siden"),
    "wrong extension": ("bilde.jpg", lambda: encoded((40, 40), "PNG"), "Ikke et gyldig .jpeg"),
    "truncated image": ("avkortet.jpg", truncated_jpeg, "skadet eller ufullstendig"),
    "svg": ("logo.svg", lambda: SVG, "Ikke et støttet bildeformat"),
    "html as an image": ("side.png", lambda: HTML, "Ikke et gyldig .png"),
}
BAD_DOCUMENTS = {
    "html as a pdf": ("rapport.pdf", HTML, "ikke et .pdf-dokument"),
    "html as text": ("notat.txt", HTML, "ikke et .txt-dokument"),
    "html as a spreadsheet": ("tall.csv", b"name,value\n" + HTML, "ikke et .csv-dokument"),
    "not really a docx": ("brev.docx", b"PK\x03\x04 not a zip at all", "ikke et .docx-dokument"),
    "an html file": ("side.html", HTML, "kan ikke lastes opp"),
    "an executable": ("program.exe", b"MZ\x90\x00", "kan ikke lastes opp"),
}


@pytest.fixture
def editor(client, admin_user):
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "nb"
    profile.save()
    client.force_login(admin_user)
    return client


def text_of(response) -> str:
    """The error messages the editor sees (the admin's form, or the multiple uploader's JSON)."""
    if response["Content-Type"].startswith("application/json"):
        return response.json().get("error_message", "")
    html = re.sub(r"\s+", " ", response.content.decode())
    return " | ".join(re.findall(r'class="error-message">\s*(?:<span>)?(.*?)</', html))


@pytest.mark.parametrize("case", BAD_IMAGES)
def test_a_bad_image_is_refused_and_nothing_is_stored(s3, editor, case):
    name, content, message = BAD_IMAGES[case]
    data = content()
    for url, field in [("/admin/images/add/", "file"), ("/admin/images/multiple/add/", "files[]")]:
        response = editor.post(
            url,
            {
                "title": case,
                field: SimpleUploadedFile(name, data),
                "collection": Collection.get_first_root_node().pk,
            },
        )
        assert response.status_code == 200
        assert message in text_of(response), (url, text_of(response)[:3000])
    assert not Image.objects.exists()
    assert bucket_keys(s3) == []


@pytest.mark.parametrize("case", BAD_DOCUMENTS)
def test_a_bad_document_is_refused_and_nothing_is_stored(s3, editor, case):
    name, content, message = BAD_DOCUMENTS[case]
    for url, field in [
        ("/admin/documents/add/", "file"),
        ("/admin/documents/multiple/add/", "files[]"),
    ]:
        response = editor.post(
            url,
            {
                "title": case,
                field: SimpleUploadedFile(name, content),
                "collection": Collection.get_first_root_node().pk,
            },
        )
        assert response.status_code == 200
        assert message in text_of(response), (url, text_of(response)[:3000])
    assert not Document.objects.exists()
    assert bucket_keys(s3) == []


def test_files_over_the_size_limits_are_refused(s3, editor, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    image = encoded((600, 600), "PNG", mode="RGB")  # noise-free, but still over 1 kB
    assert len(image) > 1024
    response = editor.post(
        "/admin/images/add/", {"title": "stort", "file": SimpleUploadedFile("stort.png", image)}
    )
    assert "Denne fila er for stor" in text_of(response)
    response = editor.post(
        "/admin/documents/add/",
        {"title": "stor", "file": SimpleUploadedFile("stor.pdf", b"%PDF-1.4\n" + b"0" * 2048)},
    )
    assert "Denne fila er for stor" in text_of(response)
    assert not Image.objects.exists()
    assert not Document.objects.exists()
    assert bucket_keys(s3) == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rapport.pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"),
        ("brev.docx", docx()),
        ("tall.csv", "kommune,innbyggere\nLurøy,1900\n".encode()),
        ("notat.txt", b"Velkommen til Nesna.\n"),
    ],
)
def test_good_documents_are_accepted_and_stored_in_the_bucket(s3, editor, name, content):
    response = editor.post(
        "/admin/documents/add/", {"title": name, "file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 302, text_of(response)[:3000]
    document = Document.objects.get()
    assert bucket_keys(s3) == [document.file.name]


def test_the_limits_are_stricter_than_wagtails_defaults():
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS < 128_000_000
    assert settings.WAGTAILDOCS_MAX_UPLOAD_SIZE is not None
    assert "svg" not in settings.WAGTAILIMAGES_EXTENSIONS
    assert not {"html", "htm", "svg", "js", "exe"} & set(settings.WAGTAILDOCS_EXTENSIONS)


def test_templates_use_only_the_allowed_rendition_filters():
    """Every {% image %} and {% picture %} filter in the templates is on the list, and the
    list has no extra."""
    pattern = re.compile(r"{%\s*(?:image|picture)\s+\S+\s+(.*?)(?:\s+as\s+\w+)?\s*%}")
    used = set()
    for template in ROOT.glob("*/templates/**/*.html"):
        for arguments in pattern.findall(template.read_text()):
            # As Django reads a tag's arguments: a quoted value may hold spaces.
            specs = [a for a in smart_split(arguments) if "=" not in a and not a.startswith('"')]
            used.add("|".join(specs))
    assert used == settings.IMAGE_RENDITION_FILTERS


def test_no_view_renders_a_filter_chosen_by_the_request():
    with pytest.raises(NoReverseMatch):
        reverse("wagtailimages_serve", args=("signature", 1, "width-10"))


@given(
    prefix=st.binary(max_size=200),
    tag=st.sampled_from([b"<html", b"<script", b"<!DOCTYPE html", b"<svg", b"< iframe"]),
    suffix=st.binary(max_size=200),
    extension=st.sampled_from(sorted(settings.WAGTAILDOCS_EXTENSIONS)),
)
def test_no_document_that_contains_page_markup_is_accepted(prefix, tag, suffix, extension):
    head = prefix + tag + b" " + suffix
    assert not _content_matches(extension, head, io.BytesIO(head))


SCRIPT_TAIL = b"<script>alert(document.cookie)</script>"


def polyglot_png() -> bytes:
    """A valid PNG with a script after its end: browsers that sniff could run it."""
    return encoded((120, 80), "PNG") + SCRIPT_TAIL


def jpeg_with_metadata_and_tail() -> bytes:
    """A phone's photo: turned by EXIF (orientation 6), a description, then a tail."""
    exif = PILImage.Exif()
    exif[0x0112] = 6  # orientation: the pixels are to be turned 90° clockwise
    exif[0x010E] = "Hjemme hos oss, Storgata 1"  # image description
    return encoded((120, 80), "JPEG", exif=exif.tobytes()) + SCRIPT_TAIL


@pytest.mark.parametrize(
    ("name", "content", "stored_size"),
    [
        ("fjord.png", polyglot_png, (120, 80)),
        ("fjord.jpg", jpeg_with_metadata_and_tail, (80, 120)),
    ],
    ids=["png with a script tail", "jpeg with exif and a tail"],
)
@pytest.mark.parametrize(
    ("url", "field"),
    [("/admin/images/add/", "file"), ("/admin/images/multiple/add/", "files[]")],
    ids=["form", "multiple uploader"],
)
def test_an_image_is_stored_re_encoded_without_what_follows_or_its_metadata(
    s3, editor, url, field, name, content, stored_size
):
    data = content()
    assert SCRIPT_TAIL in data
    response = editor.post(
        url,
        {
            "title": name,
            field: SimpleUploadedFile(name, data),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code in {200, 302}, text_of(response)[:3000]
    image = Image.objects.get()
    assert bucket_keys(s3) == [image.file.name]
    with image.file.open("rb") as handle:
        stored = handle.read()
    assert SCRIPT_TAIL not in stored
    assert b"Storgata" not in stored
    with PILImage.open(io.BytesIO(stored)) as picture:
        assert picture.format == {"png": "PNG", "jpg": "JPEG"}[name.rsplit(".", 1)[1]]
        assert picture.size == stored_size  # turned upright, as the camera meant it
        assert picture.getexif().get(0x0112) is None
    assert (image.width, image.height) == stored_size
    assert image.file_size == len(stored)


@pytest.fixture
def s3_process(settings):
    """An S3 server of its own, made the media storage with a 1-second timeout, that the
    test can stop (refused connections) or freeze (a store that hangs)."""
    server = S3Process().start()
    bucket = "media-outage"
    client = server.client()
    client.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": server.region}
    )
    client.bucket = bucket
    environ = {**server.environ(bucket), "AWS_S3_TIMEOUT": "1"}
    settings.STORAGES = {**settings.STORAGES, "default": media_storage(environ)}
    yield server, client
    server.stop()


def upload_everywhere(editor):
    """Upload an image and a document through the single and the multiple uploaders: each
    answer, the seconds it took and the page a redirect leads to."""
    png = encoded((40, 30), "PNG")
    pdf = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    collection = Collection.get_first_root_node().pk
    answers = {}
    for url, field, name, data in [
        ("/admin/images/multiple/add/", "files[]", "fjord.png", png),
        ("/admin/images/add/", "file", "fjord.png", png),
        ("/admin/documents/multiple/add/", "files[]", "plan.pdf", pdf),
        ("/admin/documents/add/", "file", "plan.pdf", pdf),
    ]:
        started = time.monotonic()
        response = editor.post(
            url, {"title": name, field: SimpleUploadedFile(name, data), "collection": collection}
        )
        seconds = time.monotonic() - started
        # Where the editor lands next: the page a redirect leads to, with its messages.
        landing = editor.get(response["Location"]) if response.status_code == 302 else None
        answers[url] = (response, seconds, landing)
    return answers


STORE_DOWN = "Filen ble ikke lagret: fillageret svarer ikke akkurat nå."


@pytest.mark.parametrize("outage", ["refused", "hung"])
def test_an_upload_during_a_storage_outage_is_told_so_and_stores_nothing(
    s3_process, editor, outage
):
    server, client = s3_process
    server.stop() if outage == "refused" else server.pause()

    for url, (response, seconds, landing) in upload_everywhere(editor).items():
        # Two attempts of at most a second each, and the retry's back-off.
        assert seconds < 8, (url, seconds)
        if "/multiple/" in url:
            # What Wagtail's uploader reads to show a refused file, next to the file.
            assert response.status_code == 200, url
            assert response.json()["success"] is False
            assert STORE_DOWN in response.json()["error_message"]
        else:
            # Back to the form, with the message on top.
            assert response.status_code == 302, url
            assert response["Location"] == url
            assert STORE_DOWN in landing.content.decode(), url
    assert not Image.objects.exists()
    assert not Document.objects.exists()

    if outage == "hung":
        server.resume()
        assert bucket_keys(client) == []
        answers = upload_everywhere(editor)
        assert all(r.status_code in {200, 302} for r, _, _ in answers.values())
        assert Image.objects.count() == Document.objects.count() == 2
        stored = {key.split("/")[0] for key in bucket_keys(client)}
        assert stored == {"original_images", "images", "documents"}  # files and thumbnails
