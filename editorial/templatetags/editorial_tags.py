"""Template tags of the editors' admin."""

from django import template

from wagtail.models import TaskState

register = template.Library()


@register.simple_tag
def approval_comment(page) -> str:
    """The comment the coordinator left when approving `page` last (Wagtail's approval
    e-mail does not carry it; the rejection's does)."""
    if page is None:
        return ""
    approved = (
        TaskState.objects.filter(
            workflow_state__object_id=str(page.pk), status=TaskState.STATUS_APPROVED
        )
        .exclude(comment="")
        .order_by("-finished_at", "-pk")
        .values_list("comment", flat=True)
        .first()
    )
    return approved or ""
