"""Questions about a user's editorial role that the admin hooks ask."""

from wagtail.models import GroupPagePermission, Site

from region_pages import regions

from .models import Role
from .roles import is_translator_key


def is_translator_only(user) -> bool:
    """Whether every group the user is in is the translators' group (superusers never are)."""
    if not user.is_authenticated or user.is_superuser:
        return False
    groups = list(user.groups.values_list("pk", flat=True))
    if not groups:
        return False
    translator_groups = {
        group_id
        for key, group_id in Role.objects.filter(group_id__in=groups).values_list("key", "group_id")
        if is_translator_key(key)
    }
    return translator_groups == set(groups)


def sites_coordinated(user) -> list[int]:
    """The sites of the regions whose home pages the user may publish (every site for a
    superuser): where they may keep webhooks and other per-region settings."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(Site.objects.values_list("pk", flat=True))
    published = set(
        GroupPagePermission.objects.filter(
            group__in=user.groups.all(), permission__codename="publish_page"
        ).values_list("page_id", flat=True)
    )
    return [
        region.site_id
        for region in regions.all_regions()
        if any(pk in published for _code, pk, _path in region.homes)
    ]
