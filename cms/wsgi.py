import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

django_application = get_wsgi_application()

# Imported once Django is set up: it reads the settings and the models.
from cms.response_cache import ResponseCache  # noqa: E402
from observability.wsgi import RequestObserver  # noqa: E402
from partners.ratelimit import RateLimiter  # noqa: E402
from region_pages.regions import key_for_host  # noqa: E402
from region_pages.versions import ENVIRON_KEY  # noqa: E402


def region_of(environ) -> str:
    """The key of the region the request's host serves (the metrics' region label)."""
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    return key_for_host(host, environ.get("SERVER_PORT", ""), environ.get(ENVIRON_KEY))


# Anonymous reads answered from whole stored responses, before Django's middleware; in front
# of that, the partner API's fair limits (a cached answer counts too); outside it all, each
# request's id, count and time by region (and the metrics endpoint).
application = RequestObserver(RateLimiter(ResponseCache(django_application)), region_of)
