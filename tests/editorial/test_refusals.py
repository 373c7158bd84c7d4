"""A refusal says who can: an officer who opens another municipality's page is told, in
Norwegian, which groups can change it."""

from django.test import Client
from django.urls import reverse

import pytest

from editorial.refusals import who_can

pytestmark = pytest.mark.django_db


def messages_after(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_another_municipalitys_page_names_who_can_change_it(region):
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(region.users["editor_luroy"])
    response = client.get(reverse("wagtailadmin_pages:edit", args=[region.rana.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_home")
    (message,) = messages_after(response)
    assert message.startswith(f"«{region.rana.title}» kan bare endres av:")
    assert "Redaktører Rana" in message
    assert "Regional koordinator" in message
    assert "Redaktører Lurøy" not in message
    assert "Be en av dem" in message


def test_the_own_page_opens_as_before(region):
    client = Client()
    client.force_login(region.users["editor_rana"])
    response = client.get(reverse("wagtailadmin_pages:edit", args=[region.rana.pk]))
    assert response.status_code == 200


def test_who_can_reads_the_grants_on_the_page_and_its_ancestors(region):
    assert {"Redaktører Rana", "Regional koordinator"} <= set(who_can(region.rana))
    assert "Redaktører Rana" not in who_can(region.luroy)
