import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

django_application = get_wsgi_application()

# Imported once Django is set up: it reads the settings and the models.
from cms.response_cache import ResponseCache  # noqa: E402
from observability.wsgi import RequestObserver  # noqa: E402

# Anonymous reads answered from whole stored responses, before Django's middleware; outside
# that, each request's id, count and time (and the metrics endpoint).
application = RequestObserver(ResponseCache(django_application))
