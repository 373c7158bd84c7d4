"""Announcing vacancies in the partner API's change feed (`region_pages.ChangeEvent`).

A vacancy is the same in both languages (only its labels are translated), so each change
is announced once per language, as entries are. The event's page is the municipality
page, in that language, that lists the vacancy; none (null) when the municipality has no
live page in that language. Events are written in the transaction of the sync that
caused them, with the feed's writer lock held so that sequence numbers follow commit
order.
"""

from django.conf import settings
from django.utils import timezone

from region_pages import changes, regions
from region_pages.models import ChangeAction, ChangeEvent, MunicipalityPage, ResourceType


def listing_pages(numbers) -> dict[tuple[str, str], int]:
    """{(municipality number, language): the live municipality page listing its vacancies}."""
    rows = (
        MunicipalityPage.objects.live()
        .filter(municipality_number__in=set(numbers))
        .order_by("pk")
        .values_list("municipality_number", "locale__language_code", "pk")
    )
    found: dict[tuple[str, str], int] = {}
    for number, language, page_id in rows:
        found.setdefault((number, language), page_id)
    return found


def announce_vacancies(published: dict[str, str], removed: dict[str, str]) -> int:
    """Write the events for the vacancies `published` (new or changed) and `removed`,
    each given as {vacancy id: municipality number}."""
    if not published and not removed:
        return 0
    changes.serialise_writers()
    now = timezone.now()
    pages = listing_pages({*published.values(), *removed.values()})
    events = [
        ChangeEvent(
            resource_type=ResourceType.VACANCY,
            resource_id=vacancy_id,
            language_code=language,
            translation_key=vacancy_id,
            action=action,
            page_id=pages.get((vacancies[vacancy_id], language)),
            site_id=regions.site_for_number(vacancies[vacancy_id]),
            occurred_at=now,
        )
        for action, vacancies in (
            (ChangeAction.PUBLISHED, published),
            (ChangeAction.DELETED, removed),
        )
        for vacancy_id in sorted(vacancies)
        for language, _name in settings.LANGUAGES
    ]
    ChangeEvent.objects.bulk_create(events, batch_size=1000)
    return len(events)
