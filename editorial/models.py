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


class BrokenLink(models.Model):
    """An external link in a published page that did not answer at the last check
    (`manage.py check_links`, nightly): what it answered and since when it has failed."""

    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="broken_links",
        verbose_name=_("page"),
    )
    url = models.URLField(_("address"), max_length=2000)
    # None when no answer came (an unknown host, a refused connection, a timeout).
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    problem = models.CharField(_("problem"), max_length=200)
    broken_since = models.DateTimeField(_("broken since"))
    checked_at = models.DateTimeField(_("checked"))

    class Meta:
        verbose_name = _("broken link")
        verbose_name_plural = _("broken links")
        ordering = ["page_id", "url"]
        constraints = [
            models.UniqueConstraint(fields=["page", "url"], name="broken_link_once_per_page")
        ]

    def __str__(self):
        return f"{self.url} ({self.problem})"
