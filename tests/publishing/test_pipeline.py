"""The publishing pipeline: one run per change, its steps in the order written, and a step
that fails takes the whole change back with it."""

from django.db import transaction

import pytest

from publishing import pipeline
from region_pages import versions
from region_pages.models import ChangeAction, ChangeEvent, Entry
from search.models import SearchDocument

from ..conftest import publish
from ..factories import ArticlePageFactory, MunicipalityPageFactory, leisure, paragraph, school
from ..sources.factories import (
    RegisterUnitFactory,
    WorkplaceFactory,
    register_industry,
    register_school,
)

STEPS = [step.__name__ for step in pipeline.IN_TRANSACTION]


@pytest.fixture
def runs(monkeypatch):
    """What the pipeline runs from now on: (kind, page id, step), in order."""
    seen = []

    def recording(step):
        def record(change):
            seen.append((change.kind, change.page.pk, step.__name__))
            step(change)

        return record

    steps = tuple(recording(step) for step in pipeline.IN_TRANSACTION)
    monkeypatch.setattr(pipeline, "IN_TRANSACTION", steps)
    return seen


def failing(step, error: Exception) -> tuple:
    """The pipeline's steps, with `step` replaced by one that raises `error`."""

    def fail(change):
        raise error

    return tuple(fail if each is step else each for each in pipeline.IN_TRANSACTION)


def runs_of(runs, kind) -> list[tuple]:
    return [run for run in runs if run[0] == kind]


def test_the_steps_are_the_version_then_read_model_feed_index_and_translations():
    assert STEPS == [
        "bump_content_version",
        "update_read_model",
        "record_in_change_feed",
        "update_search_index",
        "record_translation_review",
    ]


def test_a_publish_runs_every_step_once_in_order_and_moves_the_version_by_one(home, runs):
    page = MunicipalityPageFactory(parent=home, slug="rana", body=[leisure("Svartisen")])
    before, _changed = versions.current()
    publish(page)
    assert runs == [(pipeline.Kind.PUBLISH, page.pk, step) for step in STEPS]
    assert versions.current()[0] == before + 1
    assert Entry.objects.filter(page=page, name="Svartisen").exists()


def test_a_draft_runs_nothing(home, runs):
    page = publish(ArticlePageFactory(parent=home, slug="flytte-hit"))
    runs.clear()
    before = versions.current()
    page.title = "Flytte hit (utkast)"
    page.save_revision()
    assert runs == []
    assert versions.current() == before


def test_a_deleted_page_is_run_once_though_django_deletes_two_rows(home, runs):
    page = publish(MunicipalityPageFactory(parent=home, slug="rana"))
    runs.clear()
    page.delete()
    deletes = runs_of(runs, pipeline.Kind.DELETE)
    assert deletes == [(pipeline.Kind.DELETE, page.pk, step) for step in STEPS]
    # Wagtail's unpublish just before the delete runs nothing: the delete does it all.
    assert runs == deletes
    latest = ChangeEvent.objects.filter(resource_type="page", resource_id=str(page.pk)).last()
    assert latest.action == ChangeAction.DELETED


def test_a_failing_step_takes_the_publish_back(home, monkeypatch):
    page = MunicipalityPageFactory(parent=home, slug="rana", live=False, body=[leisure("Tur")])
    before = versions.current()
    events = ChangeEvent.objects.count()

    index_down = RuntimeError("the search index is unavailable")
    monkeypatch.setattr(
        pipeline, "IN_TRANSACTION", failing(pipeline.update_search_index, index_down)
    )
    with pytest.raises(RuntimeError, match="search index"), transaction.atomic():
        page.save_revision().publish()

    page.refresh_from_db()
    assert not page.live
    assert not Entry.objects.filter(page=page).exists()
    assert ChangeEvent.objects.count() == events
    assert not SearchDocument.objects.filter(page_id=page.pk).exists()
    assert versions.current() == before


def test_without_a_transaction_of_its_callers_the_version_moves_with_the_feed_or_not_at_all(
    home, monkeypatch
):
    """A publish from a command or the scheduler opens no transaction (autocommit): the
    steps must still commit together, or a reader between the version's commit and the
    feed's would keep an answer without the new events under the new version. (Unlike the
    test above, nothing here wraps the publish in a transaction.)"""
    page = MunicipalityPageFactory(parent=home, slug="hemnes", live=False, body=[leisure("Tur")])
    before = versions.current()
    events = ChangeEvent.objects.count()

    feed_down = RuntimeError("the feed's table is locked")
    monkeypatch.setattr(
        pipeline, "IN_TRANSACTION", failing(pipeline.record_in_change_feed, feed_down)
    )
    with pytest.raises(RuntimeError, match="feed"):
        page.save_revision().publish()

    assert versions.current() == before
    assert ChangeEvent.objects.count() == events
    assert not Entry.objects.filter(page=page).exists()


def mixed_blocks(count: int, units, places) -> list[dict]:
    """A municipality page's body as officers fill it: activities, schools written by
    hand and from the register, industries with their employers from the register (and
    the register's figures), and text."""
    makers = (
        lambda n: leisure(name=f"Tur {n}"),
        lambda n: school(name=f"Skole {n}"),
        lambda n: register_school(units[n % len(units)]),
        lambda n: register_industry(*places, figures=True),
        lambda n: paragraph(f"Avsnitt {n} om kommunen."),
    )
    return [makers[n % len(makers)](n) for n in range(count)]


def queries_of_a_publish(page, blocks: int, django_assert_max_num_queries) -> int:
    units = RegisterUnitFactory.create_batch(3, municipality_number=page.municipality_number)
    places = WorkplaceFactory.create_batch(2, municipality_number=page.municipality_number)
    page.body = mixed_blocks(blocks, units, places)
    publish(page)  # the entries exist: the publish measured changes the introduction
    page.intro = f"Endret med {blocks} blokker."
    with django_assert_max_num_queries(250) as counted:
        publish(page)
    return len(counted.captured_queries)


def test_a_publish_costs_queries_that_do_not_grow_with_the_blocks(
    home, django_assert_max_num_queries
):
    """The read model, the feed, the digests of the API's answers (which read the content
    version once) and the search index are written in bulk: 400 blocks cost a few more
    statements (the batches of the bulk inserts) than 14, not a query a block."""
    small = MunicipalityPageFactory(parent=home, slug="liten", municipality_number="1832")
    large = MunicipalityPageFactory(parent=home, slug="stor", municipality_number="1833")
    few = queries_of_a_publish(small, 14, django_assert_max_num_queries)
    many = queries_of_a_publish(large, 400, django_assert_max_num_queries)
    assert Entry.objects.filter(page=large).count() == 400 // 5 * 4  # all but the text
    assert many <= few + 20, (few, many)
