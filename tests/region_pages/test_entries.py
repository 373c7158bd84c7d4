"""The read model: entries follow publish, unpublish, move, delete and privacy."""

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import PageViewRestriction

import pytest

from region_pages import entries
from region_pages.models import Entry, MunicipalityPage
from tests import factories
from tests.conftest import publish


@pytest.fixture
def rana(home):
    page = factories.MunicipalityPageFactory(
        parent=home,
        title="Rana",
        slug="rana",
        municipality_number="1833",
        body=[
            factories.paragraph(),
            factories.industry(),
            factories.leisure(name="Svartisen", seasons=["summer", "autumn"]),
            factories.school(name="Ytteren skole"),
        ],
    )
    return publish(page)


def test_publishing_writes_one_typed_entry_per_structured_block(rana):
    stored = list(Entry.objects.filter(page=rana).order_by("position"))
    assert [e.kind for e in stored] == ["industry", "leisure", "school"]
    assert [e.position for e in stored] == [1, 2, 3]  # the paragraph is position 0
    assert [e.name for e in stored[1:]] == ["Svartisen", "Ytteren skole"]
    leisure = stored[1]
    assert leisure.seasons == ["summer", "autumn"]
    assert (leisure.latitude, leisure.longitude) == (66.31, 14.14)
    assert leisure.municipality_number == "1833"
    assert leisure.translation_key == rana.translation_key
    assert leisure.block_id == rana.body[2].id
    assert stored[2].data["org_number"] == "974760673"
    assert stored[0].category == "industry"


def test_a_publish_rewrites_only_the_entries_that_changed(rana):
    before = {e.block_id: e for e in Entry.objects.filter(page=rana)}
    body = rana.body.raw_data
    industry, leisure, school = (block["id"] for block in body[1:])
    body[2]["value"]["name"] = "Svartisen og Engabreen"  # the leisure block changes
    del body[3]  # the school goes
    rana.body = [*body, factories.school(name="Gruben skole")]  # a school comes
    publish(rana)
    after = {e.block_id: e for e in Entry.objects.filter(page=rana)}
    # The industry came out as it was: its row is the same, untouched.
    assert after[industry].pk == before[industry].pk
    assert after[industry].published_at == before[industry].published_at
    assert (
        after[leisure].pk != before[leisure].pk and after[leisure].name == "Svartisen og Engabreen"
    )
    assert school not in after and len(after) == 3
    assert {e.name for e in after.values()} >= {"Gruben skole"}


def test_a_draft_changes_nothing_until_it_is_published(rana):
    rana.body = [factories.school(name="Ny skole")]
    rana.save_revision()
    assert set(Entry.objects.filter(page=rana).values_list("name", flat=True)) >= {"Svartisen"}
    rana.get_latest_revision().publish()
    assert list(Entry.objects.filter(page=rana).values_list("name", flat=True)) == ["Ny skole"]


def test_unpublishing_removes_the_entries(rana):
    rana.unpublish()
    assert not Entry.objects.filter(page=rana).exists()


def test_unpublishing_the_home_page_removes_the_entries_below_it(home, rana, admin_user):
    UnpublishPageAction(home, user=admin_user, include_descendants=True).execute()
    assert not Entry.objects.exists()


def test_deleting_removes_the_entries(rana):
    rana.delete()
    assert not Entry.objects.exists()


def test_moving_keeps_the_entries_and_their_page(home, rana):
    hemnes = publish(factories.MunicipalityPageFactory(parent=home, slug="hemnes"))
    before = set(Entry.objects.values_list("block_id", flat=True))
    rana.move(hemnes, pos="left")
    rana.refresh_from_db()
    after = set(Entry.objects.filter(page=rana).values_list("block_id", flat=True))
    assert before == after
    assert rana.get_prev_siblings().count() == 0 and rana.get_next_sibling().pk == hemnes.pk


def test_a_private_page_publishes_no_entries(rana):
    PageViewRestriction.objects.create(page=rana, restriction_type=PageViewRestriction.LOGIN)
    assert not Entry.objects.filter(page=rana).exists()
    PageViewRestriction.objects.filter(page=rana).delete()
    assert Entry.objects.filter(page=rana).count() == 3


def test_a_failing_publish_leaves_no_half_written_entries(rana, monkeypatch):
    from django.db import transaction

    rana.body = [factories.school(name="Aldri publisert")]
    revision = rana.save_revision()

    def broken(page):
        raise RuntimeError("disk full")

    monkeypatch.setattr(entries, "build_entries", broken)
    with pytest.raises(RuntimeError), transaction.atomic():
        revision.publish()
    monkeypatch.undo()
    rana.refresh_from_db()
    assert "Aldri publisert" not in set(Entry.objects.values_list("name", flat=True))
    assert rana.live_revision_id != revision.pk


class TestRebuild:
    def test_a_table_in_step_is_reported_so(self, rana):
        report = entries.rebuild(dry_run=True)
        assert report.in_step
        assert report.total == 3

    def test_drift_is_reported_and_repaired(self, rana):
        Entry.objects.filter(kind="school").delete()
        Entry.objects.filter(kind="leisure").update(name="Feil navn")
        stray = Entry.objects.get(kind="industry")
        stray.pk = None
        stray.block_id = "stray"
        stray.save()

        report = entries.rebuild(dry_run=True)
        assert (len(report.added), len(report.changed), len(report.removed)) == (1, 1, 1)
        assert Entry.objects.count() == 3  # a dry run changes nothing

        entries.rebuild()
        assert entries.rebuild(dry_run=True).in_step
        assert Entry.objects.get(kind="leisure").name == "Svartisen"

    def test_the_command_reports_and_fails_with_check(self, rana, capsys):
        from django.core.management.base import CommandError

        call_command("rebuild_entries", "--check")
        assert "in step: 3 entries" in capsys.readouterr().out
        Entry.objects.all().delete()
        with pytest.raises(CommandError):
            call_command("rebuild_entries", "--check")
        call_command("rebuild_entries")
        assert Entry.objects.count() == 3


def test_unpublished_pages_are_left_out_of_a_rebuild(rana):
    MunicipalityPage.objects.filter(pk=rana.pk).update(live=False)
    report = entries.rebuild()
    assert report.removed and not Entry.objects.exists()


def test_a_theme_page_never_loads_the_municipality_pages_bodies(client, rana):
    """Each entry's page is joined for its title and address only: loading the body too
    made a theme page parse every municipality page's StreamField once per entry."""
    publish(factories.ThemePageFactory(parent=rana.get_parent(), slug="fritid"))
    with CaptureQueriesContext(connection) as captured:
        html = client.get("/nb/fritid/").content.decode()
    assert "Svartisen" in html
    body_column = f'"{MunicipalityPage._meta.db_table}"."body"'
    assert not [q["sql"] for q in captured if body_column in q["sql"]]
