"""A page's history, one line per revision an officer saved.

Wagtail's autosave keeps the draft in one revision while the officer types (each autosave
overwrites it), but logs an edit for every autosave: a quarter of an hour's writing would
fill the page's history with dozens of "Edited" lines for the same revision. When an edit
is logged for a revision that already has an edit line by the same person, the older line
goes: the history keeps the newest, at the time of the last save."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from wagtail.models import PageLogEntry

EDIT = "wagtail.edit"


@receiver(post_save, sender=PageLogEntry, dispatch_uid="editorial_one_edit_line_a_revision")
def one_edit_line_a_revision(sender, instance: PageLogEntry, created: bool, **kwargs) -> None:
    if not created or instance.action != EDIT or instance.revision_id is None:
        return
    PageLogEntry.objects.filter(
        page_id=instance.page_id,
        action=EDIT,
        revision_id=instance.revision_id,
        user_id=instance.user_id,
    ).exclude(pk=instance.pk).delete()
