"""The coordinator's report, its CSV export and dashboard panel, and bulk machine translation."""

import csv
import io

from django.urls import reverse

from django_tasks_db.models import DBTaskResult

from region_pages import versions
from translations.models import MachineTranslationJob
from translations.status import Status, page_statuses

from .conftest import publish, translate


def test_the_report_lists_pages_with_their_status_and_filters(client, admin_user, rana, nesna):
    translate(rana)
    rana.intro = "Endret."
    publish(rana)
    client.force_login(admin_user)
    url = reverse("translations_status_report")
    html = client.get(url).content.decode()
    assert "Rana" in html and "Nesna" in html
    assert 'data-status="outdated"' in html and 'data-status="missing"' in html
    filtered = client.get(url, {"municipality": "1828"}).content.decode()
    assert 'data-status="missing"' in filtered and 'data-status="outdated"' not in filtered
    by_status = client.get(url, {"status": "outdated"}).content.decode()
    assert 'data-status="outdated"' in by_status and 'data-status="missing"' not in by_status


def test_the_report_exports_csv(client, admin_user, rana, nesna):
    translate(rana)
    client.force_login(admin_user)
    response = client.get(reverse("translations_status_report"), {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    header, data = rows[0], rows[1:]
    assert len(data) == len(page_statuses())
    statuses = {row[6] for row in data}
    assert {"in_sync", "missing"} <= statuses
    assert {row[1] for row in data} >= {"Rana", "Nesna"}
    assert len(header) == 15


def test_the_dashboard_shows_counts_per_status(client, admin_user, rana, nesna):
    translate(rana)
    client.force_login(admin_user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "data-translation-status" in html
    assert "?status=missing" in html and "?status=in_sync" in html


def test_bulk_machine_translation_runs_as_a_task_with_progress(
    client, admin_user, deepl, rana, nesna, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("translations_machine_translate_bulk"), {"municipality": "1833"}
        )
    # The request only enqueued the task (the task's own publish shares the new content
    # version after its commit).
    assert len([c for c in callbacks if c is not versions.share_after_commit]) == 1
    job = MachineTranslationJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{job.pk}/")
    assert job.page_ids == [rana.pk]
    assert (job.state, job.done, job.failed, job.total) == ("finished", 1, 0, 1)
    assert page_statuses(page_ids=[rana.pk])[0].status == Status.MACHINE
    assert page_statuses(page_ids=[nesna.pk])[0].status == Status.MISSING
    page = client.get(response["Location"]).content.decode()
    assert 'data-job-state="finished"' in page and 'value="100"' in page


def test_a_quota_error_stops_the_job_and_names_every_page(
    client, admin_user, deepl, rana, nesna, django_capture_on_commit_callbacks
):
    deepl.fail_next(456)
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("translations_machine_translate_bulk"), {})
    job = MachineTranslationJob.objects.get()
    assert job.state == "failed" and job.done == 0 and job.failed == job.total >= 2
    assert len(deepl.requests) == 1  # stopped after the first refusal
    assert all(problem["error"] for problem in job.problems)
    assert page_statuses(page_ids=[rana.pk])[0].status == Status.MISSING


def test_the_editor_button_tells_the_officer_when_deepl_fails(
    client, admin_user, deepl, home, rana
):
    from wagtail_localize.models import StringTranslation, Translation

    translate(home)
    translate(rana)
    rana.intro = "Ny tekst."
    publish(rana)
    translation = Translation.objects.get(
        source__object_id=rana.translation_key, target_locale__language_code="en"
    )
    translation.source.update_from_db()
    before = StringTranslation.objects.count()
    deepl.fail_next(429)
    client.force_login(admin_user)
    response = client.post(
        reverse("wagtail_localize:machine_translate", args=[translation.pk]) + "?next=/admin/",
        follow=True,
    )
    assert response.status_code == 200
    assert StringTranslation.objects.count() == before
    assert any("DeepL" in str(message) for message in response.context["messages"])


def test_without_deepl_the_bulk_action_explains_itself(client, admin_user, rana):
    client.force_login(admin_user)
    response = client.post(reverse("translations_machine_translate_bulk"), {}, follow=True)
    assert not MachineTranslationJob.objects.exists()
    assert any("DEEPL_AUTH_KEY" in str(message) for message in response.context["messages"])


def test_with_the_database_queue_the_request_only_enqueues_and_a_worker_translates(
    client, admin_user, deepl, rana, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from django.core.management import call_command

    # The worker closes idle connections between tasks; in a test that would close the
    # test's own transaction, so it keeps them here.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    settings.TASKS = {
        **settings.TASKS,
        "translations": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("translations_machine_translate_bulk"), {"municipality": "1833"})
    job = MachineTranslationJob.objects.get()
    assert job.state == "queued" and job.done == 0
    assert deepl.requests == []  # nothing was translated during the request
    assert page_statuses(page_ids=[rana.pk])[0].status == Status.MISSING
    queued = DBTaskResult.objects.get()
    assert (queued.backend_name, queued.status) == ("translations", "READY")
    assert queued.task_path == "translations.tasks.run_job" and queued.args_kwargs["args"] == [
        job.pk
    ]
    # A bounded worker run: everything queued, then it exits.
    call_command("db_worker", "--backend", "translations", "--batch", "--no-startup-delay")
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == ("finished", 1, 1)
    assert page_statuses(page_ids=[rana.pk])[0].status == Status.MACHINE
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL" and queued.return_value == {"done": 1, "failed": 0}
    assert len(deepl.requests) == 1


def test_production_queues_bulk_translation_for_a_worker_unless_told_otherwise():
    """cms.settings.production picks the database backend; the variable can override it."""
    from tests.test_settings import manage

    environment = {
        "SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuv",
        "ALLOWED_HOSTS": "ranaregionen.no",
    }
    show = "from django.conf import settings; print(settings.TASKS['translations']['BACKEND'])"
    result = manage("shell", "--no-imports", "-c", show, **environment)
    assert result.stdout.strip() == "django_tasks_db.DatabaseBackend", result.stderr
    immediate = "django_tasks.backends.immediate.ImmediateBackend"
    result = manage(
        "shell", "--no-imports", "-c", show, TRANSLATION_TASKS_BACKEND=immediate, **environment
    )
    assert result.stdout.strip() == immediate, result.stderr
