"""The status report and its CSV export cost the same number of queries for 5 pages as
for 25, in every status, for the coordinator (who sees the review buttons)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail_localize.models import StringTranslation

from tests import factories
from translations.status import Status, counts, page_statuses

from .conftest import publish, sync, translate

# The admin's menu asks whether the user may change the region settings (site settings'
# permissions): one query of the 33; the user's regions (their page permissions and the
# regions, kept under the content version): two more.
REPORT_BUDGET = 36  # 3 of them the plain-language scores (latest revisions, list, findings)
EXPORT_BUDGET = 27  # with the query of the user's regions (their page permissions)


def add_pages(home, start, stop):
    """Article pages in turn missing, in sync, out of date, machine-translated and partly
    translated, so that every status grows with the number of pages."""
    for index in range(start, stop):
        page = publish(
            factories.ArticlePageFactory(
                parent=home, slug=f"side-{index}", intro=f"Ingress {index}."
            )
        )
        kind = index % 5
        if kind == 0:
            continue
        english = translate(page)
        if kind == 2:
            page.intro = f"Endret ingress {index}."
            publish(page)
        elif kind == 3:
            StringTranslation.objects.filter(
                locale=english.locale, context__object_id=page.translation_key
            ).update(translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE)
        elif kind == 4:
            page.intro = f"Ny ingress {index}."
            publish(page)
            sync(page)


def report_and_export_queries(client):
    url = reverse("translations_status_report")
    client.get(url)  # warm the admin's per-process caches
    with CaptureQueriesContext(connection) as report:
        response = client.get(url)
    assert response.status_code == 200
    with CaptureQueriesContext(connection) as export:
        csv = client.get(url, {"export": "csv"})
        body = b"".join(csv.streaming_content)
    return len(report), len(export), response.content.decode(), body.decode("utf-8-sig")


def test_the_report_and_export_cost_the_same_for_5_and_25_pages(
    client, people, home, django_assert_max_num_queries
):
    client.force_login(people.coordinator)
    add_pages(home, 0, 5)  # one page in each status
    report_few, export_few, html, body = report_and_export_queries(client)
    assert html.count('data-status="machine"') == 1 and "translation-review" in html
    assert len(body.strip().splitlines()) == 1 + len(page_statuses())

    add_pages(home, 5, 25)  # five times as many
    report_many, export_many, html, body = report_and_export_queries(client)
    summary = counts(page_statuses())
    assert summary[Status.MACHINE] == 5 and summary[Status.OUTDATED] == 5
    assert summary[Status.INCOMPLETE] == 5 and summary[Status.IN_SYNC] >= 5
    assert html.count('class="translation-review"') == 5
    assert len(body.strip().splitlines()) == 1 + len(page_statuses())

    assert (report_many, export_many) == (report_few, export_few)
    url = reverse("translations_status_report")
    with django_assert_max_num_queries(REPORT_BUDGET):
        client.get(url)
    with django_assert_max_num_queries(EXPORT_BUDGET):
        b"".join(client.get(url, {"export": "csv"}).streaming_content)
