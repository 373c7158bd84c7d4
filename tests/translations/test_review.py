"""Who may review machine translations and see bulk translation jobs, over HTTP."""

from django.test import Client
from django.urls import reverse

from wagtail.models import Locale

import pytest
from bs4 import BeautifulSoup

from translations.machine import machine_translate_page
from translations.models import MachineTranslationJob, Review
from translations.status import Status, page_statuses

from .conftest import translate


def status_of(page):
    return page_statuses(page_ids=[page.pk], languages=["en"])[0]


def machine_translated(page, published=True):
    """`page` translated by DeepL; published as the pipeline does (no person), or a draft."""
    machine_translate_page(page, "en")
    english = page.get_translation(Locale.objects.get(language_code="en"))
    if published:
        english.get_latest_revision().publish()
    return english


def refused(response) -> bool:
    """The admin answers a refused permission by sending the person to the dashboard."""
    return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def review_url(english):
    return reverse("translations_mark_reviewed", args=[english.pk])


# ---- marking machine translations as reviewed ----------------------------------------------


@pytest.mark.parametrize("role", ["translator", "coordinator"])
def test_a_translator_or_the_coordinator_moves_a_page_from_machine_translated_to_in_sync(
    client, deepl, people, rana, role
):
    english = machine_translated(rana)
    assert status_of(rana).status == Status.MACHINE
    client.force_login(getattr(people, role))
    response = client.post(review_url(english))
    assert response.status_code == 302
    row = status_of(rana)
    assert (row.status, row.machine_unreviewed) == (Status.IN_SYNC, 0)
    review = Review.objects.get()
    assert review.reviewed_by == getattr(people, role)


def test_a_reviewed_draft_waits_for_publishing(client, deepl, people, rana):
    english = machine_translated(rana, published=False)
    client.force_login(people.translator)
    client.post(review_url(english))
    assert status_of(rana).status == Status.UNPUBLISHED


def test_another_municipalitys_editor_is_refused_and_nothing_changes(client, deepl, people, rana):
    english = machine_translated(rana)
    client.force_login(people.editor_nesna)
    response = client.post(review_url(english))
    assert refused(response)
    dashboard = client.get(response["Location"])
    assert [m.level_tag for m in dashboard.context["messages"]] == ["error"]
    assert not Review.objects.exists()
    assert status_of(rana).status == Status.MACHINE


def test_someone_without_admin_access_or_a_session_is_refused(client, deepl, people, rana):
    from django.contrib.auth import get_user_model

    english = machine_translated(rana)
    response = client.post(review_url(english))
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(get_user_model().objects.create_user("utenfor", password="x"))
    response = client.post(review_url(english))
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or "/login/" in response["Location"] or refused(response)
    assert not Review.objects.exists()


def test_reviewing_is_post_only_and_needs_the_csrf_token(deepl, people, rana):
    english = machine_translated(rana)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people.coordinator)
    assert browser.get(review_url(english)).status_code == 405
    assert browser.post(review_url(english)).status_code == 403  # no token
    assert not Review.objects.exists()
    # The report's button carries the token: posting its form works.
    report = browser.get(reverse("translations_status_report"))
    form = BeautifulSoup(report.content, "html.parser").select_one("form.translation-review")
    assert form["action"] == review_url(english)
    data = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
    response = browser.post(form["action"], data)
    assert response.status_code == 302
    assert Review.objects.filter(reviewed_by=people.coordinator).exists()


def test_the_report_offers_the_button_only_to_those_who_may_review(
    client, deepl, people, rana, nesna
):
    machine_translated(rana)
    translate(nesna)
    url = reverse("translations_status_report")
    client.force_login(people.translator)
    forms = BeautifulSoup(client.get(url).content, "html.parser").select("form.translation-review")
    assert len(forms) == 1
    assert forms[0].find_parent("td")["data-status"] == Status.MACHINE
    client.force_login(people.editor_nesna)
    html = client.get(url).content.decode()
    assert "translation-review" not in html


def test_nothing_to_review_is_said_and_records_nothing(client, people, rana):
    english = translate(rana)
    client.force_login(people.coordinator)
    response = client.post(review_url(english), follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["warning"]
    assert not Review.objects.exists()


# ---- bulk translation jobs ----------------------------------------------------------------


def test_a_job_page_is_shown_to_its_starter_and_the_coordinator_only(
    client, admin_user, people, rana
):
    job = MachineTranslationJob.objects.create(
        requested_by=people.editor_rana, language="en", page_ids=[rana.pk], total=1
    )
    url = reverse("translations_job", args=[job.pk])
    for user, allowed in [
        (people.editor_rana, True),
        (people.coordinator, True),
        (admin_user, True),
        (people.translator, False),
        (people.editor_nesna, False),
    ]:
        client.force_login(user)
        response = client.get(url)
        if allowed:
            assert response.status_code == 200, user.username
            assert b'data-job-state="queued"' in response.content
        else:
            assert refused(response), user.username
    client.logout()
    assert "/login/" in client.get(url)["Location"]


def test_a_job_whose_starter_is_gone_is_the_coordinators(client, people, rana):
    job = MachineTranslationJob.objects.create(language="en", page_ids=[rana.pk], total=1)
    url = reverse("translations_job", args=[job.pk])
    client.force_login(people.editor_rana)
    assert refused(client.get(url))
    client.force_login(people.coordinator)
    assert client.get(url).status_code == 200


def test_an_editor_starting_a_job_is_sent_to_a_page_they_may_see(
    client, deepl, people, rana, nesna, django_capture_on_commit_callbacks
):
    client.force_login(people.editor_rana)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("translations_machine_translate_bulk"), {})
    job = MachineTranslationJob.objects.get()
    assert job.requested_by == people.editor_rana
    assert job.page_ids == [rana.pk]  # only the pages the editor may edit
    assert client.get(response["Location"]).status_code == 200
    client.force_login(people.editor_nesna)
    assert refused(client.get(response["Location"]))
