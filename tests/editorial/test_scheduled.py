"""Reports → Scheduled publishing: the coordinator sees what goes live and what expires in
the region, soonest first; an officer sees their own pages'."""

import csv
import io
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

import pytest
from bs4 import BeautifulSoup

from editorial.scheduled import scheduled_for

from ..conftest import publish

pytestmark = pytest.mark.django_db


def test_the_coordinator_sees_what_goes_live_and_what_expires_soonest_first(
    region, django_assert_max_num_queries
):
    now = timezone.now()
    rana = region.rana
    rana.intro = "Nytt fra mars."
    rana.save_revision(
        user=region.users["coordinator"], approved_go_live_at=now + timedelta(days=3)
    )
    article = region.article  # Lurøy's
    article.expire_at = now + timedelta(days=1)
    publish(article)

    coordinator = region.users["coordinator"]
    scheduled_for(coordinator)  # the user's page permissions, cached after the first call
    with django_assert_max_num_queries(4):
        rows = scheduled_for(coordinator)
    assert [(row.page_id, row.action) for row in rows] == [
        (article.pk, "expire"),
        (rana.pk, "publish"),
    ]
    assert rows[1].by == (coordinator.get_full_name() or coordinator.get_username())

    client = Client(headers={"accept-language": "nb"})
    client.force_login(coordinator)
    html = client.get(reverse("editorial_scheduled"))
    assert html.status_code == 200
    bodies = BeautifulSoup(html.content, "html.parser").find_all("tbody")
    text = " ".join(" ".join(body.get_text() for body in bodies).split())
    assert date_format(timezone.localtime(now + timedelta(days=3)), "SHORT_DATETIME_FORMAT") in text
    assert text.index(article.title) < text.index("Rana")
    assert "Publiseres" in text and "Utløper" in text
    export = client.get(reverse("editorial_scheduled"), {"export": "csv"})
    lines = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert [line[1] for line in lines[1:]] == ["expire", "publish"]

    # Rana's officer sees Rana's, not Lurøy's.
    assert [row.page_id for row in scheduled_for(region.users["editor_rana"])] == [rana.pk]
