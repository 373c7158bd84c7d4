"""The change feed: what was published, changed, unpublished or deleted since a cursor."""

import base64
import binascii
from typing import Annotated

from django.urls import reverse
from django.utils.translation import gettext as _

from ninja import Query, Router

from ..models import ChangeEvent, ResourceType
from .params import strict_query
from .problems import invalid_parameters
from .schemas import ChangeList, Problem

router = Router(tags=["changes"])

DEFAULT_FEED_LIMIT = 100
MAX_FEED_LIMIT = 1000
CURSOR_PREFIX = "v1:"


def encode_cursor(sequence: int) -> str:
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{sequence}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        if not raw.startswith(CURSOR_PREFIX):
            raise ValueError(raw)
        sequence = int(raw.removeprefix(CURSOR_PREFIX))
        if sequence < 0 or str(sequence) != raw.removeprefix(CURSOR_PREFIX):
            raise ValueError(raw)
        return sequence
    except (binascii.Error, UnicodeDecodeError, ValueError):
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
        ) from None


@router.get(
    "/changes",
    response={200: ChangeList, 304: None, 400: Problem},
    url_name="changes",
    summary="Changes since a cursor",
    description="Events in the order they happened. Replaying them from the start, with "
    "`published` as fetch-and-store and the tombstones (`unpublished`, `deleted`) as "
    "remove, gives exactly what is published now. Start without `since`; then pass the "
    "`next_cursor` of the last answer. A resource may appear more than once.",
)
@strict_query("since", "limit")
def list_changes(
    request,
    since: Annotated[
        str | None,
        Query(max_length=200, description="The `next_cursor` of a previous answer."),
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=MAX_FEED_LIMIT, description=f"At most {MAX_FEED_LIMIT}.")
    ] = DEFAULT_FEED_LIMIT,
):
    after = decode_cursor(since) if since is not None else 0
    events = list(ChangeEvent.objects.filter(sequence__gt=after).order_by("sequence")[: limit + 1])
    has_more = len(events) > limit
    events = events[:limit]
    last = events[-1].sequence if events else after
    return {
        "items": [_item(request, event) for event in events],
        "next_cursor": encode_cursor(last),
        "has_more": has_more,
    }


def _item(request, event: ChangeEvent) -> dict:
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
        "api_url": request.build_absolute_uri(path),
    }
