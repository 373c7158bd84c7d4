"""Questions about a user's editorial role that the admin hooks ask."""

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
