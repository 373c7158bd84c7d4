"""Whole answers kept under the content version as the bytes that are sent.

A kept answer that is data still costs every reader its validation against the answer's
schema and its encoding, which for a large answer is most of its cost (a municipality of
625 entries, 1 MB: 60 ms of a request). Kept as bytes, checked and encoded once per
publish, exactly as ninja would send them, it costs a reader the copy of its bytes.
"""

import functools
import json

from django.http import HttpResponse

from ninja.responses import NinjaJSONEncoder
from pydantic import TypeAdapter

from .. import versions
from .sparse import JSON_CONTENT_TYPE


def kept_answer(kind: str, name: str, schema, build) -> HttpResponse:
    """The 200 answer of `build()` (its data, which `schema` describes), kept as bytes
    under `kind:<version>:name`. What `build()` raises (a 404) is raised, and not kept."""
    body = versions.remember(kind, name, lambda: encoded(schema, build()))
    return HttpResponse(body, content_type=JSON_CONTENT_TYPE)


def encoded(schema, data) -> bytes:
    """`data` checked against `schema` (a model or a union of them) and encoded, as ninja
    sends a view's answer."""
    adapter = _adapter(schema)
    checked = adapter.dump_python(adapter.validate_python(data))
    return json.dumps(checked, cls=NinjaJSONEncoder).encode()


@functools.cache
def _adapter(schema) -> TypeAdapter:
    return TypeAdapter(schema)
