"""Announcing vacancies in the partner API's change feed (`region_pages.ChangeEvent`).

A vacancy is the same in both languages (only its labels are translated), so each change
is announced once per language, as entries are. Events are written in the transaction
of the sync that caused them, with the feed's writer lock held so that sequence numbers
follow commit order.
"""

from django.conf import settings
from django.utils import timezone

from region_pages import changes
from region_pages.models import ChangeAction, ChangeEvent, ResourceType

# Vacancies do not belong to a page; the feed's page column holds 0 for them.
NO_PAGE = 0


def announce_vacancies(published: list[str], removed: list[str]) -> int:
    if not published and not removed:
        return 0
    changes.serialise_writers()
    now = timezone.now()
    events = [
        ChangeEvent(
            resource_type=ResourceType.VACANCY,
            resource_id=vacancy_id,
            language_code=language,
            translation_key=vacancy_id,
            action=action,
            page_id=NO_PAGE,
            occurred_at=now,
        )
        for action, ids in ((ChangeAction.PUBLISHED, published), (ChangeAction.DELETED, removed))
        for vacancy_id in sorted(ids)
        for language, _name in settings.LANGUAGES
    ]
    ChangeEvent.objects.bulk_create(events, batch_size=1000)
    return len(events)
