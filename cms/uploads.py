"""Checks on uploaded images and documents, beyond Wagtail's own.

Wagtail already refuses a file that is too large, an image with too many pixels and an
image whose format does not match its extension (limits in settings). These forms add
what Wagtail leaves open: an image must decode completely and stay within a side
length, and a document's content must match its extension, so that a web page renamed
to ``.pdf`` or ``.txt`` never reaches the bucket. The checks run in the form's
``clean_file``, before anything is saved, so a refused file leaves no row and no object.

An image that passes is stored re-encoded, never as uploaded: a file can be a valid
image and carry something else after its end (a "polyglot" with an HTML or script
tail) or in its metadata (a camera's GPS position). Re-encoding keeps the pixels, the
colour profile and the orientation, and drops everything else.
"""

import io
import re
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _

from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

import willow
from PIL import Image, ImageOps, UnidentifiedImageError

# Markup that a browser would run if the file were ever shown as a page.
HTML_LIKE = re.compile(rb"<\s*(?:!doctype|html|head|body|script|iframe|svg|object|embed)\b", re.I)
SNIFF_BYTES = 4096
ZIP_FORMATS = {"docx", "xlsx", "pptx", "odt"}
TEXT_FORMATS = {"csv", "txt"}
# What Pillow raises for a file it cannot decode.
UNREADABLE = (
    OSError,
    SyntaxError,
    ValueError,
    UnidentifiedImageError,
    Image.DecompressionBombError,
)


def _head(upload, size=SNIFF_BYTES) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


UNREADABLE_IMAGE = _(
    "This image file is damaged or incomplete and cannot be read. "
    "Export it again from your image program and upload the new file."
)


class SafeImageField(WagtailImageField):
    """Wagtail's image field, where a file that fails to decode is an error and not a crash.

    Wagtail decodes some formats (JPEG among them) to count their pixels, and a truncated
    file then raises from Pillow instead of failing validation.
    """

    def check_image_pixel_size(self, f):
        try:
            super().check_image_pixel_size(f)
        except UNREADABLE as error:
            raise ValidationError(UNREADABLE_IMAGE, code="image_unreadable") from error


class SafeImageForm(BaseImageForm):
    """Wagtail's image form, refusing images that do not decode or are absurdly long."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            # Made per form, like Wagtail's own field, so that it reads the current limits.
            field = self.fields["file"]
            self.fields["file"] = SafeImageField(
                label=field.label, required=field.required, widget=field.widget
            )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None or "file" not in self.changed_data:
            return upload
        max_side = settings.WAGTAILIMAGES_MAX_IMAGE_SIDE
        upload.seek(0)
        try:
            with Image.open(upload) as image:
                width, height = image.size
                if max(width, height) > max_side:
                    raise ValidationError(
                        _(
                            "This image is %(width)s × %(height)s pixels. The longest side "
                            "may be at most %(max)s pixels: scale it down and upload it again."
                        ),
                        code="image_too_long",
                        params={"width": width, "height": height, "max": max_side},
                    )
                # Decode every pixel now: a truncated or corrupt file fails here and not
                # later, when a page needs a rendition of it.
                image.load()
        except UNREADABLE as error:
            raise ValidationError(UNREADABLE_IMAGE, code="image_unreadable") from error
        finally:
            upload.seek(0)
        return reencoded(upload)


# How each allowed format is written again: as close to the upload as the format allows.
SAVE_OPTIONS = {
    "JPEG": {"quality": 95},
    "PNG": {},
    "WEBP": {"quality": 95},
}


def reencoded(upload):
    """The uploaded image written anew by Pillow, under the same name and format.

    What comes after the image's end, text chunks and EXIF (GPS, camera, comments) are not
    carried over. The EXIF orientation is applied to the pixels first, so the picture
    stands as the camera meant it; the ICC colour profile is kept.
    """
    upload.seek(0)
    with Image.open(upload) as image:
        image_format = image.format
        icc_profile = image.info.get("icc_profile")
        frames = getattr(image, "n_frames", 1)
        options = dict(SAVE_OPTIONS.get(image_format, {}))
        if icc_profile:
            options["icc_profile"] = icc_profile
        output = io.BytesIO()
        if frames > 1:
            # An animation keeps its frames (Wagtail limits how many it may have).
            image.save(output, image_format, save_all=True, **options)
        else:
            upright = ImageOps.exif_transpose(image)
            if image_format == "PNG" and "transparency" in image.info:
                options["transparency"] = image.info["transparency"]
            upright.save(output, image_format, **options)
    data = output.getvalue()
    clean = SimpleUploadedFile(upload.name, data, content_type=upload.content_type)
    # What Wagtail's image field attaches to an upload, for code that reads it later.
    clean.image = willow.Image.open(io.BytesIO(data))
    return clean


class SafeDocumentForm(BaseDocumentForm):
    """Wagtail's document form, refusing a file whose content does not match its extension."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None or "file" not in self.changed_data:
            return upload
        extension = Path(upload.name).suffix.lower().lstrip(".")
        allowed = settings.WAGTAILDOCS_EXTENSIONS
        if extension not in allowed:
            raise ValidationError(
                _("Files of type .%(extension)s cannot be uploaded. Allowed types: %(allowed)s."),
                code="document_extension",
                params={"extension": extension or "?", "allowed": ", ".join(allowed)},
            )
        head = _head(upload)
        if not _content_matches(extension, head, upload):
            raise ValidationError(
                _(
                    "The content of this file is not a .%(extension)s document. Save it "
                    "again in that format, or give it the extension that matches its content."
                ),
                code="document_content",
                params={"extension": extension},
            )
        return upload


def _content_matches(extension: str, head: bytes, upload) -> bool:
    if HTML_LIKE.search(head):
        return False
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension in ZIP_FORMATS:
        try:
            upload.seek(0)
            with zipfile.ZipFile(upload) as archive:
                # Only the directory is read: a zip bomb is never decompressed here.
                names = set(archive.namelist())
                marker = "mimetype" if extension == "odt" else "[Content_Types].xml"
                return marker in names
        except (zipfile.BadZipFile, OSError, EOFError):
            return False
        finally:
            upload.seek(0)
    if extension in TEXT_FORMATS:
        if b"\x00" in head:
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            # The sniffed block may end inside a multi-byte character.
            if error.start < len(head) - 3:
                return False
        return True
    return False
