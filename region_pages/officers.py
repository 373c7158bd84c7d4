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
