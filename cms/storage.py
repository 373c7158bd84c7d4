"""Media in S3-compatible object storage: cache headers and privacy by key prefix.

Wagtail writes original images under ``original_images/``, renditions under ``images/``
and documents under ``documents/``. Image files never change once written (renditions
carry a hash of their filter in the name and uploads never overwrite), so they are
cached for a year. Documents may be private (a collection's privacy): they are served
only through Wagtail's checked view, so the bucket and any CDN must never cache or
expose them; the bucket policy in docs/deployment.md grants public reads on the image
prefixes only.

When the object store cannot be reached, hangs past the timeout or refuses a request,
the storage raises `StorageUnavailable`. It is an `OSError`, as Django's own file
storage raises, so Wagtail draws a missing rendition as it draws a missing file; an
upload that meets it is answered by `cms.middleware.StorageOutageMiddleware`.
"""

import logging
from functools import wraps

from boto3.exceptions import Boto3Error
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from storages.backends.s3 import S3Storage

logger = logging.getLogger(__name__)

IMAGE_PREFIXES = ("original_images/", "images/")
IMAGE_CACHE_CONTROL = "public, max-age=31536000, immutable"
DOCUMENT_CACHE_CONTROL = "private, no-store"
# What boto3 raises when the store is away, slow or refuses: connection refused, timeouts,
# HTTP errors (ClientError; django-storages has already turned a 404 into an answer), and
# an upload that failed after its retries.
STORE_ERRORS = (BotoCoreError, ClientError, Boto3Error)


class StorageUnavailable(OSError):
    """The object store did not take or give a file; nothing was written on our side."""


def _translating_errors(method):
    @wraps(method)
    def call(self, name, *args, **kwargs):
        try:
            return method(self, name, *args, **kwargs)
        except STORE_ERRORS as error:
            logger.warning("Object storage failed on %s(%r): %s", method.__name__, name, error)
            raise StorageUnavailable(f"The object store failed on {name!r}: {error}") from error

    return call


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

    _save = _translating_errors(S3Storage._save)
    _open = _translating_errors(S3Storage._open)
    exists = _translating_errors(S3Storage.exists)
    delete = _translating_errors(S3Storage.delete)
    size = _translating_errors(S3Storage.size)

    def get_object_parameters(self, name):
        parameters = super().get_object_parameters(name)
        key = name.removeprefix(self.location).lstrip("/")
        if key.startswith(IMAGE_PREFIXES):
            parameters.setdefault("CacheControl", IMAGE_CACHE_CONTROL)
        else:
            parameters.setdefault("CacheControl", DOCUMENT_CACHE_CONTROL)
        return parameters
