"""Delivering the change feed to the partners' webhooks (`manage.py deliver_webhooks`).

For each active webhook whose turn it is, the events after `delivered_through` are posted
in order, at most `BATCH` a message, as JSON shaped like `GET /api/v1/changes` (its
`items`, `next_cursor` and `has_more`, with `since`, and the names of the `events` in it,
`page.published` and so on), signed (`webhooks.signing`). A 2xx
moves the webhook on; anything else (another status, a redirect, a timeout, a refused
connection, a host whose address is not public: `region_pages.outbound`) is a failed
attempt: the same message is tried again after 30 s, 1, 2, 4 … minutes up to 6 hours;
after `MAX_FAILURES` in a row (a little over a day), or at once when the partner refuses
it (a 4xx but 408 and 429), the webhook is turned off, says why and tells the region's
coordinators (`webhooks.notices`). A partner that was away catches up in order, or syncs
from the feed with the `since` of the message it missed.

Delivery is at least once: a message whose answer was lost is sent again with the same
`webhook-id`. Several deliverers may run: each webhook is locked while it is served
(PostgreSQL; SQLite has one writer anyway).
"""

import json
import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from http.client import HTTPException
from typing import NamedTuple
from urllib.error import HTTPError, URLError
from urllib.request import HTTPRedirectHandler, Request

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ninja.responses import NinjaJSONEncoder

from observability import metrics
from region_pages import outbound
from region_pages.api.changes import encode_cursor, feed_item
from region_pages.api.schemas import ChangeList
from region_pages.models import ChangeEvent

from . import notices, signing
from .models import Delivery, Webhook

logger = logging.getLogger(__name__)

BATCH = 100
# Messages a webhook is sent in one round at most, so one busy partner cannot hold up the rest.
ROUNDS = 10
FIRST_RETRY_SECONDS = 30
LONGEST_RETRY_SECONDS = 6 * 3600
MAX_FAILURES = 12
USER_AGENT = "Ranaregionen-Webhooks/1"


def refused(status: int | None) -> bool:
    """The partner refused the message: the same message would be refused again (a 4xx
    but 408 Request Timeout and 429 Too Many Requests, which ask to try later)."""
    return status is not None and 400 <= status < 500 and status not in (408, 429)


def retry_after(failures: int) -> timedelta:
    return timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** (failures - 1), LONGEST_RETRY_SECONDS))


class _NoRedirects(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _region_events(webhook: Webhook):
    """The events of the webhook's region (the default site's region also has those of
    resources in no region)."""
    mine = Q(site_id=webhook.site_id)
    if webhook.site.is_default_site:
        mine |= Q(site_id__isnull=True)
    return ChangeEvent.objects.filter(mine)


class Message(NamedTuple):
    body: bytes
    first: int  # the sequence of its first event
    last: int  # and of its last, which the webhook is told up to once it is taken


def message(webhook: Webhook) -> tuple[bytes, int] | None:
    """The next message for `webhook` and the sequence it tells up to, or None."""
    found = next_message(webhook)
    return None if found is None else (found.body, found.last)


def next_message(webhook: Webhook) -> Message | None:
    """The next message for `webhook`, or None when it has been told everything."""
    events = list(
        _region_events(webhook)
        .filter(webhook.wanted(), sequence__gt=webhook.delivered_through)
        .order_by("sequence")[: BATCH + 1]
    )
    if not events:
        return None
    has_more = len(events) > BATCH
    events = events[:BATCH]
    last = events[-1].sequence
    told = ChangeEvent.objects.filter(sequence=webhook.delivered_through).first()
    payload = ChangeList.model_validate(
        {
            # Addresses on the region's own host, which answers for the region.
            "items": [
                feed_item(event, lambda path: webhook.site.root_url + path) for event in events
            ],
            "next_cursor": encode_cursor(events[-1]),
            "has_more": has_more,
        }
    ).model_dump()
    names = sorted({f"{event.resource_type}.{event.action}" for event in events})
    payload = {"type": "changes", "events": names, "since": encode_cursor(told), **payload}
    # Encoded as the API encodes its answers, so a value reads the same in both.
    body = json.dumps(payload, cls=NinjaJSONEncoder, ensure_ascii=False).encode()
    return Message(body, events[0].sequence, last)


@dataclass(frozen=True)
class Attempt:
    """What came of one POST: the partner's status (None without an answer), what went
    wrong (None when the partner took the message) and how long it took."""

    status: int | None
    problem: str | None
    duration_ms: int


def message_id(webhook: Webhook, last: int) -> str:
    """The message's `webhook-id`: the same for every attempt at it."""
    return f"msg_{webhook.pk}_{last}"


def post(webhook: Webhook, body: bytes, last: int) -> Attempt:
    """Send one message, timed."""
    started = time.monotonic()
    status, problem = _send(webhook, body, last)
    return Attempt(status, problem, round((time.monotonic() - started) * 1000))


def _send(webhook: Webhook, body: bytes, last: int) -> tuple[int | None, str | None]:
    """Send one message: the partner's status, if it answered, and what went wrong (None
    when it took the message)."""
    now = timezone.now()
    timestamp = int(now.timestamp())
    request = Request(  # noqa: S310 - the address is validated as https (or http where allowed)
        webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            **signing.headers(
                webhook.signing_secrets(now), message_id(webhook, last), timestamp, body
            ),
        },
    )
    try:
        # Only to the host's checked addresses (region_pages.outbound), never redirected.
        opener = outbound.opener_for(
            webhook.url, _NoRedirects, allow_private=settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES
        )
        with opener.open(request, timeout=settings.WEBHOOKS_TIMEOUT) as answer:
            answer.read(1024)
            status = answer.status
    except outbound.Refused as refused:
        return None, str(refused)[:200]
    except HTTPError as error:
        return error.code, f"HTTP {error.code}"
    except (URLError, OSError, HTTPException) as error:
        # HTTPException: an answer that is not HTTP (BadStatusLine, a header line too long).
        reason = getattr(error, "reason", error)
        return None, f"{type(reason).__name__}: {reason}"[:200]
    return status, None if 200 <= status < 300 else f"HTTP {status}"


def _logged(webhook: Webhook, found: Message, attempt: Attempt, now) -> Delivery:
    return Delivery(
        webhook=webhook,
        message_id=message_id(webhook, found.last),
        first_sequence=found.first,
        last_sequence=found.last,
        attempted_at=now,
        status_code=attempt.status,
        error=attempt.problem or "",
        duration_ms=attempt.duration_ms,
        success=attempt.problem is None,
    )


def record(webhook: Webhook, attempts: list[Delivery]) -> None:
    """Log the attempts, and forget all but the webhook's newest `Delivery.KEEP`, at once
    (the log never holds more, and never loses an attempt it was given)."""
    if not attempts:
        return
    with transaction.atomic():
        Delivery.objects.bulk_create(attempts)
        newest = Delivery.objects.filter(webhook=webhook).order_by("-pk")
        oldest_kept = newest.values_list("pk", flat=True)[Delivery.KEEP - 1 : Delivery.KEEP]
        if oldest_kept:
            Delivery.objects.filter(webhook=webhook, pk__lt=oldest_kept[0]).delete()


def turn_off(webhook: Webhook, status: int | None, problem: str) -> None:
    """Turn the webhook off (saved by the caller) and tell the coordinators why."""
    webhook.is_active = False
    logger.warning(
        "webhook %s turned off (%d failed in a row): %s", webhook.pk, webhook.failures, problem
    )
    if refused(status):
        notices.turned_off(
            webhook,
            lambda: _("the partner refused the message (HTTP %(status)s)") % {"status": status},
        )
    else:
        count = webhook.failures
        notices.turned_off(
            webhook,
            lambda: (
                _("%(count)s deliveries in a row failed, the last with: %(problem)s")
                % {"count": count, "problem": problem}
            ),
        )


def serve(webhook: Webhook, now) -> int:
    """Deliver what `webhook` is owed; the number of messages it took. Every attempt is
    logged (`Delivery`)."""
    delivered = 0
    attempts = []
    for _round in range(ROUNDS):
        found = next_message(webhook)
        if found is None:
            break
        attempt = post(webhook, found.body, found.last)
        attempts.append(_logged(webhook, found, attempt, now))
        problem = attempt.problem
        metrics.WEBHOOK_DELIVERIES.labels(outcome="failed" if problem else "ok").inc()
        webhook.last_attempt_at = now
        if problem is None:
            webhook.delivered_through = found.last
            webhook.failures = 0
            webhook.next_attempt_at = None
            webhook.last_result = "OK"
            webhook.last_success_at = now
            webhook.save()
            delivered += 1
            continue
        webhook.failures += 1
        webhook.last_result = problem
        webhook.next_attempt_at = now + retry_after(webhook.failures)
        if refused(attempt.status) or webhook.failures >= MAX_FAILURES:
            turn_off(webhook, attempt.status, problem)
        else:
            logger.info("webhook %s: attempt %d failed: %s", webhook.pk, webhook.failures, problem)
        webhook.save()
        break
    record(webhook, attempts)
    return delivered


def deliver_due(now=None) -> int:
    """One pass over the webhooks whose turn it is; the number of messages delivered."""
    now = now or timezone.now()
    due = Webhook.objects.filter(is_active=True).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    delivered = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            webhook = (
                Webhook.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, is_active=True)
                .first()
            )
            if webhook is not None:
                delivered += serve(webhook, now)
    return delivered
