"""Settings for the test suite.

The database comes from DATABASE_URL, so the same suite runs on SQLite (the default)
and on PostgreSQL (`make test` runs both).
"""

from .base import *

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost", ".localhost"]

# Fast hashing: the suite creates many users and never stores a real password.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests write media into a throw-away folder (the conftest points MEDIA_ROOT at tmp).
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Whitenoise in tests should not need collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# The tests read the API hundreds of times a minute from one address (the fuzzer); the
# fair limits' own tests (tests/partners) set a small quota.
API_RATE_LIMIT_ANONYMOUS = 1_000_000
# Every search written at once, so a test reads its count straight after the request.
SEARCH_HITS_FLUSH_SECONDS = 0

# The tests' partner endpoints listen on loopback (the guard's own tests turn this off).
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
LINK_CHECK_ALLOW_PRIVATE_ADDRESSES = True
