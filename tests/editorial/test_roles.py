"""`setup_roles`: the groups, what each may do, the workflow, and that a rerun changes nothing."""

import io

from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from wagtail.models import (
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
)

import pytest

from editorial import roles
from editorial.models import Role
from region_pages import regions
from search.models import Synonym


def snapshot():
    return (
        sorted(Group.objects.values_list("name", flat=True)),
        sorted(GroupPagePermission.objects.values_list("group_id", "page_id", "permission_id")),
        sorted(
            GroupCollectionPermission.objects.values_list(
                "group_id", "collection_id", "permission_id"
            )
        ),
        sorted(Role.objects.values_list("key", "description", "municipality_number")),
        sorted(Group.permissions.through.objects.values_list("group_id", "permission_id")),
        sorted(WorkflowPage.objects.values_list("page_id", "workflow_id")),
    )


def test_every_role_has_a_norwegian_name_and_description(region):
    keys = set(Role.objects.values_list("key", flat=True))
    assert keys == {
        "redaktor-rana",
        "redaktor-hemnes",
        "redaktor-luroy",
        "redaktor-nesna",
        roles.COORDINATOR,
        roles.TRANSLATOR,
        # The second region's: its own coordinator, translators and municipality editors.
        "redaktor-vefsn",
        "koordinator-mosjoenregionen",
        "oversetter-mosjoenregionen",
    }
    assert Role.objects.get(key="koordinator-mosjoenregionen").group.name == (
        "Regional koordinator Mosjøenregionen"
    )
    luroy = Role.objects.get(key="redaktor-luroy")
    assert luroy.group.name == "Redaktører Lurøy"
    assert luroy.municipality_number == "1834"
    assert "Kan ikke publisere" in luroy.description


def test_setup_roles_twice_changes_nothing(region):
    before = snapshot()
    out = io.StringIO()
    call_command("setup_roles", stdout=out)
    assert snapshot() == before
    assert "already up to date" in out.getvalue()


def test_setup_roles_repairs_a_changed_permission(region):
    luroy_group = Role.objects.get(key="redaktor-luroy").group
    # Someone gives the Lurøy editors publishing rights on Rana's page by hand.
    GroupPagePermission.objects.create(
        group=luroy_group, page=region.rana, permission_type="publish"
    )
    report = roles.setup_roles()
    assert report.changes == 1
    assert not GroupPagePermission.objects.filter(group=luroy_group, page=region.rana).exists()


def test_municipality_editors_get_both_languages_of_their_page_only(region):
    group = Role.objects.get(key="redaktor-luroy").group
    pages = set(GroupPagePermission.objects.filter(group=group).values_list("page_id", flat=True))
    assert pages == {region.luroy.pk, region.en_luroy.pk}
    codenames = set(
        GroupPagePermission.objects.filter(group=group).values_list(
            "permission__codename", flat=True
        )
    )
    assert codenames == {"add_page", "change_page", "lock_page"}


def test_editors_use_their_own_collection(region):
    group = Role.objects.get(key="redaktor-luroy").group
    collections = set(
        GroupCollectionPermission.objects.filter(group=group).values_list(
            "collection__name", flat=True
        )
    )
    assert collections == {"Lurøy"}


def test_translators_work_on_the_english_tree_and_cannot_publish(region):
    group = Role.objects.get(key=roles.TRANSLATOR).group
    grants = GroupPagePermission.objects.filter(group=group)
    assert set(grants.values_list("page_id", flat=True)) == {region.en_home.pk}
    assert set(grants.values_list("permission__codename", flat=True)) == {"change_page"}
    assert not group.permissions.filter(codename="submit_translation").exists()


def test_only_publishers_may_start_or_sync_translations(region):
    """wagtail-localize checks only this global permission before publishing translations,
    so it must go to no group that cannot publish the whole tree or a whole region (its
    home pages)."""
    homes = [pk for region in regions.all_regions() for _code, pk, _path in region.homes]
    homes.append(Page.get_first_root_node().pk)
    for group in Group.objects.filter(permissions__codename="submit_translation"):
        assert GroupPagePermission.objects.filter(
            group=group, page_id__in=homes, permission__codename="publish_page"
        ).exists(), group.name


def test_the_coordinator_approves_every_page(region):
    workflow = region.luroy.get_workflow()
    assert workflow is not None
    assert workflow.name == roles.WORKFLOW_NAME
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == ["Regional koordinator"]


def test_each_region_has_its_own_workflow_and_approver(region):
    for page in (region.vefsn, region.vefsn_article, region.second_home):
        workflow = page.get_workflow()
        assert workflow.name == f"{roles.WORKFLOW_NAME} (Mosjøenregionen)"
        task = workflow.tasks.get().specific
        assert list(task.groups.values_list("name", flat=True)) == [
            "Regional koordinator Mosjøenregionen"
        ]
    assert region.article.get_workflow().name == roles.WORKFLOW_NAME


def codenames(role_key):
    group = Role.objects.get(key=role_key).group
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_the_coordinator_steers_search_reads_the_import_report_and_keeps_the_webhooks(region):
    assert codenames(roles.COORDINATOR) == {
        "wagtailadmin.access_admin",
        "wagtail_localize.submit_translation",
        "search.add_synonym",
        "search.change_synonym",
        "search.delete_synonym",
        "search.view_synonym",
        "search.view_missedquery",
        "wagtailsearchpromotions.add_searchpromotion",
        "wagtailsearchpromotions.change_searchpromotion",
        "wagtailsearchpromotions.delete_searchpromotion",
        "wagtailsearchpromotions.view_searchpromotion",
        "sources.view_syncrun",
        "region_pages.add_avoidedword",
        "region_pages.change_avoidedword",
        "region_pages.delete_avoidedword",
        "region_pages.view_avoidedword",
        "webhooks.add_webhook",
        "webhooks.change_webhook",
        "webhooks.delete_webhook",
        "webhooks.view_webhook",
        "partners.add_apikey",
        "partners.change_apikey",
        "partners.delete_apikey",
        "partners.view_apikey",
    }


def test_editors_read_the_missed_searches_and_translators_only_translate(region):
    """What search finds is region-wide, so it is the coordinator's; every municipality's
    editors see what readers looked for in vain."""
    for municipality in roles.MUNICIPALITIES:
        assert codenames(roles.editor_key(municipality)) == {
            "wagtailadmin.access_admin",
            "search.view_missedquery",
        }
    assert codenames(roles.TRANSLATOR) == {"wagtailadmin.access_admin"}


def test_setup_roles_takes_back_a_permission_given_by_hand(region):
    group = Role.objects.get(key="redaktor-luroy").group
    group.permissions.add(Permission.objects.get(codename="delete_synonym"))
    report = roles.setup_roles()
    assert report.changes == 1
    assert not group.permissions.filter(codename="delete_synonym").exists()


# The search and import screens in the admin, asked over HTTP: who gets in.
SCREENS = {
    "synonyms": "wagtailsnippets_search_synonym:list",
    "promoted_results": "wagtailsearchpromotions:index",
    "searches_without_results": "search_missed_queries",
    "data_imports": "sources_sync_report",
}
SCREEN_ACCESS = {
    "coordinator": set(SCREENS),
    "editor_luroy": {"searches_without_results"},
    "editor_rana": {"searches_without_results"},
    "translator": set(),
    "no_group": set(),
    "anonymous": set(),
}


@pytest.mark.parametrize("role", list(SCREEN_ACCESS))
@pytest.mark.parametrize("screen", list(SCREENS))
def test_search_and_import_screens(region, client_for, role, screen, django_assert_max_num_queries):
    client = client_for(region.users[role])
    with django_assert_max_num_queries(20):
        response = client.get(reverse(SCREENS[screen]))
    if screen in SCREEN_ACCESS[role]:
        assert response.status_code == 200
    elif role in {"anonymous", "no_group"}:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))
    else:
        assert response.status_code in {302, 403}
        if response.status_code == 302:
            assert response["Location"] == reverse("wagtailadmin_home")


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("coordinator", True), ("editor_luroy", False), ("translator", False)],
)
def test_only_the_coordinator_adds_synonyms(region, client_for, role, allowed):
    client = client_for(region.users[role])
    before = Synonym.objects.count()
    response = client.post(
        reverse("wagtailsnippets_search_synonym:add"), {"terms": "fjelltur, hike"}
    )
    assert Synonym.objects.filter(terms="fjelltur, hike").exists() is allowed
    assert Synonym.objects.count() == before + int(allowed)
    assert response.status_code in {302, 403}


def test_the_workflow_reads_as_part_of_the_submit_sentence(region, client_for):
    """Wagtail offers "Send inn til <workflow name>": the name is in lower case."""
    client = client_for(region.users["editor_rana"])
    html = client.get(f"/admin/pages/{region.rana.pk}/edit/").content.decode()
    assert "Send inn til godkjenning hos regional koordinator" in html


def test_setup_roles_renames_the_workflow_of_an_earlier_version(region):
    workflow = region.luroy.get_workflow()
    workflow.name = roles.FORMER_WORKFLOW_NAMES[0]
    workflow.save()
    call_command("setup_roles", stdout=io.StringIO())
    assert Workflow.objects.filter(name=roles.WORKFLOW_NAME).count() == 1
    assert not Workflow.objects.filter(name__in=roles.FORMER_WORKFLOW_NAMES).exists()
    assert region.luroy.get_workflow().pk == workflow.pk


@pytest.mark.parametrize(
    ("role", "own", "other"),
    [("coordinator", "Lurøy", "Vefsn"), ("coordinator_mosjoen", "Vefsn", "Lurøy")],
)
def test_the_translation_report_shows_a_coordinator_their_own_region(
    region, client_for, role, own, other
):
    client = client_for(region.users[role])
    answer = client.get(reverse("translations_status_report"), {"export": "csv"})
    assert answer.status_code == 200
    rows = b"".join(answer.streaming_content).decode()
    assert own in rows and other not in rows
