"""Settings for a developer's machine and `make demo`: safe defaults, debug on."""

import os

from .base import *

DEBUG = os.environ.get("DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret-" + "x" * 40)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", ".localhost", "[::1]", *env_list("ALLOWED_HOSTS")]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
# Static files straight from the apps, so the site runs without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# A partner's test endpoint on this machine or the local network may be told of changes.
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", True)
LINK_CHECK_ALLOW_PRIVATE_ADDRESSES = env_bool("LINK_CHECK_ALLOW_PRIVATE_ADDRESSES", True)
