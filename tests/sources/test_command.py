"""`manage.py sync_sources` and the background task."""

from io import StringIO

from django.core.management import CommandError, call_command

import pytest

from sources.models import PopulationFigure, SourceState, SyncRun, Vacancy
from sources.recorded import json_reply
from sources.registry import SOURCES
from sources.tasks import sync_sources_task

pytestmark = pytest.mark.django_db


def test_offline_serves_the_recorded_payloads_itself_and_marks_them_as_sample(locales):
    out = StringIO()
    call_command("sync_sources", "--offline", stdout=out)
    output = out.getvalue()
    assert "Offline: serving the recorded payloads on http://127.0.0.1:" in output
    assert "Summary:" in output
    assert Vacancy.objects.count() == 4
    assert PopulationFigure.objects.count() == 12
    assert all(state.sample for state in SourceState.objects.all())
    again = StringIO()
    call_command("sync_sources", "--offline", stdout=again)
    assert SyncRun.objects.filter(added__gt=0).count() == len(SOURCES), "the second run added"


def test_one_source_dry_run_stores_nothing(recorded):
    out = StringIO()
    call_command("sync_sources", "--source", "nav", "--dry-run", stdout=out)
    assert "Would change (dry run):" in out.getvalue()
    assert Vacancy.objects.count() == 0
    assert SyncRun.objects.get().source == "nav"


def test_a_failing_source_makes_the_command_fail_after_the_others_ran(recorded, settings):
    settings.SOURCES_HTTP_RETRIES = 0
    recorded.add(r"/ssb/.*", lambda request, match: json_reply({}, 503))
    with pytest.raises(CommandError, match="ssb-population"):
        call_command(
            "sync_sources", "--source", "ssb-population", "--source", "nav", stdout=StringIO()
        )
    assert Vacancy.objects.count() == 4


def test_an_unknown_source_is_refused(locales):
    with pytest.raises(CommandError):
        call_command("sync_sources", "--source", "weather", stdout=StringIO())


def test_the_task_runs_the_pipeline(recorded):
    result = sync_sources_task.enqueue(names=["nav"])
    assert result.return_value == [
        {
            "source": "nav",
            "run": SyncRun.objects.get().pk,
            "status": "succeeded",
            "added": 4,
            "updated": 0,
            "removed": 0,
            "errors": 0,
        }
    ]


def test_enqueue_hands_the_sync_to_the_task_backend(recorded):
    out = StringIO()
    call_command("sync_sources", "--source", "nav", "--enqueue", stdout=out)
    assert "Enqueued task" in out.getvalue()
    assert Vacancy.objects.count() == 4  # the immediate backend runs it at once
