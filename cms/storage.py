"""Media in S3-compatible object storage: cache headers and privacy by key prefix.

Wagtail writes original images under ``original_images/``, renditions under ``images/``
and documents under ``documents/``. Image files never change once written (renditions
carry a hash of their filter in the name and uploads never overwrite), so they are
cached for a year. Documents may be private (a collection's privacy): they are served
only through Wagtail's checked view, so the bucket and any CDN must never cache or
expose them; the bucket policy in docs/deployment.md grants public reads on the image
prefixes only.
"""

from botocore.config import Config
from storages.backends.s3 import S3Storage

IMAGE_PREFIXES = ("original_images/", "images/")
IMAGE_CACHE_CONTROL = "public, max-age=31536000, immutable"
DOCUMENT_CACHE_CONTROL = "private, no-store"


class MediaStorage(S3Storage):
    """S3 storage with short network timeouts and per-prefix cache headers.

    Options are plain values (``timeout`` in seconds) so that the storage can be
    deconstructed into a background task's JSON arguments, as Wagtail does to delete files.
    """

    def get_default_settings(self):
        return {**super().get_default_settings(), "timeout": 5.0}

    def __init__(self, **options):
        super().__init__(**options)
        self.client_config = self.client_config.merge(
            Config(
                connect_timeout=self.timeout,
                read_timeout=self.timeout,
                retries={"max_attempts": 2, "mode": "standard"},
            )
        )

    def get_object_parameters(self, name):
        parameters = super().get_object_parameters(name)
        key = name.removeprefix(self.location).lstrip("/")
        if key.startswith(IMAGE_PREFIXES):
            parameters.setdefault("CacheControl", IMAGE_CACHE_CONTROL)
        else:
            parameters.setdefault("CacheControl", DOCUMENT_CACHE_CONTROL)
        return parameters
