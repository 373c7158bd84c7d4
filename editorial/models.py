"""What each editors' group is for, in words an administrator can read in the admin."""

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.Model):
    """A group made by `setup_roles`: its stable key, its description and its municipality.

    The group's permissions are set by `editorial.roles`; this row says what the group is
    for, so that an administrator does not have to read the permissions to find out.
    """

    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, related_name="editorial_role", verbose_name=_("group")
    )
    key = models.SlugField(max_length=40, unique=True, verbose_name=_("key"))
    description = models.TextField(verbose_name=_("description"))
    municipality_number = models.CharField(
        max_length=4, blank=True, verbose_name=_("municipality number")
    )

    class Meta:
        verbose_name = _("editorial role")
        verbose_name_plural = _("editorial roles")
        ordering = ["key"]

    def __str__(self):
        return self.group.name
