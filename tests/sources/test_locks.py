"""One run of a source at a time: a second run is refused with a clear message and
changes nothing; the lock goes with the run that holds it."""

import threading
from io import StringIO

from django.core.management import CommandError, call_command
from django.db import connection

import pytest

from sources.locks import SourceBusy, source_lock
from sources.models import PopulationFigure, RunStatus, SyncRun
from sources.pipeline import run_sources

pytestmark = pytest.mark.django_db


class HeldElsewhere:
    """The source's lock, held by another thread (its own database connection), as a
    run in progress holds it, until the test lets go."""

    def __init__(self, name: str):
        self.name = name
        self.held = threading.Event()
        self.release = threading.Event()
        self.thread = threading.Thread(target=self._hold, daemon=True)

    def _hold(self):
        try:
            with source_lock(self.name):
                self.held.set()
                self.release.wait(timeout=120)
        finally:
            connection.close()

    def __enter__(self):
        self.thread.start()
        assert self.held.wait(timeout=60), "the other run never took the lock"
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.thread.join(timeout=60)


def test_a_second_run_of_a_source_is_refused_and_changes_nothing():
    err = StringIO()
    with HeldElsewhere("ssb-population"), pytest.raises(CommandError) as refused:
        call_command(
            "sync_sources", "--source", "ssb-population", "--offline", stdout=StringIO(), stderr=err
        )
    assert "another run is in progress: ssb-population" in str(refused.value)
    assert "ssb-population" in err.getvalue()
    assert not SyncRun.objects.filter(source="ssb-population").exists()
    assert not PopulationFigure.objects.exists()

    # Once the other run has finished, the source runs as usual.
    call_command("sync_sources", "--source", "ssb-population", "--offline", stdout=StringIO())
    assert SyncRun.objects.get(source="ssb-population").status == RunStatus.SUCCEEDED
    assert PopulationFigure.objects.exists()


def test_the_refusal_says_since_when_the_other_run_has_been_going():
    running = SyncRun.objects.create(source="nav", status=RunStatus.RUNNING)
    with HeldElsewhere("nav"), pytest.raises(SourceBusy) as refused, source_lock("nav"):
        pass
    english = refused.value.render("en")
    assert f"run {running.pk}" in english
    assert running.started_at.isoformat(timespec="seconds") in english
    assert "Try again when it has finished" in english
    assert refused.value.render("nb") != english  # the coordinator reads it in Norwegian


def test_other_sources_run_while_one_is_busy(recorded):
    with HeldElsewhere("nav"):
        runs = run_sources(["nav", "ssb-population"])
    assert [run.source for run in runs] == ["ssb-population"]


def test_the_lock_is_let_go_when_a_run_fails():
    with pytest.raises(RuntimeError), source_lock("brreg"):
        raise RuntimeError("the run broke")
    with source_lock("brreg"):  # taken again at once
        pass
