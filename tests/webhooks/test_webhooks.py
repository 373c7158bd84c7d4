"""Partners' webhooks are told of every change in the feed, in order, signed, and again
until they take it (webhooks.delivery), over HTTP to an endpoint on loopback; the
coordinator registers them in the admin (Settings → Webhooks) and reads the secret there,
the municipalities' editors do not see them. One module: the shared region is built once."""

import json
import re
import socket
import threading
from datetime import timedelta
from io import StringIO
from itertools import pairwise

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from wagtail.models import Site

import pytest
from hypothesis import given
from hypothesis import strategies as st
from standardwebhooks.webhooks import Webhook as StandardWebhook
from standardwebhooks.webhooks import WebhookVerificationError

from region_pages import outbound
from region_pages.api.changes import encode_cursor
from region_pages.models import ChangeEvent
from tests import factories
from webhooks import delivery, signing
from webhooks.models import Delivery, Webhook, validate_address

from ..conftest import publish

pytestmark = pytest.mark.django_db


def head() -> int:
    return ChangeEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()


def first_after(sequence: int) -> int:
    return ChangeEvent.objects.filter(sequence__gt=sequence).order_by("sequence")[0].sequence


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


def test_the_reference_library_of_standard_webhooks_verifies_every_message(region, receiver):
    hook = Webhook.objects.create(name="Partner", url=receiver.url)
    change(region.rana, "Nytt om Rana.")
    change(region.luroy, "Nytt om Lurøy.")
    delivery.deliver_due()
    assert receiver.deliveries
    for headers, body in receiver.deliveries:
        assert StandardWebhook(hook.secret).verify(body, headers)["type"] == "changes"
        with pytest.raises(WebhookVerificationError):
            StandardWebhook(signing.new_secret()).verify(body, headers)
        with pytest.raises(WebhookVerificationError):
            StandardWebhook(hook.secret).verify(body + b" ", headers)


def test_a_publish_rolled_back_is_never_sent(region, receiver):
    hook = Webhook.objects.create(name="Partner", url=receiver.url)
    with pytest.raises(RuntimeError), transaction.atomic():
        change(region.rana, "Aldri publisert.")
        raise RuntimeError("the publish fails after the feed was written")
    assert delivery.deliver_due() == 0 and receiver.deliveries == []
    hook.refresh_from_db()
    assert hook.delivered_through == head()


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


@pytest.mark.parametrize("status", [302, 408, 429, 503])
def test_a_redirect_or_a_busy_partner_is_asked_again_later(region, receiver, status):
    hook = Webhook.objects.create(name="Partner", url=receiver.url)
    change(region.rana, "Endret.")
    receiver.statuses = [status]
    now = timezone.now()
    assert delivery.deliver_due(now) == 0
    hook.refresh_from_db()
    assert (hook.failures, hook.last_result, hook.delivered_through < head()) == (
        1,
        f"HTTP {status}",
        True,
    )
    assert hook.is_active and hook.next_attempt_at == now + timedelta(seconds=30)


@pytest.mark.parametrize("status", [400, 404, 410])
def test_a_refusal_turns_the_webhook_off_at_once_and_tells_the_coordinators(
    region, receiver, status, mailoutbox, django_capture_on_commit_callbacks
):
    hook = Webhook.objects.create(name="Visit Helgeland", url=receiver.url)
    change(region.rana, "Endret.")
    receiver.statuses = [status]
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.deliver_due() == 0
    hook.refresh_from_db()
    assert (hook.is_active, hook.failures, hook.last_result) == (False, 1, f"HTTP {status}")
    assert hook.delivered_through < head()  # nothing lost: told again once turned on
    assert delivery.deliver_due(timezone.now() + timedelta(days=2)) == 0
    assert len(receiver.deliveries) == 1  # refused: not tried again
    [mail] = mailoutbox
    assert mail.to == [region.users["coordinator"].email]
    # In the coordinator's language (Norwegian), saying why and where to turn it on again.
    assert mail.subject == "Webhooken til Visit Helgeland er slått av"
    assert f"partneren avviste meldingen (HTTP {status})" in mail.body
    assert reverse("webhooks:inspect", args=[hook.pk]) in mail.body

    Webhook.objects.filter(pk=hook.pk).update(is_active=True)  # the coordinator turns it on
    assert delivery.deliver_due(timezone.now() + timedelta(days=2)) == 1
    hook.refresh_from_db()
    assert (hook.delivered_through, hook.failures) == (head(), 0)


def test_a_webhook_is_told_only_of_the_events_and_language_it_asked_for(region, receiver):
    hook = Webhook.objects.create(
        name="Partner", url=receiver.url, events=["page.published"], language_code="en"
    )
    start = hook.delivered_through
    change(region.rana, "Endret.")  # Norwegian: not for this partner
    assert delivery.deliver_due() == 0 and receiver.deliveries == []
    english = region.en_rana
    english.intro = "Changed."
    publish(english)
    assert delivery.deliver_due() == 1
    [(_headers, body)] = receiver.deliveries
    sent = json.loads(body)
    assert sent["events"] == ["page.published"]
    assert [(i["resource_type"], i["id"], i["lang"]) for i in sent["items"]] == [
        ("page", english.pk, "en")
    ]
    assert sent["since"] == cursor_after(start)
    assert delivery.deliver_due() == 0


def test_a_message_names_the_events_in_it(region, receiver):
    Webhook.objects.create(name="Partner", url=receiver.url)
    rana = region.rana
    rana.body = [*rana.body.raw_data, factories.leisure(name="Svartisen")]
    publish(rana)
    delivery.deliver_due()
    [(_headers, body)] = receiver.deliveries
    sent = json.loads(body)
    named = sorted({f"{i['resource_type']}.{i['action']}" for i in sent["items"]})
    assert sent["events"] == named and {"page.published", "entry.published"} <= set(named)


def test_a_partner_away_for_a_day_is_turned_off_and_says_why(
    region, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(delivery, "MAX_FAILURES", 3)
    # Nothing listens on the port: every attempt is refused at once.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    hook = Webhook.objects.create(name="Partner", url=f"http://127.0.0.1:{port}/hook")
    change(region.rana, "Endret.")
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        for attempt in range(3):
            delivery.deliver_due(now + timedelta(days=attempt))
    hook.refresh_from_db()
    assert hook.is_active is False
    [mail] = mailoutbox  # told once, when it was turned off
    assert "3 leveranser på rad feilet" in mail.body
    assert hook.failures == 3
    assert "Connection" in hook.last_result or "refused" in hook.last_result.lower()
    assert delivery.deliver_due(now + timedelta(days=9)) == 0  # off: not asked again


def test_a_webhook_turned_on_again_in_the_admin_is_tried_at_once_from_a_fresh_start(
    region, receiver
):
    hook = Webhook.objects.create(name="Partner", url=receiver.url)
    change(region.rana, "Endret.")
    now = timezone.now()
    Webhook.objects.filter(pk=hook.pk).update(
        is_active=False, failures=delivery.MAX_FAILURES, next_attempt_at=now + timedelta(hours=6)
    )
    client = logged_in(region.users["coordinator"])
    answer = client.post(
        reverse("webhooks:edit", args=[hook.pk]),
        {"name": hook.name, "url": hook.url, "is_active": "on", "language_code": ""},
    )
    assert answer.status_code == 302
    hook.refresh_from_db()
    assert (hook.is_active, hook.failures, hook.next_attempt_at) == (True, 0, None)
    assert delivery.deliver_due(now) == 1  # not six hours later
    # One failure after that is the first of a new series, not the last of the old one.
    change(region.rana, "Endret igjen.")
    receiver.statuses = [503]
    delivery.deliver_due()
    hook.refresh_from_db()
    assert (hook.is_active, hook.failures) == (True, 1)


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
    form = add.content.decode()
    assert "Side: Publisert eller endret (page.published)" in form  # the events, to tick
    answer = client.post(
        reverse("webhooks:add"),
        {
            "name": "Visit Helgeland",
            "url": "https://partner.example/hooks",
            "is_active": "on",
            "events": ["page.published", "entry.published"],
            "language_code": "nb",
        },
    )
    assert answer.status_code == 302
    hook = Webhook.objects.get(name="Visit Helgeland")
    assert hook.secret.startswith("whsec_")
    assert (hook.events, hook.language_code) == (["page.published", "entry.published"], "nb")
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


# ---- manage.py webhooks -----------------------------------------------------------------


def webhooks_command(*args) -> str:
    output = StringIO()
    call_command("webhooks", *args, stdout=output)
    return output.getvalue()


def test_the_operator_adds_a_webhook_and_is_shown_its_secret_once(region, receiver):
    said = webhooks_command("add", "--url", receiver.url, "--name", "Visit Helgeland")
    hook = Webhook.objects.get()
    assert (hook.name, hook.url) == ("Visit Helgeland", receiver.url)
    assert hook.site == Site.objects.get(is_default_site=True)
    assert f"Added webhook {hook.pk} (Visit Helgeland) for ranaregionen." in said
    assert f"Secret: {hook.secret}" in said
    assert "Hand this secret to the partner" in said
    # A webhook like the admin's: told what changes from now on.
    assert hook.delivered_through == head()
    change(region.rana, "Endret.")
    assert delivery.deliver_due() == 1
    [(headers, body)] = receiver.deliveries
    assert signing.verify(hook.secret, headers, body)


def test_the_operator_asks_for_some_events_in_one_language(region):
    said = webhooks_command(
        "add",
        "--url",
        "https://partner.example/hooks",
        "--event",
        "page.published",
        "--event",
        "page.deleted",
        "--lang",
        "en",
    )
    hook = Webhook.objects.get()
    assert (hook.events, hook.language_code) == (["page.deleted", "page.published"], "en")
    assert f"Added webhook {hook.pk}" in said
    listed = webhooks_command("list")
    assert "page.deleted,page.published" in listed and "  en  " in listed
    with pytest.raises(CommandError, match=r"invalid choice: 'page\.moved'.*page\.published"):
        webhooks_command("add", "--url", "https://other.example/", "--event", "page.moved")
    with pytest.raises(CommandError, match="invalid choice: 'sv'"):
        webhooks_command("add", "--url", "https://other.example/", "--lang", "sv")
    assert Webhook.objects.count() == 1


def test_the_operator_adds_a_webhook_for_another_region_named_after_its_host(region):
    said = webhooks_command(
        "add", "--url", "https://partner.example/hooks", "--region", "mosjoenregionen"
    )
    hook = Webhook.objects.get()
    assert hook.site == Site.objects.get(hostname="mosjoen.localhost")
    assert hook.name == "partner.example"
    assert "for mosjoenregionen" in said


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--url", "not an address"], "--url: Enter a valid URL."),
        (["--url", "http://partner.example/"], "--url: Give an https:// address"),
        (["--url", "https://partner.example/", "--name", "x" * 101], "--name: Ensure"),
        (
            ["--url", "https://partner.example/", "--region", "nowhere"],
            "No region 'nowhere'. Give --region one of: ranaregionen, mosjoenregionen.",
        ),
    ],
)
def test_a_webhook_the_admin_would_refuse_is_refused_and_the_operator_told_why(
    region, settings, args, says
):
    settings.WEBHOOKS_ALLOW_HTTP = False
    with pytest.raises(CommandError) as refused:
        webhooks_command("add", *args)
    assert says in str(refused.value)
    if "--url" in says:
        assert "e.g. --url https://partner.example/hooks" in str(refused.value)
    assert not Webhook.objects.exists()


def test_the_list_shows_how_each_webhook_is_doing_and_never_a_secret(region):
    mosjoen = Site.objects.get(hostname="mosjoen.localhost")
    told = Webhook.objects.create(name="Visit Helgeland", url="https://a.example/")
    Webhook.objects.filter(pk=told.pk).update(last_result="HTTP 500", failures=2)
    off = Webhook.objects.create(
        name="Mosjøen partner", url="https://b.example/", site=mosjoen, is_active=False
    )
    lines = webhooks_command("list").splitlines()
    assert lines == [
        f"{told.pk}  active  ranaregionen  Visit Helgeland  https://a.example/  every event  "
        f"both languages  told up to {told.delivered_through}  failures 2  HTTP 500",
        f"{off.pk}  off  mosjoenregionen  Mosjøen partner  https://b.example/  every event  "
        f"both languages  told up to {off.delivered_through}  failures 0  not tried yet",
    ]
    assert "whsec_" not in "\n".join(lines)
    Webhook.objects.all().delete()
    assert webhooks_command("list").strip() == "No webhooks."


def test_the_operator_removes_a_webhook(region):
    hook = Webhook.objects.create(name="Partner", url="https://a.example/")
    said = webhooks_command("remove", str(hook.pk))
    assert said.strip() == f"Removed webhook {hook.pk} (Partner, https://a.example/)."
    assert not Webhook.objects.exists()
    with pytest.raises(CommandError, match=f"No webhook {hook.pk}: `manage.py webhooks list`"):
        webhooks_command("remove", str(hook.pk))


def test_a_new_secret_is_printed_once_and_the_old_one_signs_beside_it_for_a_day(region, receiver):
    hook = Webhook.objects.create(name="Partner", url=receiver.url)
    old = hook.secret
    said = webhooks_command("rotate-secret", str(hook.pk))
    hook.refresh_from_db()
    assert hook.secret != old and hook.secret.startswith("whsec_")
    assert f"Secret: {hook.secret}" in said and old not in said
    assert "signed with both" in said
    assert timedelta(hours=23) < hook.previous_secret_until - timezone.now() <= timedelta(hours=24)
    change(region.rana, "Endret.")
    delivery.deliver_due()
    # The partner that has not switched yet and the one that has both accept it.
    [(headers, body)] = receiver.deliveries
    assert StandardWebhook(old).verify(body, headers)["type"] == "changes"
    assert StandardWebhook(hook.secret).verify(body, headers)["type"] == "changes"
    assert len(headers["webhook-signature"].split()) == 2

    # The day is over: the new secret alone.
    Webhook.objects.filter(pk=hook.pk).update(previous_secret_until=timezone.now())
    change(region.rana, "Endret igjen.")
    delivery.deliver_due()
    headers, body = receiver.deliveries[-1]
    assert StandardWebhook(hook.secret).verify(body, headers)["type"] == "changes"
    with pytest.raises(WebhookVerificationError):
        StandardWebhook(old).verify(body, headers)
    with pytest.raises(CommandError, match="No webhook 0"):
        webhooks_command("rotate-secret", "0")


def test_a_leaked_secret_is_replaced_at_once(region, receiver):
    hook = Webhook.objects.create(name="Partner", url=receiver.url)
    old = hook.secret
    said = webhooks_command("rotate-secret", str(hook.pk), "--grace-hours", "0")
    assert "the old one no longer signs" in said
    change(region.rana, "Endret.")
    delivery.deliver_due()
    [(headers, body)] = receiver.deliveries
    hook.refresh_from_db()
    assert signing.verify(hook.secret, headers, body)
    assert not signing.verify(old, headers, body)
    with pytest.raises(CommandError, match="give hours from 0 to 720"):
        webhooks_command("rotate-secret", str(hook.pk), "--grace-hours", "soon")


def test_the_command_wants_an_action(region):
    with pytest.raises(CommandError, match="ACTION"):
        webhooks_command()


# ---- no deliveries into the deliverer's own network ------------------------------------------


def fake_dns(monkeypatch, answers: dict[str, list[str]]) -> list[str]:
    """Answer a look-up of a name in `answers` with its addresses (none: an unknown
    name), once: a second look-up of it fails. Other names are looked up as usual. The
    names asked, in order."""
    real = socket.getaddrinfo
    asked = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            return real(host, port, *args, **kwargs)
        asked.append(host)
        if asked.count(host) > 1:
            raise socket.gaierror(socket.EAI_NONAME, f"{host} was looked up again")
        if not answers[host]:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0))
            if ":" in address
            else (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))
            for address in answers[host]
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def test_a_webhook_on_loopback_is_refused_in_production_and_tried_again_later(
    region, receiver, settings
):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    hook = Webhook.objects.create(name="Partner", url=receiver.url)
    before = hook.delivered_through
    change(region.rana, "Endret.")
    now = timezone.now()
    assert delivery.deliver_due(now) == 0
    assert receiver.deliveries == []  # nothing was sent
    hook.refresh_from_db()
    assert hook.last_result == "Refused: 127.0.0.1 is a loopback address"
    assert (hook.failures, hook.next_attempt_at) == (1, now + timedelta(seconds=30))
    assert hook.delivered_through == before and hook.is_active
    # Where private addresses are allowed (a developer's machine), the retry is delivered.
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    assert delivery.deliver_due(now + timedelta(seconds=30)) == 1
    assert len(receiver.deliveries) == 1
    hook.refresh_from_db()
    assert (hook.failures, hook.last_result, hook.delivered_through) == (0, "OK", head())


@pytest.mark.parametrize(
    ("addresses", "refusal"),
    [
        (["10.0.0.5"], "mo.example resolves to 10.0.0.5, a private address"),
        # One public address is not enough: the name could be answered with the other.
        (["93.184.216.34", "10.0.0.5"], "mo.example resolves to 10.0.0.5, a private address"),
        (["169.254.169.254"], "mo.example resolves to 169.254.169.254, a link-local address"),
        (["::1"], "mo.example resolves to ::1, a loopback address"),
    ],
)
def test_a_name_that_points_into_a_private_network_is_refused(
    region, settings, monkeypatch, addresses, refusal
):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    fake_dns(monkeypatch, {"mo.example": addresses})
    hook = Webhook.objects.create(name="Partner", url="https://mo.example/hooks")
    change(region.rana, "Endret.")
    assert delivery.deliver_due() == 0
    hook.refresh_from_db()
    assert (hook.failures, hook.last_result) == (1, f"Refused: {refusal}")


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "a loopback address"),
        ("::ffff:127.0.0.1", "a loopback address"),
        ("fe80::1", "a link-local address"),
        ("224.0.0.1", "a multicast address"),  # which Python counts as global
        ("ff02::1", "a multicast address"),
        ("0.0.0.0", "an unspecified address"),  # noqa: S104 - an address looked at, not bound
        ("240.0.0.1", "a reserved address"),
        ("192.168.1.1", "a private address"),
        ("fd00::1", "a private address"),
        ("100.64.0.1", "not a public address"),
        ("93.184.216.34", None),
        ("2606:4700::1111", None),
    ],
)
def test_only_public_addresses_may_be_delivered_to(address, kind):
    assert outbound.not_public(address) == kind


def test_the_delivery_goes_to_the_address_that_was_checked(region, receiver, monkeypatch):
    # The name is looked up once: a second look-up (DNS rebinding) would fail here.
    asked = fake_dns(monkeypatch, {"partner.test": ["127.0.0.1"]})
    url = f"http://partner.test:{receiver.port}/hooks"
    hook = Webhook.objects.create(name="Partner", url=url)
    change(region.rana, "Endret.")
    assert delivery.deliver_due() == 1
    assert asked == ["partner.test"]
    [(headers, body)] = receiver.deliveries
    assert headers["host"] == f"partner.test:{receiver.port}"  # still named to the partner
    assert signing.verify(hook.secret, headers, body)


def test_an_unknown_host_is_a_failure(region, monkeypatch):
    fake_dns(monkeypatch, {"gone.example": []})
    hook = Webhook.objects.create(name="Partner", url="https://gone.example/hooks")
    change(region.rana, "Endret.")
    assert delivery.deliver_due() == 0
    hook.refresh_from_db()
    assert (hook.failures, hook.last_result) == (
        1,
        f"gaierror: [Errno {socket.EAI_NONAME}] Name or service not known",
    )


def test_a_partner_that_does_not_speak_http_is_a_failure(region):
    """An answer that is not HTTP is a failed attempt, tried again later, never a crash of
    the deliverer (which serves every other webhook in the same loop)."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        hook = Webhook.objects.create(
            name="Partner", url=f"http://127.0.0.1:{listener.getsockname()[1]}/hooks"
        )
        change(region.rana, "Endret.")

        def gibberish():
            connection, _address = listener.accept()
            with connection, connection.makefile("rb") as request:
                lines = iter(request.readline, b"\r\n")
                length = next(
                    int(line.split(b":")[1]) for line in lines if b"length:" in line.lower()
                )
                for _line in lines:  # the rest of the headers
                    pass
                request.read(length)  # the whole message, then an answer that is not HTTP
                connection.sendall(b"NOT HTTP AT ALL\r\n\r\n")

        answering = threading.Thread(target=gibberish)
        answering.start()
        assert delivery.deliver_due() == 0
        answering.join()
    hook.refresh_from_db()
    assert hook.failures == 1 and hook.last_result.startswith("BadStatusLine")
    assert hook.delivered_through < head()


# ---- the delivery log and sending again ---------------------------------------------------


def test_every_attempt_is_logged_with_what_came_of_it(region, receiver, settings):
    hook = Webhook.objects.create(name="Partner", url=receiver.url)
    start = hook.delivered_through
    change(region.rana, "Endret.")
    receiver.statuses = [500]
    now = timezone.now()
    delivery.deliver_due(now)
    delivery.deliver_due(now + timedelta(seconds=30))
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    change(region.rana, "Endret igjen.")
    delivery.deliver_due(now + timedelta(seconds=60))
    told = Webhook.objects.get(pk=hook.pk).delivered_through
    logged = list(hook.deliveries.order_by("pk"))
    assert [
        (d.attempted_at, d.success, d.status_code, d.error, d.first_sequence, d.last_sequence)
        for d in logged
    ] == [
        (now, False, 500, "HTTP 500", first_after(start), told),
        (now + timedelta(seconds=30), True, 204, "", first_after(start), told),
        (
            now + timedelta(seconds=60),
            False,
            None,
            "Refused: 127.0.0.1 is a loopback address",
            first_after(told),
            head(),
        ),
    ]
    # The log names each message as its webhook-id header does.
    sent_ids = [headers["webhook-id"] for headers, _body in receiver.deliveries]
    assert [d.message_id for d in logged[:2]] == sent_ids == [f"msg_{hook.pk}_{told}"] * 2
    assert logged[2].message_id == f"msg_{hook.pk}_{head()}"
    assert all(0 <= d.duration_ms < settings.WEBHOOKS_TIMEOUT * 1000 for d in logged)


def test_the_log_keeps_each_webhooks_newest_attempts_only(region, receiver, monkeypatch):
    monkeypatch.setattr(Delivery, "KEEP", 2)
    hook = Webhook.objects.create(name="Partner", url=receiver.url)
    other = Webhook.objects.create(name="Other", url=receiver.url, is_active=False)
    delivery.record(other, [delivery_row(other, 1), delivery_row(other, 2), delivery_row(other, 3)])
    change(region.rana, "Endret.")
    receiver.statuses = [500, 502, 503]
    now = timezone.now()
    for wait in (0, 30, 90, 210):
        delivery.deliver_due(now + timedelta(seconds=wait))
    assert len(receiver.deliveries) == 4
    kept = [(d.attempted_at, d.status_code) for d in hook.deliveries.all()]
    assert kept == [(now + timedelta(seconds=210), 204), (now + timedelta(seconds=90), 503)]
    # Another webhook's log is its own.
    assert [d.duration_ms for d in other.deliveries.all()] == [3, 2]


def delivery_row(webhook, number) -> Delivery:
    return Delivery(
        webhook=webhook,
        message_id=f"msg_{webhook.pk}_{number}",
        first_sequence=number,
        last_sequence=number,
        attempted_at=timezone.now(),
        status_code=204,
        duration_ms=number,
        success=True,
    )


def test_the_coordinator_reads_a_webhooks_last_deliveries_without_its_secret(region):
    hook = Webhook.objects.create(name="Partner", url="https://partner.example/hooks")
    rows = [delivery_row(hook, number) for number in range(1, 26)]
    rows[-1].status_code, rows[-1].error, rows[-1].success = 503, "HTTP 503", False
    delivery.record(hook, rows)
    client = logged_in(region.users["coordinator"])
    inspect = reverse("webhooks:inspect", args=[hook.pk])
    # The edit page leads to it.
    assert inspect in client.get(reverse("webhooks:edit", args=[hook.pk])).content.decode()
    page = client.get(inspect)
    assert page.status_code == 200
    html = page.content.decode()
    assert hook.secret not in html
    assert "HTTP 503" in html
    shown = [int(number) for number in re.findall(rf"msg_{hook.pk}_(\d+)\b", html)]
    assert shown == list(range(25, 5, -1))  # the last 20, newest first
    assert reverse("webhooks:resend", args=[hook.pk]) in html
    assert 'name="sequence"' in html


@pytest.mark.parametrize("role", ["coordinator_mosjoen", "editor_rana"])
def test_only_whoever_may_change_a_webhook_reads_its_deliveries(region, role):
    hook = Webhook.objects.create(name="Rana partner", url="https://rana.example/")
    answer = logged_in(region.users[role]).get(reverse("webhooks:inspect", args=[hook.pk]))
    assert answer.status_code in {302, 403, 404}


def test_the_coordinator_has_a_webhook_sent_again_from_an_earlier_event(region, receiver):
    hook = Webhook.objects.create(name="Partner", url=receiver.url)
    start = hook.delivered_through
    change(region.rana, "Endret.")
    change(region.luroy, "Endret også.")
    assert delivery.deliver_due() == 1
    told = Webhook.objects.get(pk=hook.pk)
    Webhook.objects.filter(pk=hook.pk).update(next_attempt_at=timezone.now() + timedelta(hours=1))
    client = logged_in(region.users["coordinator"])
    answer = client.post(
        reverse("webhooks:resend", args=[hook.pk]), {"sequence": str(start)}, follow=True
    )
    assert answer.redirect_chain == [(reverse("webhooks:inspect", args=[hook.pk]), 302)]
    assert [m.level_tag for m in answer.context["messages"]] == ["success"]
    hook.refresh_from_db()
    assert (hook.delivered_through, hook.next_attempt_at) == (start, None)
    assert delivery.deliver_due() == 1
    first, again = (json.loads(body) for _headers, body in receiver.deliveries)
    assert again["items"] == first["items"]  # the same events, told again
    hook.refresh_from_db()
    assert hook.delivered_through == told.delivered_through


@pytest.mark.parametrize("sequence", ["-1", "later", ""])
def test_sending_again_wants_an_event_the_partner_was_told_of(region, sequence):
    hook = Webhook.objects.create(name="Partner", url="https://partner.example/")
    wanted = {"later": str(hook.delivered_through + 1)}.get(sequence, sequence)
    answer = logged_in(region.users["coordinator"]).post(
        reverse("webhooks:resend", args=[hook.pk]), {"sequence": wanted}, follow=True
    )
    assert [m.level_tag for m in answer.context["messages"]] == ["error"]
    assert Webhook.objects.get(pk=hook.pk).delivered_through == hook.delivered_through


def test_sending_again_is_checked_as_editing_is(region):
    rana_site = Site.objects.get(is_default_site=True)
    hook = Webhook.objects.create(name="Rana partner", url="https://rana.example/", site=rana_site)
    resend = reverse("webhooks:resend", args=[hook.pk])
    edit = reverse("webhooks:edit", args=[hook.pk])
    # Another region's coordinator: neither edits nor resends Rana's webhook (not found).
    other = logged_in(region.users["coordinator_mosjoen"])
    refused = other.post(resend, {"sequence": "0"}, follow=True)
    assert refused.status_code == other.get(edit, follow=True).status_code == 404
    # An editor may do neither; nor may someone who may only look at webhooks.
    for client in (logged_in(region.users["editor_rana"]), logged_in(looker())):
        assert client.post(resend, {"sequence": "0"}).status_code in {302, 403}
        assert client.get(edit).status_code in {302, 403}
    # Only a POST changes anything.
    coordinator = logged_in(region.users["coordinator"])
    assert coordinator.get(resend, {"sequence": "0"}).status_code == 405
    assert Webhook.objects.get(pk=hook.pk).delivered_through == hook.delivered_through


def looker():
    """Someone in the admin who may view webhooks but not change them."""
    group = Group.objects.create(name="Webhook readers")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(content_type__app_label="webhooks", codename="view_webhook"),
    )
    user = get_user_model().objects.create_user(username="leser", password="x")
    user.groups.add(group)
    return user
