"""The open-data dump: all published content of a region, in both languages, as one JSON
Lines file per resource and language, and a manifest.

A partner bootstraps a mirror from it instead of paging through the API: each line is
exactly what the resource's `api_url` answers, and the manifest's `cursor` is the change
feed's head taken *before* the content was read, so following the feed from it brings
the mirror in step with the API (changes made while the dump was written come again,
which replaying allows).

The files are written through the default storage (S3 in production) under
`open-data/<region key>/`, and served at the stable addresses `/open-data/manifest.json`
and `/open-data/<file>` of the region's own host (`partners.views`).
"""

import hashlib
import io
import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.utils import timezone

from region_pages import regions
from sources.registry import source_class

DIRECTORY = "open-data"
MANIFEST = "manifest.json"
NLOD = {"name": "NLOD 2.0", "url": "https://data.norge.no/nlod/no/2.0"}
# (resource type, the list that gives every one whole, the licence of its content).
RESOURCES = (
    ("page", "/api/v1/pages?include=body&limit=100", None),
    ("entry", "/api/v1/entries?limit=100", None),
    ("vacancy", "/api/v1/vacancies?limit=100", "nav"),
)


@dataclass
class Written:
    name: str
    resource_type: str
    lang: str
    count: int
    sha256: str
    bytes: int


def path_of(region_key: str, name: str) -> str:
    return f"{DIRECTORY}/{region_key}/{name}"


def licence_of(source: str | None) -> dict:
    """The region's own text is NLOD 2.0; imported data keeps its source's licence."""
    if source is None:
        return NLOD
    licence = source_class(source).licence
    return {"name": str(licence.name), "url": licence.url}


class Reader:
    """Reads the API as a partner does, on the region's public host, through Django's
    whole request handling (its middleware, URLs and views): a line of the dump is the
    API's own answer. The request signals are not sent: the command is no request, and
    the database connection it reads on stays its own."""

    def __init__(self, region):
        public = urlsplit(settings.SITE_BASE_URL)
        port = region.port if not region.is_default else (public.port or None)
        hostname = region.hostname if not region.is_default else public.hostname
        scheme = public.scheme or "http"
        default_port = 443 if scheme == "https" else 80
        self.environ = {
            "SERVER_NAME": hostname,
            "SERVER_PORT": str(port or default_port),
            "HTTP_HOST": hostname + (f":{port}" if port and port not in (80, 443) else ""),
            "HTTP_X_FORWARDED_PROTO": scheme,
            "wsgi.url_scheme": scheme,
            "REMOTE_ADDR": "127.0.0.1",
            "SCRIPT_NAME": "",
        }
        self.handler = BaseHandler()
        self.handler.load_middleware()

    def get(self, url: str) -> dict:
        parts = urlsplit(url)
        request = WSGIRequest(
            {
                **self.environ,
                "REQUEST_METHOD": "GET",
                "PATH_INFO": parts.path,
                "QUERY_STRING": parts.query,
                "wsgi.input": io.BytesIO(b""),
            }
        )
        answer = self.handler.get_response(request)
        body = b"".join(answer) if answer.streaming else answer.content
        if answer.status_code != 200:
            raise RuntimeError(f"{url} answered {answer.status_code}: {body[:300]!r}")
        return json.loads(body)

    def every(self, url: str):
        while url:
            answer = self.get(url)
            yield from answer["items"]
            url = answer.get("next")


def export(region, progress=lambda message: None) -> dict:
    """Write the dump of `region` and return its manifest."""
    reader = Reader(region)
    head = reader.get("/api/v1/changes/head")  # before reading: see the module's text
    files = []
    for resource_type, url, source in RESOURCES:
        for lang in ("nb", "en"):
            lines = [
                json.dumps(item, ensure_ascii=False, sort_keys=True)
                for item in reader.every(f"{url}&lang={lang}")
            ]
            body = ("\n".join(lines) + "\n" if lines else "").encode()
            name = f"{resource_type}-{lang}.jsonl"
            _replace(path_of(region.key, name), body)
            files.append(
                {
                    **Written(
                        name,
                        resource_type,
                        lang,
                        len(lines),
                        hashlib.sha256(body).hexdigest(),
                        len(body),
                    ).__dict__,
                    "licence": licence_of(source),
                }
            )
            progress(f"{region.key}: {name}, {len(lines)} {resource_type} resources")
    manifest = {
        "region": region.key,
        "created_at": timezone.now().isoformat(),
        "cursor": head["cursor"],
        "licence": NLOD,
        "files": files,
    }
    body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
    _replace(path_of(region.key, MANIFEST), body)
    return manifest


def _replace(name: str, body: bytes) -> None:
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(body))


def export_all(progress=lambda message: None) -> list[dict]:
    return [export(region, progress) for region in regions.all_regions()]
