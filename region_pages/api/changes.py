"""The change feed: what was published, changed, unpublished or deleted since a cursor."""

import base64
import hashlib
import re
from collections.abc import Callable
from datetime import UTC
from typing import Annotated

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from ninja import Query, Router
from pydantic import WithJsonSchema

from ..models import ChangeEvent, ResourceType
from .kept import kept_answer
from .params import RegionKeys, requested_regions, strict_query
from .problems import Problem as ProblemAnswer
from .problems import invalid_parameters
from .represent import Reader
from .schemas import ChangeHead, ChangeList, Problem

router = Router(tags=["changes"])

DEFAULT_FEED_LIMIT = 100
MAX_FEED_LIMIT = 1000
CURSOR_PREFIX = "v1:"

# A cursor names an event of the feed: its sequence and a fingerprint of the event
# ("2.<sequence>.<fingerprint>"). The fingerprint is the database's epoch: a database
# restored from an older backup, or another install's, numbers its new events again from
# where it stood, and the same sequence then names another event, so such a cursor is
# known to be lost (410) instead of quietly skipping the changes in between.
V2_CURSOR_PATTERN = r"^2\.(?:0|[1-9][0-9]{0,17})\.[A-Za-z0-9_-]{11}$"
V2_CURSOR_MAX_LENGTH = 2 + 18 + 1 + 11

# Cursors of the first form, "v1:" and a sequence number in base64url without padding,
# given out until December 2026, are still taken (without the epoch's check). The
# document gives their exact form, so that every cursor it allows is one the server
# takes: "djE6" is "v1:"; then every three digits are four characters, the first two of
# which say the first digit (MD 0, MT 1, Mj 2, Mz 3, ND 4, NT 5, Nj 6, Nz 7, OD 8, OT 9),
# the third the second digit ([AEIMQUYcgk]) and the fourth the third one ([w-z0-5]). One
# digit left over is two characters ([MN][AQgw] or O[AQ]); two are three. No leading zero
# ("MA" is 0 alone), and at most 18 digits, well within the sequence's 64 bits.
_ANY_DIGIT = "(?:[MN][DTjz]|O[DT])"
_NONZERO = "(?:M[Tjz]|N[DTjz]|O[DT])"
_THREE = f"{_ANY_DIGIT}[AEIMQUYcgk][w-z0-5]"
_REST = f"(?:{_THREE}|{_ANY_DIGIT}[AEIMQUYcgk]|[MN][AQgw]|O[AQ])"
V1_CURSOR_PATTERN = (
    f"^djE6(?:MA|M[Qgw]|N[AQgw]|O[AQ]|{_NONZERO}[AEIMQUYcgk]"
    f"|{_NONZERO}[AEIMQUYcgk][w-z0-5](?:{_THREE}){{0,4}}{_REST}?)$"
)
CURSOR_PATTERN = f"(?:{V2_CURSOR_PATTERN})|(?:{V1_CURSOR_PATTERN})"
CURSOR_MAX_LENGTH = V2_CURSOR_MAX_LENGTH
EXAMPLE_CURSOR = "2.128.Vq3kM0xPa1E"

Cursor = Annotated[
    str,
    WithJsonSchema(
        {
            "type": "string",
            "minLength": 6,
            "maxLength": CURSOR_MAX_LENGTH,
            "pattern": CURSOR_PATTERN,
            "examples": [EXAMPLE_CURSOR],
        }
    ),
]


def fingerprint(event: ChangeEvent | None) -> str:
    """Eleven characters that tell this event from another one with the same sequence
    (the start of the feed has one of its own)."""
    if event is None:
        identity = "start"
    else:
        moment = event.occurred_at.astimezone(UTC).strftime("%Y%m%d%H%M%S%f")
        parts = [str(event.sequence), moment, event.resource_type, event.resource_id]
        identity = ":".join([*parts, event.language_code, event.action])
    digest = hashlib.sha256(identity.encode()).digest()[:8]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def encode_cursor(event: ChangeEvent | None) -> str:
    """The cursor just after `event` (None: the start of the feed)."""
    return f"2.{event.sequence if event else 0}.{fingerprint(event)}"


def decode_cursor(cursor: str) -> tuple[int, str | None]:
    """(sequence, fingerprint) of a cursor this API gave out; the fingerprint is None for
    a cursor of the first form. A 400 for anything else."""
    if re.fullmatch(V2_CURSOR_PATTERN, cursor):
        _version, sequence, mark = cursor.split(".")
        return int(sequence), mark
    if re.fullmatch(V1_CURSOR_PATTERN, cursor):
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        return int(raw.removeprefix(CURSOR_PREFIX)), None
    raise invalid_parameters(
        [
            {
                "name": "since",
                "reason": _(
                    "Not a cursor this API gave out. Pass the “next_cursor” of a previous "
                    "answer unchanged, or leave “since” out to start from the beginning."
                ),
            }
        ]
    )


def resolve_cursor(cursor: str, request=None) -> tuple[int, ChangeEvent | None]:
    """(sequence, event) a cursor stands after (None: the start of the feed), or a 410 when
    this feed does not hold it as it was given out: beyond the newest event, or its
    sequence naming another event (another epoch of the database)."""
    sequence, mark = decode_cursor(cursor)
    if mark is None:
        # The first form: the newest event up to it (sequences may have gaps).
        event = ChangeEvent.objects.filter(sequence__lte=sequence).order_by("-sequence").first()
        if sequence and not ChangeEvent.objects.filter(sequence__gte=sequence).exists():
            raise cursor_not_known(feed_head(request))
        return sequence, event
    event = ChangeEvent.objects.filter(sequence=sequence).first() if sequence else None
    if (sequence and event is None) or fingerprint(event) != mark:
        raise cursor_not_known(feed_head(request))
    return sequence, event


@router.get(
    "/changes",
    response={200: ChangeList, 304: None, 400: Problem, 410: Problem, 404: Problem},
    url_name="changes",
    operation_id="listChanges",
    summary="Changes since a cursor",
    description="Events in the order they happened. Replaying them from the start, with "
    "`published` as fetch-and-store and the tombstones (`unpublished`, `deleted`) as "
    "remove, gives exactly what is published now. Start without `since`; then pass the "
    "`next_cursor` of the last answer. A resource may appear more than once. A cursor "
    "naming a change this feed does not hold as it was (beyond the newest change, or the "
    "database was restored from an older backup and has numbered other changes the same, "
    "or the cursor is another site's) is a 410: sync again in full.",
)
@strict_query("since", "limit", "region")
def list_changes(
    request,
    since: Annotated[
        Cursor | None,
        Query(description="The `next_cursor` of a previous answer (opaque: pass it unchanged)."),
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=MAX_FEED_LIMIT, description=f"At most {MAX_FEED_LIMIT}.")
    ] = DEFAULT_FEED_LIMIT,
    region: RegionKeys = None,
):

    def build():
        after, start = resolve_cursor(since, request) if since is not None else (0, None)
        events = list(
            region_events(request).filter(sequence__gt=after).order_by("sequence")[: limit + 1]
        )
        has_more = len(events) > limit
        events = events[:limit]
        return {
            "items": [feed_item(event, request.build_absolute_uri) for event in events],
            "next_cursor": encode_cursor(events[-1] if events else start),
            "has_more": has_more,
        }

    # The feed is written in the transactions that move the content version on: kept
    # under it. A cursor this feed does not hold raises, and is not kept.
    return kept_answer("changes", Reader(request).asked(since, limit), ChangeList, build)


@router.get(
    "/changes/head",
    response={200: ChangeHead, 304: None, 400: Problem, 404: Problem},
    url_name="changes_head",
    operation_id="getChangesHead",
    summary="The newest cursor",
    description="The cursor of the newest change. Take it before a full sync; afterwards "
    "follow the feed from it (`since`): the changes made during the sync come again, which "
    "replaying allows. No need to replay the whole history.",
)
@strict_query("region")
def changes_head(request, region: RegionKeys = None):
    newest = feed_head(request)
    return {
        "cursor": encode_cursor(newest),
        "occurred_at": newest.occurred_at if newest else None,
    }


def region_events(request=None):
    """The events of the regions the request reads (`?region=`, else its host's); every
    event without a request, or in an install without regions. The default region's feed
    also holds the events of resources in no region."""
    events = ChangeEvent.objects.all()
    chosen = requested_regions(request) if request is not None else []
    if not chosen:
        return events
    mine = Q(site_id__in=[region.site_id for region in chosen])
    if any(region.is_default for region in chosen):
        mine |= Q(site_id__isnull=True)
    return events.filter(mine)


def feed_head(request=None) -> ChangeEvent | None:
    """The newest event (of the request's region); None before the first."""
    return region_events(request).order_by("-sequence").first()


def cursor_not_known(head: ChangeEvent | None) -> ProblemAnswer:
    return ProblemAnswer(
        410,
        "cursor-not-known",
        _("Cursor not known"),
        _(
            "This feed does not hold this cursor's change: the site may have been restored "
            "from an older backup, or the cursor comes from another site. Changes may have been "
            "lost to your mirror: sync again in full, taking the cursor of "
            "/api/v1/changes/head first."
        ),
        head_cursor=encode_cursor(head),
    )


def feed_item(event: ChangeEvent, absolute: Callable[[str], str]) -> dict:
    """One event as the feed (and the webhooks, `webhooks.delivery`) give it; `absolute`
    makes a path an address on the site's host."""
    if event.resource_type == ResourceType.PAGE:
        path = reverse("api-v1:page_detail", args=[int(event.resource_id)])
        resource_id = int(event.resource_id)
    elif event.resource_type == ResourceType.VACANCY:
        path = reverse("api-v1:vacancy_detail", args=[event.resource_id])
        path += f"?lang={event.language_code}"
        resource_id = event.resource_id
    else:
        path = reverse("api-v1:entry_detail", args=[event.resource_id])
        path += f"?lang={event.language_code}"
        resource_id = event.resource_id
    return {
        "resource_type": event.resource_type,
        "id": resource_id,
        "action": event.action,
        "lang": event.language_code,
        "translation_key": event.translation_key,
        "occurred_at": event.occurred_at,
        "api_url": absolute(path),
    }
