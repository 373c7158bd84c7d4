"""Media in S3: the real boto3 client against an S3-protocol server on loopback.

What production does, step by step: an editor uploads an image in the admin, a page
renders a rendition of it, both objects are in the bucket with long cache headers and
their URLs point at the bucket; deleting the image removes both objects. Documents
are streamed through Wagtail's checked view, never handed out as object URLs.
"""

import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection, CollectionViewRestriction

import pytest
from PIL import Image as PILImage

from cms.storage import DOCUMENT_CACHE_CONTROL, IMAGE_CACHE_CONTROL

from ..conftest import publish
from ..factories import ArticlePageFactory
from .conftest import bucket_keys

pytestmark = pytest.mark.django_db


def png_bytes(size=(800, 400), colour="teal") -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def upload_image_in_admin(client, title="Ranfjorden", name="ranfjorden.png"):
    response = client.post(
        "/admin/images/add/",
        {
            "title": title,
            "file": SimpleUploadedFile(name, png_bytes(), content_type="image/png"),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Image.objects.get(title=title)


def test_an_image_uploaded_in_the_admin_lives_in_the_bucket_with_its_rendition(
    s3, s3_server, client, admin_user, home, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    image = upload_image_in_admin(client)

    original = image.file.name
    assert original.startswith("original_images/")
    head = s3.head_object(Bucket=s3.bucket, Key=original)
    assert head["CacheControl"] == IMAGE_CACHE_CONTROL
    assert head["ContentLength"] == image.file_size

    page = ArticlePageFactory(parent=home, hero_image=image, hero_alt_text="Fjorden")
    publish(page)
    client.logout()
    html = client.get(page.url).content.decode()

    # The top picture: JPEG for the <img>, WebP offered beside it, both from the bucket.
    renditions = {r.filter_spec: r for r in image.renditions.all()}
    jpeg = renditions["format-jpeg|fill-800x300"]
    webp = renditions["format-webp|fill-800x300"]
    bucket_url = f"{s3_server.endpoint_url}/{s3.bucket}/"
    assert f'src="{bucket_url}{jpeg.file.name}"' in html
    assert f"{bucket_url}{webp.file.name} 800w" in html
    for rendition, content_type in ((jpeg, "image/jpeg"), (webp, "image/webp")):
        head = s3.head_object(Bucket=s3.bucket, Key=rendition.file.name)
        assert head["CacheControl"] == IMAGE_CACHE_CONTROL
        assert head["ContentType"] == content_type
    assert set(bucket_keys(s3)) >= {original, jpeg.file.name, webp.file.name}

    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/images/{image.pk}/delete/")
    assert response.status_code == 302
    assert not Image.objects.filter(pk=image.pk).exists()
    assert bucket_keys(s3) == []


def test_uploads_never_overwrite_an_object(s3):
    first = default_storage.save("original_images/photo.jpg", ContentFile(b"first"))
    second = default_storage.save("original_images/photo.jpg", ContentFile(b"second"))
    assert first != second
    assert s3.get_object(Bucket=s3.bucket, Key=first)["Body"].read() == b"first"
    assert s3.get_object(Bucket=s3.bucket, Key=second)["Body"].read() == b"second"


def test_a_restricted_document_is_served_only_through_the_checked_view(
    s3, s3_server, client, admin_user, django_user_model
):
    root = Collection.get_first_root_node()
    internal = root.add_child(name="Intern")
    CollectionViewRestriction.objects.create(
        collection=internal, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = Document.objects.create(
        title="Budsjett",
        collection=internal,
        file=ContentFile(b"%PDF-1.4\n% internal budget\n", name="budsjett.pdf"),
    )
    head = s3.head_object(Bucket=s3.bucket, Key=document.file.name)
    assert head["CacheControl"] == DOCUMENT_CACHE_CONTROL

    assert document.url.startswith("/documents/")
    anonymous = client.get(document.url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/_util/login/") or "login" in anonymous["Location"]
    assert s3_server.endpoint_url not in anonymous["Location"]

    reader = django_user_model.objects.create_user("leser", password="irrelevant-123")
    client.force_login(reader)
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n% internal budget\n"
    assert "Location" not in response
    assert response["X-Content-Type-Options"] == "nosniff"
