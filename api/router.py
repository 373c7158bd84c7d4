"""Builds the partner API (`api`) and its URL patterns (`urls`).

The API's resources live with the apps that own them: the region, municipalities,
entries, pages and the change feed in `region_pages.api`, the vacancies in `sources`, the
search in `search`. This package, above them all, puts them together under one schema.
"""

from functools import wraps

from django.db import transaction
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from ninja import NinjaAPI
from ninja.errors import ValidationError

from region_pages.api import changes, entries, events, municipalities, pages, region
from region_pages.api.entries import GEOJSON_CONTENT_TYPE
from region_pages.api.http import LANGUAGES
from region_pages.api.params import validation_problem
from region_pages.api.problems import PROBLEM_CONTENT_TYPE, Problem, not_found, problem_response
from search.api import router as search_router
from sources.api import router as vacancies_router

DESCRIPTION = """\
The content of the Rana region (Rana, Hemnes, Lurøy and Nesna) for partners' own products:
the region, its municipalities, their industries, leisure activities, schools and
kindergartens, and the articles and theme pages, in Norwegian Bokmål (`nb`) and English
(`en`).

Reading needs no key. Every answer carries a strong `ETag` and `Last-Modified`: send them
back as `If-None-Match` / `If-Modified-Since` and an unchanged answer is a bodyless `304`.
`GET /api/v1/changes` lists what was published, changed, unpublished or deleted since a
cursor, to keep a mirror in step. Errors are problem details (RFC 9457). Version 1 only
ever grows: fields and endpoints may be added, none is removed or changes meaning.
"""


# Operations that answer in a JSON format of their own (by operationId).
MEDIA_TYPES = {"listEntryFeatures": GEOJSON_CONTENT_TYPE}


class PartnerAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation):
        """Clients name their methods after the operationId, so every endpoint declares
        its own (`operation_id=`), kept when the view is renamed or moved. Were one
        forgotten, its view's name in camelCase, never ninja's module path."""
        first, *rest = operation.view_func.__name__.split("_")
        return first + "".join(word.title() for word in rest)

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for parameter in operation.get("parameters", []):
                    parameter["schema"] = not_null(parameter["schema"])
                    # ninja copies the JSON Schema list of examples up to the parameter,
                    # where OpenAPI 3.1 wants a map of Example Objects.
                    if isinstance(parameter.get("examples"), list):
                        parameter["examples"] = {
                            f"example{n}": {"value": value}
                            for n, value in enumerate(parameter["examples"], start=1)
                        }
                for status, answer in operation.get("responses", {}).items():
                    content = answer.get("content", {})
                    media = MEDIA_TYPES.get(operation.get("operationId"))
                    if int(status) == 200 and media and "application/json" in content:
                        content[media] = content.pop("application/json")
                    if int(status) >= 400 and "application/json" in content:
                        content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
                    if int(status) == 200:
                        answer["headers"] = {**RESPONSE_HEADERS, **RATE_LIMIT_HEADERS}
                operation["responses"].update(LIMIT_ANSWERS)
                # Reading is open; a key is optional.
                operation["security"] = [{}, {"partnerKey": []}]
        schema["components"]["securitySchemes"] = SECURITY_SCHEMES
        schema["webhooks"] = WEBHOOKS
        open_vocabularies(schema)
        return schema


# Version 1 grows by values too: a new season, page type, language, block type or entry
# kind. The answers' vocabularies are therefore open, so that a client generated from this
# document meets a value it does not know yet gracefully: an enum in an answer is "one of
# these, or another string", and a union on a discriminator has an `Unknown…` member for
# any other value. Parameters stay closed: the server takes only the values listed.
UNKNOWN_VALUE = {
    "type": "string",
    "title": "Unknown",
    "description": "A value added after this version of the document: treat it as unknown.",
}
UNKNOWN_MEMBERS = {"type": "UnknownBlock", "kind": "UnknownEntry", "resource_type": "UnknownChange"}
UNKNOWN_MEMBER_TEXT = {
    "type": "A block of a type added after this version of the document: skip it, or show "
    "its `value` as you can.",
    "kind": "An entry of a kind added after this version of the document: skip it.",
    "resource_type": "A change to a resource of a type added after this version of the "
    "document: skip it.",
}


def open_vocabularies(schema: dict) -> None:
    components = schema["components"]["schemas"]
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                # A parameter keeps its own closed copy of a vocabulary it shares.
                reference = parameter["schema"].get("$ref")
                if reference:
                    shared = components[reference.rsplit("/", 1)[-1]]
                    parameter["schema"] = {**shared, **parameter["schema"]}
                    del parameter["schema"]["$ref"]
    answers = [schema["components"]]
    answers += [
        answer
        for operations in schema.get("paths", {}).values()
        for operation in operations.values()
        for answer in operation.get("responses", {}).values()
    ]
    for node in answers:
        _open(node, components)


def _open(node, components: dict) -> None:
    if isinstance(node, list):
        for item in node:
            _open(item, components)
        return
    if not isinstance(node, dict):
        return
    for value in list(node.values()):
        _open(value, components)
    if "enum" in node and node.get("type") == "string":
        closed = {"type": "string", "enum": node.pop("enum")}
        node.pop("type")
        node["anyOf"] = [closed, UNKNOWN_VALUE]
    discriminator = node.get("discriminator")
    if discriminator and "oneOf" in node:
        name = UNKNOWN_MEMBERS[discriminator["propertyName"]]
        components[name] = _unknown_member(discriminator)
        reference = {"$ref": f"#/components/schemas/{name}"}
        if reference not in node["oneOf"]:
            node["oneOf"].append(reference)


def _unknown_member(discriminator: dict) -> dict:
    key = discriminator["propertyName"]
    return {
        "type": "object",
        "title": UNKNOWN_MEMBERS[key],
        "description": UNKNOWN_MEMBER_TEXT[key],
        "x-unknown": True,
        "required": [key],
        "properties": {
            key: {"type": "string", "not": {"enum": sorted(discriminator["mapping"])}},
        },
    }


# What a partner's webhook receives (the webhooks app posts it; registered in the admin by
# the region's coordinator). OpenAPI 3.1 describes such calls from the API to the client.
WEBHOOKS = {
    "changes": {
        "post": {
            "operationId": "receiveChanges",
            "summary": "Changes, as they are published",
            "description": "Posted to a partner's registered address (https) within seconds "
            "of each change, with the events that followed the last message, in the feed's "
            "order and form (`GET /api/v1/changes`), at most 100 a message; `has_more` says "
            "another message follows. Answer 2xx to take it; anything else (or no answer "
            "within 5 s, or a redirect) is tried again after 30 s, 1 min, 2 min, … up to "
            "6 h, with the same `webhook-id`; after a day of failures, or at once when you "
            "answer a 4xx other than 408 or 429, the webhook is turned off and the region's "
            "coordinator told, until they turn it on again: you are then sent what you "
            "missed, in order. A webhook may ask for some events only (`page.published`, "
            "`entry.deleted`, …) and for one language. Signed as Standard Webhooks "
            "(standardwebhooks.com) asks: check `webhook-signature` with your secret.",
            "parameters": [
                {
                    "name": "webhook-id",
                    "in": "header",
                    "required": True,
                    "description": "The message's id: the same on every attempt.",
                    "schema": {"type": "string", "examples": ["msg_3_1287"]},
                },
                {
                    "name": "webhook-timestamp",
                    "in": "header",
                    "required": True,
                    "description": "When it was sent, in Unix seconds (refuse old ones).",
                    "schema": {"type": "string", "examples": ["1796400000"]},
                },
                {
                    "name": "webhook-signature",
                    "in": "header",
                    "required": True,
                    "description": "`v1,` and the base64 of HMAC-SHA256 over "
                    "`{webhook-id}.{webhook-timestamp}.{body}`, keyed with the bytes of your "
                    "secret after `whsec_` (base64).",
                    "schema": {"type": "string"},
                },
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "allOf": [
                                {"$ref": "#/components/schemas/ChangeList"},
                                {
                                    "type": "object",
                                    "required": ["type", "events", "since"],
                                    "properties": {
                                        "type": {"type": "string", "const": "changes"},
                                        "events": {
                                            "type": "array",
                                            "items": {"type": "string"},
                                            "description": "The names of the events in "
                                            "`items`, `<resource_type>.<action>`, sorted: "
                                            "route a message by them. An open vocabulary.",
                                            "examples": [["entry.published", "page.published"]],
                                        },
                                        "since": {
                                            "type": "string",
                                            "description": "The cursor the events follow: "
                                            "the `next_cursor` of the message before.",
                                        },
                                    },
                                },
                            ]
                        }
                    }
                },
            },
            "responses": {"2XX": {"description": "Taken."}},
        }
    }
}


def not_null(schema: dict) -> dict:
    """A parameter is given or left out, never null: ninja's `{"type": "null"}` alternative
    for an optional one only makes a generated client's types clumsier."""
    options = [option for option in schema.get("anyOf", []) if option != {"type": "null"}]
    if "anyOf" not in schema or len(options) != 1:
        return schema
    flat = {key: value for key, value in schema.items() if key != "anyOf"}
    if flat.get("default", "") is None:
        del flat["default"]
    return {**options[0], **flat}


RESPONSE_HEADERS = {
    "ETag": {
        "description": "A strong validator; send it back in If-None-Match.",
        "schema": {"type": "string"},
    },
    "Last-Modified": {
        "description": "When the content last changed; send it back in If-Modified-Since.",
        "schema": {"type": "string"},
    },
    "Cache-Control": {"schema": {"type": "string"}},
}
# The fair limits (partners.ratelimit), on every answer of the API.
RATE_LIMIT_HEADERS = {
    "RateLimit-Policy": {
        "description": 'The quota that applies: `"anonymous";q=600;w=60` (requests a window of '
        'w seconds, for each address without a key) or `"key";q=…;w=60` (the key\'s own).',
        "schema": {"type": "string"},
    },
    "RateLimit": {
        "description": 'Where the client stands: `"anonymous";r=598;t=17` (requests left, '
        "seconds until the window starts again).",
        "schema": {"type": "string"},
    },
}
LIMIT_ANSWERS = {
    "401": {
        "description": "The API key sent is not known, or was revoked (reading needs none).",
        "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    },
    "429": {
        "description": "Too many requests in this window: try again after `Retry-After` seconds.",
        "headers": {
            "Retry-After": {
                "description": "Seconds until the window starts again.",
                "schema": {"type": "integer"},
            },
            **RATE_LIMIT_HEADERS,
        },
        "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    },
}
SECURITY_SCHEMES = {
    "partnerKey": {
        "type": "http",
        "scheme": "bearer",
        "description": "A partner's API key (`rk_…`), issued by the region's coordinator: "
        "optional, for a larger share than clients without a key.",
    }
}

api = PartnerAPI(
    title="Ranaregionen partner API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
)
api.add_router("", region.router)
api.add_router("", municipalities.router)
api.add_router("", entries.router)
api.add_router("", events.router)
api.add_router("", pages.router)
api.add_router("", changes.router)
# Job vacancies from the open data pipeline (sources/).
api.add_router("", vacancies_router)
# Site search (search/), with the results of the HTML search page.
api.add_router("", search_router)


@api.exception_handler(Problem)
def on_problem(request, exc):
    return problem_response(request, exc)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    return problem_response(request, validation_problem(exc.errors, request.GET))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return problem_response(request, not_found(_("There is no such resource.")))


def in_requested_language(view):
    """Run the view in the language of `lang` (LocaleMiddleware has activated the
    Accept-Language one), so that its problems are worded in the language asked for."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        lang = request.GET.get("lang")
        if lang not in LANGUAGES:
            return view(request, *args, **kwargs)
        with translation.override(lang):
            return view(request, *args, **kwargs)

    return wrapper


def urls():
    """The URL patterns, outside ATOMIC_REQUESTS: reading needs no transaction."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = transaction.non_atomic_requests(in_requested_language(pattern.callback))
    return patterns, app_name, namespace
