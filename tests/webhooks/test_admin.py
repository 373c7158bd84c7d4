"""The coordinator registers a partner's webhook in the admin (Settings → Webhooks) and
reads its secret there; the municipalities' editors do not see it."""

from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

import pytest

from webhooks.models import Webhook, validate_address

pytestmark = pytest.mark.django_db


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
