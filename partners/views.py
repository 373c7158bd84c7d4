"""The open-data dump at stable addresses on each region's host: /open-data/manifest.json
and the files it lists."""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from region_pages import regions

from .dump import MANIFEST, path_of

CONTENT_TYPES = {".json": "application/json", ".jsonl": "application/jsonl"}


def open_data(request, name: str):
    region = regions.for_request(request)
    suffix = "." + name.rsplit(".", 1)[-1]
    stored = path_of(region.key, name) if region else None
    if suffix not in CONTENT_TYPES or stored is None or not default_storage.exists(stored):
        raise Http404(_("There is no such file in the open-data dump."))
    response = FileResponse(default_storage.open(stored), content_type=CONTENT_TYPES[suffix])
    # The dump is written anew each night; the manifest tells what is current.
    response["Cache-Control"] = "public, max-age=300" if name != MANIFEST else "public, no-cache"
    response["Access-Control-Allow-Origin"] = "*"
    return response
