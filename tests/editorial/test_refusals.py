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


@pytest.mark.parametrize(
    "view, wording",
    [
        ("wagtailadmin_pages:delete", "kan bare slettes av:"),
        ("wagtailadmin_pages:move", "kan bare flyttes av:"),
        ("wagtailadmin_pages:unpublish", "kan bare avpubliseres av:"),
        ("wagtailadmin_pages:add_subpage", "Sider under «Rana» kan bare legges til av:"),
    ],
)
def test_every_page_action_refused_names_who_can_take_it(region, view, wording):
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(region.users["editor_luroy"])
    response = client.get(reverse(view, args=[region.rana.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_home")
    (message,) = messages_after(response)
    assert wording in message
    assert "Regional koordinator" in message and "Redaktører Lurøy" not in message
    # Nothing was done.
    region.rana.refresh_from_db()
    assert region.rana.live


def test_the_actions_a_user_may_take_open_as_before(region):
    officer, coordinator = Client(), Client()
    officer.force_login(region.users["editor_luroy"])
    coordinator.force_login(region.users["coordinator"])
    add = reverse("wagtailadmin_pages:add_subpage", args=[region.luroy.pk])
    opened = officer.get(add, follow=True)  # straight to the form: one page type fits
    assert opened.status_code == 200 and opened.redirect_chain[-1][0] != reverse(
        "wagtailadmin_home"
    )
    for view in ("wagtailadmin_pages:delete", "wagtailadmin_pages:move"):
        assert coordinator.get(reverse(view, args=[region.article.pk])).status_code == 200, view


@pytest.mark.parametrize(
    "view",
    ["wagtailadmin_pages:delete", "wagtailadmin_pages:move", "wagtailadmin_pages:copy"],
)
def test_a_translator_is_told_that_translators_translate_and_who_does_it(region, view):
    page = region.en_rana
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(region.users["translator"])
    response = client.get(reverse(view, args=[page.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_home")
    (message,) = messages_after(response)
    assert message.startswith("Oversettere oversetter sidene; dette gjør andre.")
    assert "Regional koordinator" in message
    assert "Oversettere" not in message.split(".", 1)[1]  # the translators' group is not named
