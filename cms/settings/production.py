"""Production settings: refuse to start without the configuration that matters."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *


def require(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable for production.")
    return value


DEBUG = False
# JSON log lines for the log service (LOG_FORMAT=plain for text).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json").strip() or "json"
LOGGING = observability_logs.configuration(LOG_FORMAT, os.environ.get("LOG_LEVEL", "INFO"))
SECRET_KEY = require("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or require("ALLOWED_HOSTS").split(",")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# A new dict, so that base's is never changed in place.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Bulk machine translation is queued in the database and run by a worker
# (`manage.py db_worker --backend translations`; compose.yaml: the worker service), so a
# web request never waits for DeepL. TRANSLATION_TASKS_BACKEND can choose another backend.
TASKS = {
    **TASKS,
    "translations": {
        "BACKEND": os.environ.get("TRANSLATION_TASKS_BACKEND", "").strip()
        or "django_tasks_db.DatabaseBackend"
    },
}

# No demo content or demo accounts, and no administrator with a default password. Only a
# throw-away copy of production (the smoke test, the benchmarks) turns the demo commands
# back on, with DEMO_COMMANDS_ALLOWED=1.
DEMO_COMMANDS_ALLOWED = env_bool("DEMO_COMMANDS_ALLOWED", False)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
# The admin's scripts take the CSRF token from the page, never from the cookie.
CSRF_COOKIE_HTTPONLY = True

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@ranaregionen.no")
# The workflow's notifications (submitted, approved, changes requested, comments).
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL

# A partner's webhook receives the change feed signed; in the clear only where allowed.
WEBHOOKS_ALLOW_HTTP = env_bool("WEBHOOKS_ALLOW_HTTP", False)
