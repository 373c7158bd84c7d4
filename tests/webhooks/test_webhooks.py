"""Partners' webhooks are told of every change in the feed, in order, signed, and again
until they take it (webhooks.delivery), over HTTP to an endpoint on loopback; the
coordinator registers them in the admin (Settings → Webhooks) and reads the secret there,
the municipalities' editors do not see them. One module: the shared region is built once."""

import json
import socket
from datetime import timedelta
from io import StringIO
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from wagtail.models import Site

import pytest
from hypothesis import given
from hypothesis import strategies as st

from region_pages.api.changes import encode_cursor
from region_pages.models import ChangeEvent
from webhooks import delivery, signing
from webhooks.models import Webhook, validate_address

from ..conftest import publish

pytestmark = pytest.mark.django_db


def head() -> int:
    return ChangeEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()


def cursor_after(sequence: int) -> str:
    return encode_cursor(ChangeEvent.objects.filter(sequence=sequence).first())


def change(page, text):
    page.intro = text
    return publish(page)


def test_a_new_webhook_is_told_what_changes_after_it_signed_and_shaped_like_the_feed(
    region, receiver
):
    hook = Webhook.objects.create(name="Visit Helgeland", url=receiver.url)
    before = hook.delivered_through
    assert before == head()  # not the history: a partner syncs in full first
    assert delivery.deliver_due() == 0
    assert receiver.deliveries == []

    change(region.rana, "Nytt om Rana.")
    assert delivery.deliver_due() == 1
    [(headers, body)] = receiver.deliveries
    assert signing.verify(hook.secret, headers, body)
    assert not signing.verify(signing.new_secret(), headers, body)
    assert headers["content-type"] == "application/json"
    assert headers["user-agent"].startswith("Ranaregionen-Webhooks/")
    sent = json.loads(body)
    feed = Client().get(f"/api/v1/changes?since={cursor_after(before)}").json()
    assert sent["type"] == "changes"
    assert sent["since"] == cursor_after(before)
    assert sent["next_cursor"] == feed["next_cursor"] == cursor_after(head())
    assert sent["has_more"] is False
    for told, listed in zip(sent["items"], feed["items"], strict=True):
        # The same events; the webhook's addresses are on the site's public host.
        assert {k: v for k, v in told.items() if k != "api_url"} == {
            k: v for k, v in listed.items() if k != "api_url"
        }
        assert told["api_url"].endswith(listed["api_url"].removeprefix("http://testserver"))
    assert {(i["resource_type"], i["id"]) for i in sent["items"]} >= {("page", region.rana.pk)}
    hook.refresh_from_db()
    assert (hook.delivered_through, hook.failures, hook.last_result) == (head(), 0, "OK")
    assert delivery.deliver_due() == 0  # told once


def test_a_partner_that_fails_is_asked_again_later_with_the_same_message(region, receiver):
    hook = Webhook.objects.create(name="Partner", url=receiver.url)
    change(region.rana, "Endret.")
    receiver.statuses = [500, 503]
    now = timezone.now()
    assert delivery.deliver_due(now) == 0
    hook.refresh_from_db()
    assert (hook.failures, hook.last_result) == (1, "HTTP 500")
    assert hook.next_attempt_at == now + timedelta(seconds=30)
    assert delivery.deliver_due(now + timedelta(seconds=29)) == 0  # not its turn yet
    assert len(receiver.deliveries) == 1
    assert delivery.deliver_due(now + timedelta(seconds=30)) == 0
    hook.refresh_from_db()
    assert (hook.failures, hook.next_attempt_at) == (2, now + timedelta(seconds=90))
    assert delivery.deliver_due(now + timedelta(seconds=90)) == 1
    ids = [headers["webhook-id"] for headers, _body in receiver.deliveries]
    assert len(ids) == 3 and len(set(ids)) == 1  # one message, tried three times
    bodies = {body for _headers, body in receiver.deliveries}
    assert len(bodies) == 1
    hook.refresh_from_db()
    assert (hook.failures, hook.next_attempt_at, hook.delivered_through) == (0, None, head())


def test_many_changes_are_told_in_order_in_several_messages(region, receiver, monkeypatch):
    monkeypatch.setattr(delivery, "BATCH", 2)
    hook = Webhook.objects.create(name="Partner", url=receiver.url)
    start = hook.delivered_through
    for number in range(3):
        change(region.rana, f"Endring {number}.")
    # (Sequence numbers may have gaps on PostgreSQL: count the events.)
    events = ChangeEvent.objects.filter(sequence__gt=start).count()
    assert events >= 3
    assert delivery.deliver_due() == -(-events // 2)  # two events a message
    messages = [json.loads(body) for _headers, body in receiver.deliveries]
    told = [item for message in messages for item in message["items"]]
    assert len(told) == events  # every event once
    # Each message starts where the one before ended; only the last says there is no more.
    for before, after in pairwise(messages):
        assert after["since"] == before["next_cursor"]
        assert before["has_more"] is True
    assert messages[-1]["has_more"] is False
    assert messages[-1]["next_cursor"] == cursor_after(head())


@pytest.mark.parametrize("status", [302, 404, 410])
def test_a_redirect_or_a_refusal_is_a_failure(region, receiver, status):
    hook = Webhook.objects.create(name="Partner", url=receiver.url)
    change(region.rana, "Endret.")
    receiver.statuses = [status]
    assert delivery.deliver_due() == 0
    hook.refresh_from_db()
    assert (hook.failures, hook.last_result, hook.delivered_through < head()) == (
        1,
        f"HTTP {status}",
        True,
    )


def test_a_partner_away_for_a_day_is_turned_off_and_says_why(region, monkeypatch):
    monkeypatch.setattr(delivery, "MAX_FAILURES", 3)
    # Nothing listens on the port: every attempt is refused at once.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    hook = Webhook.objects.create(name="Partner", url=f"http://127.0.0.1:{port}/hook")
    change(region.rana, "Endret.")
    now = timezone.now()
    for attempt in range(3):
        delivery.deliver_due(now + timedelta(days=attempt))
    hook.refresh_from_db()
    assert hook.is_active is False
    assert hook.failures == 3
    assert "Connection" in hook.last_result or "refused" in hook.last_result.lower()
    assert delivery.deliver_due(now + timedelta(days=9)) == 0  # off: not asked again


@given(st.integers(min_value=1, max_value=200))
def test_the_wait_grows_and_is_capped(failures):
    wait = delivery.retry_after(failures)
    assert timedelta(seconds=30) <= wait <= timedelta(hours=6)
    assert delivery.retry_after(failures + 1) >= wait


def test_the_command_delivers_once(region, receiver):
    Webhook.objects.create(name="Partner", url=receiver.url)
    change(region.rana, "Endret.")
    output = StringIO()
    call_command("deliver_webhooks", stdout=output)
    assert output.getvalue().strip() == "Delivered 1 message(s)."
    assert len(receiver.deliveries) == 1


# ---- the admin ------------------------------------------------------------------------


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_coordinator_adds_a_webhook_and_reads_its_secret(region):
    client = logged_in(region.users["coordinator"])
    add = client.get(reverse("webhooks:add"))
    assert add.status_code == 200
    assert "Adresse" in add.content.decode()  # the admin speaks Norwegian to the coordinator
    answer = client.post(
        reverse("webhooks:add"),
        {"name": "Visit Helgeland", "url": "https://partner.example/hooks", "is_active": "on"},
    )
    assert answer.status_code == 302
    hook = Webhook.objects.get(name="Visit Helgeland")
    assert hook.secret.startswith("whsec_")
    edit = client.get(reverse("webhooks:edit", args=[hook.pk])).content.decode()
    assert hook.secret in edit
    listing = client.get(reverse("webhooks:index")).content.decode()
    assert "https://partner.example/hooks" in listing


def test_an_address_in_the_clear_is_refused_where_https_is_required(region, settings):
    settings.WEBHOOKS_ALLOW_HTTP = False
    client = logged_in(region.users["coordinator"])
    answer = client.post(
        reverse("webhooks:add"), {"name": "Partner", "url": "http://partner.example/hooks"}
    )
    assert answer.status_code == 200
    assert "Oppgi en https://-adresse" in answer.content.decode()
    assert not Webhook.objects.exists()
    with translation.override("en"), pytest.raises(ValidationError, match="https://"):
        validate_address("ftp://partner.example/")


@pytest.mark.parametrize("role", ["editor_rana", "translator"])
def test_editors_and_translators_neither_see_nor_change_webhooks(region, role):
    client = logged_in(region.users[role])
    assert client.get(reverse("webhooks:index")).status_code in {302, 403}
    answer = client.post(
        reverse("webhooks:add"), {"name": "Partner", "url": "https://partner.example/hooks"}
    )
    assert answer.status_code in {302, 403}
    assert not Webhook.objects.exists()


def test_a_regions_coordinator_keeps_the_webhooks_of_their_region_only(region):
    rana_site = Site.objects.get(is_default_site=True)
    mosjoen_site = Site.objects.get(hostname="mosjoen.localhost")
    theirs = Webhook.objects.create(
        name="Rana partner", url="https://rana.example/", site=rana_site
    )
    client = logged_in(region.users["coordinator_mosjoen"])
    listing = client.get(reverse("webhooks:index"), follow=True)
    assert listing.status_code == 200 and "rana.example" not in listing.content.decode()
    assert client.get(reverse("webhooks:edit", args=[theirs.pk]), follow=True).status_code == 404
    # A webhook for another region is refused; without a choice, it is their own region's.
    refused = client.post(
        reverse("webhooks:add"),
        {"name": "Sneaky", "url": "https://sneaky.example/", "site": str(rana_site.pk)},
        follow=True,
    )
    assert refused.redirect_chain == [] and refused.status_code == 200
    assert not Webhook.objects.filter(name="Sneaky").exists()
    client.post(
        reverse("webhooks:add"), {"name": "Vefsn partner", "url": "https://v.example/"}, follow=True
    )
    hook = Webhook.objects.get(name="Vefsn partner")
    assert hook.site == mosjoen_site

    # Told of the second region's changes only, with addresses on its own host.
    hook.delivered_through = 0
    hook.save()
    body, _last = delivery.message(hook)
    items = json.loads(body)["items"]
    assert items and all(i["api_url"].startswith("http://mosjoen.localhost/") for i in items)
    pages = {i["id"] for i in items if i["resource_type"] == "page"}
    assert region.vefsn.pk in pages and region.luroy.pk not in pages
