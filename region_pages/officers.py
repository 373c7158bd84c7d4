"""Which municipality an officer works for: the municipality pages their groups may change
(`editorial.roles` grants each municipality's editors its page in every language). The
coordinator's permission is granted higher up, on the whole tree, so they have none."""

from wagtail.models import GroupPagePermission

from .models import MunicipalityPage


def own_municipality_pages(user) -> list[MunicipalityPage]:
    if not user.is_authenticated or user.is_superuser:
        return []
    granted = GroupPagePermission.objects.filter(
        group__in=user.groups.all(), permission__codename="change_page"
    ).values_list("page_id", flat=True)
    return list(
        MunicipalityPage.objects.filter(pk__in=granted).select_related("locale").order_by("path")
    )


def own_municipality_numbers(user) -> list[str]:
    return sorted({page.municipality_number for page in own_municipality_pages(user)})


def regions_of(user) -> list | None:
    """The regions in which the user may do anything to a page (a permission on a page in
    the region, or above it); None for a superuser: every region."""
    from . import regions

    if user.is_superuser:
        return None
    if not user.is_authenticated:
        return []
    paths = list(
        GroupPagePermission.objects.filter(group__in=user.groups.all()).values_list(
            "page__path", flat=True
        )
    )
    return [
        region
        for region in regions.all_regions()
        if any(
            path.startswith(home) or home.startswith(path)
            for path in paths
            for home in region.paths
        )
    ]
