"""Named image sizes, shared by the templates' callers and the partner API.

A partner chooses a size by name (`thumbnail`, `medium`, `large`); the spec behind a name
may be tuned without breaking anyone, since every rendition carries its own width and height.
"""

from django.conf import settings

# name -> Wagtail filter spec
NAMED_RENDITIONS = {
    "thumbnail": "fill-400x300",
    "medium": "max-800x800",
    "large": "max-1600x1600",
}


def absolute_url(url: str) -> str:
    """A site-relative URL made absolute with the site's public address."""
    if url.startswith("/"):
        return settings.SITE_BASE_URL + url
    return url


def image_representation(image, alt_text: str) -> dict | None:
    """An image as the API serves it: its id, the alternative text and named renditions."""
    if image is None:
        return None
    renditions = image.get_renditions(*NAMED_RENDITIONS.values())
    return {
        "id": image.pk,
        "alt_text": alt_text,
        "width": image.width,
        "height": image.height,
        "renditions": {
            name: {
                "url": absolute_url(renditions[spec].url),
                "width": renditions[spec].width,
                "height": renditions[spec].height,
            }
            for name, spec in NAMED_RENDITIONS.items()
        },
    }
