"""The editors' roles and the approval workflow, set up by `manage.py setup_roles`.

Who may do what:

- one editors' group per municipality: add and edit (never publish) the municipality's
  page and the pages below it, in Norwegian and in English, submit them for approval, and
  use the images and documents of the municipality's own collection;
- one coordinator per region (a Wagtail site, `region_pages.regions`): edit, publish,
  unpublish, move and delete the region's pages, approve what its editors submit (each
  region has its own approval workflow), start and synchronise translations, the images
  and documents, steer site search (synonyms, promoted results) and read the reports of
  searches without results and of the open data imports;
- translators, per region: edit the region's English pages, which wagtail-localize turns
  into its translation editor; they cannot publish, and `editorial.wagtail_hooks` refuses
  them every other page action (create, delete, move, copy, stop a translation).

The first region (the default site's) keeps the keys and names of the install's first
roles ("koordinator", "Regional koordinator"); every other region's roles carry its key
and name ("koordinator-mosjoenregionen", "Regional koordinator Mosjøenregionen"). The
first region's coordinator also keeps the root collection (the images and documents
outside every municipality's collection) and its workflow is the tree's, for pages
outside every region; only a superuser makes a new region's home page.

Municipal editors also read the report of searches without results, so that they see
what readers look for in vain; what search finds for everyone stays the coordinator's.

`setup_roles()` converges: it creates what is missing and removes page and collection
permissions of these groups that are not in the definition. Running it twice changes
nothing. The groups' names and descriptions are data (Norwegian), not interface text.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from region_pages import regions
from region_pages.models import HomePage, MunicipalityPage
from region_pages.municipalities import MUNICIPALITIES, Municipality  # noqa: F401 - read by tests

from .models import Role

# Permissions that are not tied to a page or a collection, by app label.
EDITOR_PERMISSIONS = {
    "wagtailadmin": ["access_admin"],
    "search": ["view_missedquery"],
}
COORDINATOR_PERMISSIONS = {
    "wagtailadmin": ["access_admin"],
    "wagtail_localize": ["submit_translation"],
    "search": [
        "add_synonym",
        "change_synonym",
        "delete_synonym",
        "view_synonym",
        "view_missedquery",
    ],
    "wagtailsearchpromotions": [
        "add_searchpromotion",
        "change_searchpromotion",
        "delete_searchpromotion",
        "view_searchpromotion",
    ],
    "sources": ["view_syncrun"],
    # The plain-language checks' words to avoid.
    "region_pages": [
        "add_avoidedword",
        "change_avoidedword",
        "delete_avoidedword",
        "view_avoidedword",
    ],
    # Partners' webhooks: who is told of every change, with the secret that signs it.
    "webhooks": ["add_webhook", "change_webhook", "delete_webhook", "view_webhook"],
    # Partners' API keys: a larger share of the API for a partner who identifies itself.
    "partners": ["add_apikey", "change_apikey", "delete_apikey", "view_apikey"],
}
TRANSLATOR_PERMISSIONS = {"wagtailadmin": ["access_admin"]}

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "lock_page"]
COORDINATOR_PAGE_PERMISSIONS = [
    "add_page",
    "bulk_delete_page",
    "change_page",
    "lock_page",
    "publish_page",
    "unlock_page",
]
TRANSLATOR_PAGE_PERMISSIONS = ["change_page"]
EDITOR_MEDIA_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document"],
}
COORDINATOR_MEDIA_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "choose_image", "delete_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document", "delete_document"],
}

# Lower case: the admin shows it inside a sentence ("Send inn til godkjenning hos …").
WORKFLOW_NAME = "godkjenning hos regional koordinator"
# Names the workflow had before: setup_roles renames it rather than making another.
FORMER_WORKFLOW_NAMES = ("Godkjenning hos regional koordinator",)
TASK_NAME = "Regional koordinator godkjenner"
SOURCE_LANGUAGE = "nb"


COORDINATOR = "koordinator"
TRANSLATOR = "oversetter"


def editor_key(municipality: Municipality) -> str:
    return f"redaktor-{municipality.slug}"


def coordinator_key(region=None) -> str:
    """The coordinator's role of `region` (the first region's when None or the default)."""
    return COORDINATOR if region is None or region.is_default else f"{COORDINATOR}-{region.key}"


def translator_key(region=None) -> str:
    return TRANSLATOR if region is None or region.is_default else f"{TRANSLATOR}-{region.key}"


def is_translator_key(key: str) -> bool:
    return key == TRANSLATOR or key.startswith(f"{TRANSLATOR}-")


def _regions() -> list:
    """The regions, the default site's first; one unnamed region (None) before any site
    has a region's home page, so that the first roles exist from the start."""
    found = list(regions.all_regions())
    if not any(region.is_default for region in found):
        found.insert(0, None)
    return found


def role_definitions() -> list[dict]:
    """Every role: key, group name, description, the region (None: the first) and, for
    editors, the municipality."""
    roles = []
    for region in _regions():
        roles += _region_roles(region)
    return roles


def _region_roles(region) -> list[dict]:
    first = region is None or region.is_default
    municipalities = regions.municipalities_of(region)
    suffix = "" if first else f" {region.name}"
    roles = [
        {
            "key": editor_key(m),
            "name": f"Redaktører {m.name}",
            "description": (
                f"Kommunikasjonsmedarbeidere i {m.name} kommune. Kan redigere {m.name}s "
                "kommuneside og sidene under den, på norsk og engelsk, og sende dem til "
                "godkjenning. Kan ikke publisere. Bruker bilder og dokumenter i samlingen "
                f"«{m.name}» og ser rapporten over søk uten treff."
            ),
            "municipality": m,
            "region": region,
        }
        for m in municipalities
    ]
    roles.append(
        {
            "key": coordinator_key(region),
            "name": f"Regional koordinator{suffix}",
            "description": (
                "Regionens koordinator. Kan redigere, publisere, avpublisere, flytte og "
                "slette alle sider i regionen, godkjenner det redaktørene sender inn, "
                "starter og synkroniserer oversettelser, forvalter bilder og dokumenter, "
                "styrer søket (synonymer og forfremmede søkeresultater) og ser rapportene "
                "over søk uten treff og dataimporter."
            ),
            "municipality": None,
            "region": region,
        }
    )
    roles.append(
        {
            "key": translator_key(region),
            "name": f"Oversettere{suffix}",
            "description": (
                "Oversetter sidene fra norsk til engelsk i oversettelsesverktøyet. Kan "
                "ikke publisere, opprette, flytte eller slette sider; koordinatoren "
                "publiserer oversettelsene."
            ),
            "municipality": None,
            "region": region,
        }
    )
    return roles


@dataclass
class SetupReport:
    created_groups: list[str]
    missing_pages: list[str]
    changes: int

    @property
    def changed(self) -> bool:
        return bool(self.created_groups or self.changes)


def _permissions(app_label: str, codenames: list[str]) -> list[Permission]:
    found = list(
        Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )
    if len(found) != len(codenames):
        missing = set(codenames) - {p.codename for p in found}
        raise LookupError(f"Missing permissions {sorted(missing)} in {app_label}.")
    return found


def _app_permissions(by_app: dict[str, list[str]]) -> list[Permission]:
    return [p for app_label, codes in by_app.items() for p in _permissions(app_label, codes)]


@dataclass
class Grant:
    """Everything a group may do: its own permissions, and permissions on pages (each page
    and the pages below it) and on collections."""

    permissions: list[Permission]
    pages: list[Page]
    page_permissions: list[Permission]
    collections: list[Collection]
    collection_permissions: list[Permission]


class _Converger:
    """Brings a group's permissions to exactly a `Grant`, counting what it changes."""

    def __init__(self):
        self.changes = 0

    def grant(self, group: Group, grant: Grant) -> None:
        wanted = {p.pk for p in grant.permissions}
        if wanted != set(group.permissions.values_list("pk", flat=True)):
            group.permissions.set(grant.permissions)
            self.changes += 1
        self._rows(
            GroupPagePermission,
            group,
            "page_id",
            {(page.pk, p.pk) for page in grant.pages for p in grant.page_permissions},
        )
        self._rows(
            GroupCollectionPermission,
            group,
            "collection_id",
            {(c.pk, p.pk) for c in grant.collections for p in grant.collection_permissions},
        )

    def _rows(self, model, group: Group, target: str, wanted: set[tuple[int, int]]) -> None:
        """Make the group's rows of `model` (page or collection, permission) exactly `wanted`."""
        existing = {
            (getattr(row, target), row.permission_id): row.pk
            for row in model.objects.filter(group=group)
        }
        stale = [pk for key, pk in existing.items() if key not in wanted]
        if stale:
            model.objects.filter(pk__in=stale).delete()
            self.changes += len(stale)
        for target_id, permission_id in sorted(wanted - existing.keys()):
            model.objects.create(group=group, **{target: target_id}, permission_id=permission_id)
            self.changes += 1


def municipality_collection(municipality: Municipality) -> Collection:
    """The municipality's collection of images and documents, made if missing."""
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=municipality.name).first()
    return existing or root.add_child(name=municipality.name)


def municipality_pages(municipality: Municipality) -> list[Page]:
    """The municipality's page in every language (the Norwegian one and its translations)."""
    source = (
        MunicipalityPage.objects.filter(
            municipality_number=municipality.number, locale__language_code=SOURCE_LANGUAGE
        )
        .order_by("path")
        .first()
    )
    if source is None:
        return []
    return [source, *source.get_translations().order_by("locale__language_code")]


def translation_roots(region=None) -> list[Page]:
    """The home pages of every language except the source: where translators work (in
    `region`; in every region when None)."""
    pages = HomePage.objects.exclude(locale__language_code=SOURCE_LANGUAGE)
    if region is not None:
        pages = pages.filter(region.pages())
    return list(pages.order_by("path"))


def region_homes(region) -> list[Page]:
    """The region's home page in every language."""
    return list(Page.objects.filter(pk__in=[pk for _code, pk, _path in region.homes]))


def region_collection(region) -> Collection:
    """The collection of a region's own images and documents, made if missing."""
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=region.name).first()
    return existing or root.add_child(name=region.name)


def _grant_for(spec: dict, root_page: Page, root_collection: Collection) -> Grant:
    """What the role in `spec` may do, in the site as it is now."""
    region = spec.get("region")
    first = region is None or region.is_default
    if spec["key"] == coordinator_key(region):
        municipalities = [r["municipality"] for r in _region_roles(region) if r["municipality"]]
        return Grant(
            permissions=_app_permissions(COORDINATOR_PERMISSIONS),
            # A region's home pages: never another region's. Before the first region
            # exists, the root (where its home page is to be made).
            pages=region_homes(region) if region else [root_page],
            page_permissions=_permissions("wagtailcore", COORDINATOR_PAGE_PERMISSIONS),
            collections=[root_collection]
            if first
            else [region_collection(region), *map(municipality_collection, municipalities)],
            collection_permissions=_app_permissions(COORDINATOR_MEDIA_PERMISSIONS),
        )
    if spec["key"] == translator_key(region):
        return Grant(
            permissions=_app_permissions(TRANSLATOR_PERMISSIONS),
            pages=translation_roots(region),
            page_permissions=_permissions("wagtailcore", TRANSLATOR_PAGE_PERMISSIONS),
            collections=[],
            collection_permissions=[],
        )
    municipality = spec["municipality"]
    return Grant(
        permissions=_app_permissions(EDITOR_PERMISSIONS),
        pages=municipality_pages(municipality),
        page_permissions=_permissions("wagtailcore", EDITOR_PAGE_PERMISSIONS),
        collections=[municipality_collection(municipality)],
        collection_permissions=_app_permissions(EDITOR_MEDIA_PERMISSIONS),
    )


@transaction.atomic
def setup_roles() -> SetupReport:
    """Create or bring up to date the groups, their permissions and the workflow."""
    converger = _Converger()
    created_groups, missing_pages = [], []
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    collections_before = Collection.objects.count()

    groups = {}
    for spec in role_definitions():
        role = Role.objects.filter(key=spec["key"]).select_related("group").first()
        if role is None:
            group, created = Group.objects.get_or_create(name=spec["name"])
            if created:
                created_groups.append(group.name)
            role = Role.objects.create(group=group, key=spec["key"], description="")
            converger.changes += 1
        group = role.group
        number = spec["municipality"].number if spec["municipality"] else ""
        if (group.name, role.description, role.municipality_number) != (
            spec["name"],
            spec["description"],
            number,
        ):
            group.name = spec["name"]
            group.save(update_fields=["name"])
            role.description = spec["description"]
            role.municipality_number = number
            role.save(update_fields=["description", "municipality_number"])
            converger.changes += 1
        groups[spec["key"]] = group

        grant = _grant_for(spec, root_page, root_collection)
        if not grant.pages:
            missing_pages.append(spec["name"])
        converger.grant(group, grant)

    # A municipality's collection made just now is a change too.
    converger.changes += Collection.objects.count() - collections_before
    converger.changes += revoke_unsafe_translation_rights(root_page)
    for region in _regions():
        if region is None or region.is_default:
            # The first region's workflow covers the tree, pages outside every region too.
            converger.changes += setup_workflow(groups[COORDINATOR], [root_page])
        else:
            converger.changes += setup_workflow(
                groups[coordinator_key(region)], region_homes(region), region.name
            )
    return SetupReport(created_groups, missing_pages, converger.changes)


def revoke_unsafe_translation_rights(root_page: Page) -> int:
    """Take `submit_translation` from every group that may not publish the whole tree.

    wagtail-localize lets anyone with that permission synchronise a page's translations
    and publish them at once, without asking about the pages (Wagtail's default
    "Editors" group has it). `editorial.localize_guards` checks the pages too; this keeps
    the permission where it belongs in the first place.
    """
    permission = _permissions("wagtail_localize", ["submit_translation"])[0]
    # Those who may publish the whole tree, or a whole region (its home pages).
    homes = [pk for region in regions.all_regions() for _code, pk, _path in region.homes]
    publishers = GroupPagePermission.objects.filter(
        page_id__in=[root_page.pk, *homes], permission__codename="publish_page"
    ).values_list("group_id", flat=True)
    unsafe = permission.group_set.exclude(pk__in=list(publishers))
    count = 0
    for group in unsafe:
        group.permissions.remove(permission)
        count += 1
    return count


def setup_workflow(coordinator: Group, pages: list[Page], region_name: str = "") -> int:
    """One workflow for a region's pages (the first region's: the whole tree): its
    coordinator approves every submission."""
    changes = 0
    suffix = f" ({region_name})" if region_name else ""
    task_name, workflow_name = f"{TASK_NAME}{suffix}", f"{WORKFLOW_NAME}{suffix}"
    task = GroupApprovalTask.objects.filter(name=task_name).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=task_name)
        changes += 1
    if set(task.groups.values_list("pk", flat=True)) != {coordinator.pk}:
        task.groups.set([coordinator])
        changes += 1
    workflow = Workflow.objects.filter(name=workflow_name).first()
    former = (
        None if region_name else Workflow.objects.filter(name__in=FORMER_WORKFLOW_NAMES).first()
    )
    if workflow is None and former is not None:
        former.name = WORKFLOW_NAME
        former.save(update_fields=["name"])
        workflow = former
        changes += 1
    if workflow is None:
        workflow = Workflow.objects.create(name=workflow_name, active=True)
        changes += 1
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        changes += 1
    for page in pages:
        assignment = WorkflowPage.objects.filter(page=page).first()
        if assignment is None:
            WorkflowPage.objects.create(page=page, workflow=workflow)
            changes += 1
        elif assignment.workflow_id != workflow.pk:
            assignment.workflow = workflow
            assignment.save()
            changes += 1
    return changes
