"""Query parameters: unknown or repeated ones are refused, bad values explained.

Ninja validates the values against the types in the views' signatures; this module turns
its errors, and the parameters no endpoint knows, into one problem listing them all.
"""

import re
from datetime import date
from functools import wraps
from typing import Annotated
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from ninja import Query
from pydantic import BeforeValidator

from .. import regions
from .problems import invalid_parameters, not_found

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 100_000

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"At most {MAX_LIMIT}.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="How many to skip.")]


REGION_PATTERN = r"^[a-z0-9][a-z0-9-]*(,[a-z0-9][a-z0-9-]*)*$"
RegionKeys = Annotated[
    str | None,
    Query(
        pattern=REGION_PATTERN,
        max_length=1000,
        description="The regions to read, by key, separated by commas (their keys are in "
        "`/api/v1/regions`). Without it: the region of the host asked.",
        examples=["ranaregionen,mosjoenregionen"],
    ),
]


def requested_regions(request) -> list:
    """The regions `?region=` names (a 404 problem if one is unknown: well-formed, but
    there is no such region), else the region of the request's host; [] in an install
    without regions."""
    raw = request.GET.get("region")
    if raw is None:
        region = regions.for_request(request)
        return [region] if region else []
    known = {region.key: region for region in regions.all_regions()}
    keys = list(dict.fromkeys(key.strip() for key in raw.split(",") if key.strip()))
    unknown = [key for key in keys if key not in known]
    if unknown or not keys:
        raise not_found(
            _("No region has the key %(keys)s. The regions: %(known)s (see /api/v1/regions).")
            % {"keys": ", ".join(unknown) or "“”", "known": ", ".join(known)}
        )
    return [known[key] for key in keys]


NOT_A_DATE = object()


def _year_month_day(value):
    """Hand pydantic a value of the form YYYY-MM-DD only: anything else it then refuses
    as not a date at all (`date_type`), where it would read `0` as 1 January 1970 or take a
    date with a time."""
    if isinstance(value, str) and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return NOT_A_DATE
    return value


# A day as the document gives it (`format: date`), and nothing else.
IsoDate = Annotated[date, BeforeValidator(_year_month_day)]


def strict_query(*allowed: str, lists: tuple[str, ...] = ()):
    """Refuse query parameters other than `allowed`, and repeats of single-valued ones."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            errors = []
            for name in request.GET:
                if name not in allowed:
                    errors.append(
                        {
                            "name": name,
                            "reason": _("Unknown parameter. This endpoint accepts: %(names)s.")
                            % {"names": ", ".join(allowed) or _("none")},
                        }
                    )
                elif name not in lists and len(request.GET.getlist(name)) > 1:
                    errors.append({"name": name, "reason": _("Give this parameter only once.")})
            if errors:
                raise invalid_parameters(errors)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


# Patterns whose mismatch is explained by a function of the value given (a pattern that
# lists names, as `fields` does, then names those it does not know).
PATTERN_REASONS = {}


def explain_pattern(pattern: str, reason) -> None:
    PATTERN_REASONS[pattern] = reason


def reason_for(error: dict, value: str = "") -> str:
    """A translated reason for one of pydantic's errors, saying what is expected (`value`:
    what the request gave)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "string_pattern_mismatch" and ctx.get("pattern") in PATTERN_REASONS:
        return PATTERN_REASONS[ctx["pattern"]](value)
    if kind in ("less_than_equal", "less_than"):
        return _("At most %(limit)s.") % {"limit": ctx.get("le", ctx.get("lt"))}
    if kind in ("greater_than_equal", "greater_than"):
        return _("At least %(limit)s.") % {"limit": ctx.get("ge", ctx.get("gt"))}
    if kind == "int_parsing":
        return _("Give a whole number.")
    if kind == "float_parsing":
        return _("Give a decimal number.")
    if kind in ("literal_error", "enum"):
        return _("Use one of: %(expected)s.") % {"expected": ctx.get("expected", "")}
    if kind == "string_pattern_mismatch":
        return _("This value does not have the expected form.")
    if kind.startswith("date"):
        return _("Give a date as YYYY-MM-DD, for example 2026-12-31.")
    if kind == "missing":
        return _("This parameter is required.")
    return _("This value is not valid.")


def validation_problem(errors: list[dict], query=None):
    """The problem for ninja's errors; `query` the request's parameters (ninja leaves the
    values out of its errors)."""
    found = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        # ninja prefixes the source ("query", "path"); the parameter is the last part.
        name = location[-1] if location else ""
        value = query.get(name, "") if query is not None and location[:1] == ["query"] else ""
        found.append({"name": name, "reason": reason_for(error, value)})
    return invalid_parameters(found)


def page_links(request, count: int, limit: int, offset: int) -> dict:
    """The envelope of a paginated list: totals and the neighbouring pages' URLs."""

    def url(new_offset: int) -> str:
        query = request.GET.copy()
        query["offset"] = str(new_offset)
        query["limit"] = str(limit)
        return request.build_absolute_uri(request.path + "?" + urlencode(sorted(query.items())))

    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "next": url(offset + limit) if offset + limit < count else None,
        "previous": url(max(offset - limit, 0)) if offset > 0 else None,
    }
