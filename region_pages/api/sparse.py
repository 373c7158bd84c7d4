"""`fields=`: a list's items with only the fields a client asks for (sparse fieldsets).

A mirror that keeps titles and addresses, or a map that wants names and coordinates, need
not take every item whole. `fields=title,html_url` keeps those fields of each item, and
always its `id`; the list's envelope (`count`, `next`, …) stays as it is. Only the
items' own fields can be named, not fields inside them. The document's pattern names
them all, and a name no item has is refused with the names there are, never ignored: a
typo would otherwise look like an empty field.
"""

import json
import typing
from functools import partial, wraps
from typing import Annotated

from django.http import HttpResponse
from django.utils.translation import gettext as _

from ninja import Query
from ninja.responses import NinjaJSONEncoder

from .params import explain_pattern

ALWAYS = "id"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"
MAX_LENGTH = 1000


def item_fields(envelope) -> tuple[str, ...]:
    """The fields of the items of a list answer, of every kind where items are of several
    (a discriminated union, as entries are)."""
    item = typing.get_args(envelope.model_fields["items"].annotation)[0]
    if typing.get_origin(item) is Annotated:
        item = typing.get_args(item)[0]
    kinds = typing.get_args(item) or (item,)
    return tuple(dict.fromkeys(name for kind in kinds for name in kind.model_fields))


def Fields(envelope, *, note: str = ""):
    """The `fields` parameter of a list whose answer is `envelope`: the names it takes, as
    a pattern and in words, in the document."""
    known = item_fields(envelope)
    name = "(" + "|".join(known) + ")"
    listed = ", ".join(f"`{field}`" for field in known)
    pattern = f"^{name}(,{name})*$"
    explain_pattern(pattern, partial(_unknown_names, known))
    return Annotated[
        str | None,
        Query(
            pattern=pattern,
            max_length=MAX_LENGTH,
            description="Only these fields of each item (and always `id`), comma-separated; "
            "without it, every field. A client that validates answers against this document "
            "reads such an answer with its own, partial type: the other fields are left "
            f"out, not null. The fields: {listed}.{note}",
            examples=[",".join([field for field in known if field != ALWAYS][:2])],
        ),
    ]


def _unknown_names(known: tuple[str, ...], value) -> str:
    """Why `value` is not a list of the items' fields: the names that are not."""
    names = str(value).split(",")
    unknown = [name for name in names if name not in known] or names
    return _("The items have no field %(unknown)s. Their fields: %(known)s.") % {
        "unknown": ", ".join(f"“{name}”" for name in dict.fromkeys(unknown)),
        "known": ", ".join(known),
    }


def sparse(envelope):
    """Let a list view answer `fields=`: its answer validated as `envelope` (as ninja
    would), then each item cut down to the fields asked for."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            raw = request.GET.get("fields")
            names = raw.split(",") if raw else None
            result = view(request, *args, **kwargs)
            if names is None or not isinstance(result, dict):
                return result
            data = envelope.model_validate(result).model_dump()
            kept = {ALWAYS, *names}
            data["items"] = [
                {name: value for name, value in item.items() if name in kept}
                for item in data["items"]
            ]
            return HttpResponse(
                json.dumps(data, cls=NinjaJSONEncoder), content_type=JSON_CONTENT_TYPE
            )

        return wrapper

    return decorate
