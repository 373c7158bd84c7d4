"""The content version: one number that moves on with every change to what the site or the
API may answer.

Publishing, unpublishing, moving, deleting and privacy changes of pages, a run of the open
data pipeline, and changes to search synonyms and promotions all bump it, in their own
transaction. Every cache key and every validator of cached content derives from it
(`region_pages.versions`): once a change commits, nothing cached under the old number is
served again, in any process, whatever the cache backend holds or has lost.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentVersion(models.Model):
    """A single row. Kept in the database, not in Redis, so that it survives an evicted key
    and a Redis outage, and commits or rolls back with the change that bumped it."""

    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("content version")
        verbose_name_plural = _("content versions")

    def __str__(self):
        return str(self.version)
