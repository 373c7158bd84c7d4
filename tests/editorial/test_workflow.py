"""The approval workflow: an editor submits, the coordinator is e-mailed, approves with a
comment, and the page goes live; scheduled publishing and unpublishing by command."""

import io
from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from wagtail.models import Page, TaskState, WorkflowState

from region_pages.models import Entry

from ..factories import ArticlePageFactory
from ..test_settings import manage
from .conftest import article_form


def submit(client, page, title):
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        article_form(page, title=title, submit="submit"),
    )


def test_submitting_emails_the_coordinator(region, client_for, django_capture_on_commit_callbacks):
    client = client_for(region.users["editor_luroy"])
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, region.article, "Bo i Lurøy – oppdatert")
    assert response.status_code == 302
    state = WorkflowState.objects.get(object_id=str(region.article.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    recipients = {address for message in mail.outbox for address in message.to}
    # The coordinators (and Wagtail's superusers), never the editor who submitted.
    assert "koordinator@example.org" in recipients
    assert "redaktor-luroy@example.org" not in recipients
    assert recipients <= {"koordinator@example.org", "admin@example.org"}
    # Nothing is public yet.
    assert Page.objects.get(pk=region.article.pk).title == "Bo i Lurøy"


def test_the_coordinator_approves_with_a_comment_and_the_page_goes_live(
    region, client_for, django_capture_on_commit_callbacks, settings
):
    settings.WAGTAILADMIN_NOTIFICATION_USE_HTML = True
    submit(client_for(region.users["editor_luroy"]), region.article, "Bo i Lurøy – ny tekst")
    task_state = TaskState.objects.get(workflow_state__object_id=str(region.article.pk))
    mail.outbox.clear()

    client = client_for(region.users["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(
                "wagtailadmin_pages:workflow_action",
                args=[region.article.pk, "approve", task_state.pk],
            ),
            {"comment": "Fint! Publiseres nå."},
        )

    assert response.status_code in {200, 302}
    # The editor is told, in Norwegian, with the coordinator's comment.
    [told] = [m for m in mail.outbox if "redaktor-luroy@example.org" in m.to]
    assert "Koordinatorens kommentar: «Fint! Publiseres nå.»" in told.body
    [(html, _type)] = told.alternatives
    assert "Koordinatorens kommentar: «Fint! Publiseres nå.»" in html
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_APPROVED
    assert task_state.comment == "Fint! Publiseres nå."
    page = Page.objects.get(pk=region.article.pk)
    assert page.live and page.title == "Bo i Lurøy – ny tekst"


def test_an_editor_cannot_approve_their_own_submission(region, client_for):
    client = client_for(region.users["editor_luroy"])
    submit(client, region.article, "Godkjenner meg selv")
    task_state = TaskState.objects.get(workflow_state__object_id=str(region.article.pk))
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[region.article.pk, "approve", task_state.pk],
        ),
        {"comment": ""},
    )
    assert response.status_code in {302, 403}
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    assert Page.objects.get(pk=region.article.pk).title == "Bo i Lurøy"


def test_approving_a_municipality_page_updates_the_read_model(region, client_for):
    """The entries follow what the coordinator publishes, not what the editor submits."""
    luroy = region.luroy
    body = list(luroy.body.raw_data)
    body[1]["value"]["name"] = "Lundefuglsafari på Lovund"
    luroy.body = body
    revision = luroy.save_revision(user=region.users["editor_luroy"])
    luroy.get_workflow().start(luroy, region.users["editor_luroy"])
    assert Entry.objects.filter(page=luroy, name="Lundefuglsafari på Lovund").count() == 0

    task_state = TaskState.objects.get(workflow_state__object_id=str(luroy.pk))
    task_state.task.specific.on_action(task_state, region.users["coordinator"], "approve")

    luroy.refresh_from_db()
    assert luroy.live_revision_id == revision.pk
    assert Entry.objects.filter(page=luroy, name="Lundefuglsafari på Lovund").count() == 1


def test_the_page_listing_shows_moderation_language_and_last_editor(region, client_for):
    submit(client_for(region.users["editor_luroy"]), region.article, "Til godkjenning")
    client = client_for(region.users["coordinator"])
    response = client.get(reverse("wagtailadmin_explore", args=[region.luroy.pk]))
    html = response.content.decode()
    page = Page.objects.get(pk=region.article.pk)
    with translation.override("nb"):
        status = str(page.status_string)
        not_translated = "Ikke oversatt"
    assert status in html
    assert not_translated in html  # the article has no English version yet
    assert "Redaktor-Luroy" in html  # the last editor's name


def test_the_page_listing_shows_the_english_version_state(region, client_for):
    client = client_for(region.users["coordinator"])
    html = client.get(reverse("wagtailadmin_explore", args=[region.home.pk])).content.decode()
    assert "EN: publisert" in html


def test_publish_scheduled_publishes_a_page_whose_time_has_come(region):
    """A vacancy-season page written in advance goes live on its date, by the command."""
    page = ArticlePageFactory(
        parent=region.luroy, slug="sommerjobb", title="Sommerjobb på Lovund", live=False
    )
    page.go_live_at = timezone.now() - timedelta(minutes=5)
    page.save_revision(approved_go_live_at=page.go_live_at)
    later = ArticlePageFactory(
        parent=region.luroy, slug="vinterjobb", title="Vinterjobb", live=False
    )
    later.go_live_at = timezone.now() + timedelta(days=30)
    later.save_revision(approved_go_live_at=later.go_live_at)

    report = io.StringIO()
    call_command("publish_scheduled", stdout=report)

    assert Page.objects.get(pk=page.pk).live
    assert not Page.objects.get(pk=later.pk).live
    # It says what went live, and only that.
    lines = report.getvalue().splitlines()
    assert lines[0] == "Published: 1"
    assert lines[1] == f"  Sommerjobb på Lovund (id {page.pk})"
    assert "Vinterjobb" not in report.getvalue()
    again = io.StringIO()
    call_command("publish_scheduled", stdout=again)
    assert again.getvalue().strip() == "Nothing was due."


def test_publish_scheduled_unpublishes_an_expired_page(region):
    article = region.article
    article.expire_at = timezone.now() - timedelta(minutes=1)
    article.save(update_fields=["expire_at"])

    report = io.StringIO()
    call_command("publish_scheduled", stdout=report)

    article.refresh_from_db()
    assert not article.live
    assert article.expired
    assert report.getvalue().splitlines()[:2] == [
        "Unpublished (expired): 1",
        f"  {article.title} (id {article.pk})",
    ]


def test_production_reads_the_mail_server_from_the_environment():
    result = manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings as s; print(s.EMAIL_HOST, s.EMAIL_PORT, "
        "s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, "
        "s.WAGTAILADMIN_NOTIFICATION_FROM_EMAIL)",
        SECRET_KEY="a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuv",
        ALLOWED_HOSTS="ranaregionen.no",
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="465",
        EMAIL_HOST_USER="varsler",
        EMAIL_HOST_PASSWORD="hemmelig",
        EMAIL_USE_SSL="1",
        DEFAULT_FROM_EMAIL="redaksjon@ranaregionen.no",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "smtp.example.org",
        "465",
        "varsler",
        "hemmelig",
        "False",
        "True",
        "redaksjon@ranaregionen.no",
    ]
