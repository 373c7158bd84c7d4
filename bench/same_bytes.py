"""Django sending the same bytes: the baseline of `site_bench.py`.

A Django project of one view and no middleware, app or database, that answers
`/<n>` with the bytes of the file `<n>.bin` in `SAME_BYTES_DIR` (read once at start), as
the project answered the benchmark's n-th address. What a request costs in Django itself
(the WSGI handler, URL resolving, a response), without anything the project adds.

    SAME_BYTES_DIR=... gunicorn --pythonpath bench same_bytes:application
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import Http404, HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["127.0.0.1"],
    ROOT_URLCONF=__name__,
    SECRET_KEY="same-bytes-bench-only-not-secret",  # noqa: S106 - answers fixed bytes, no session
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_I18N=False,
)

BODIES = {
    int(file.stem): file.read_bytes() for file in Path(os.environ["SAME_BYTES_DIR"]).glob("*.bin")
}


def same_bytes(request, index: int):
    if index not in BODIES:
        raise Http404
    return HttpResponse(BODIES[index], content_type="application/octet-stream")


urlpatterns = [path("<int:index>", same_bytes)]

application = get_wsgi_application()
