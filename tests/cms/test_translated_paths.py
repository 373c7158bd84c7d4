"""English pages have English addresses; an address in the other language's words redirects.

The slug is a translated field: the translator gives `arbeid` its English `work`, and the
English page is `/en/jobs/`. `/en/arbeid/` (the English address before English slugs, or a
guess from the Norwegian one) answers with a permanent redirect to it, and so does
`/nb/jobs/` to `/nb/arbeid/`. A changed English slug leaves a redirect behind too
(Wagtail's redirects), so an old link or bookmark never ends on a 404.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.contrib.redirects.models import Redirect

import pytest
from bs4 import BeautifulSoup

from ..conftest import publish, translate
from ..factories import ArticlePageFactory, ThemePageFactory

pytestmark = pytest.mark.django_db

ENGLISH = {"arbeid": "jobs", "Jobb": "Work"}


@pytest.fixture
def work(home):
    """/nb/arbeid/ with a child article, and both in English under English slugs."""
    translate(home)
    theme = publish(ThemePageFactory(parent=home, slug="arbeid", title="Jobb"))
    article = publish(ArticlePageFactory(parent=theme, slug="ledige-stillinger"))
    english = translate(theme, texts=ENGLISH)
    english_article = translate(article, texts={"ledige-stillinger": "vacancies"})
    return theme, english, article, english_article


def test_the_translated_slug_is_the_english_address(client, work):
    theme, english, _article, english_article = work
    assert (english.slug, english.url) == ("jobs", "/en/jobs/")
    assert english_article.url == "/en/jobs/vacancies/"
    assert theme.url == "/nb/arbeid/"

    soup = BeautifulSoup(client.get("/en/jobs/").content, "html.parser")
    alternates = {link["hreflang"]: link["href"] for link in soup.find_all("link", hreflang=True)}
    assert alternates["nb"].endswith("/nb/arbeid/")
    assert alternates["en"].endswith("/en/jobs/")
    switcher = soup.find("nav", class_="language-switcher")
    assert switcher.find("a", href="/nb/arbeid/")


@pytest.mark.parametrize(
    ("asked", "answer"),
    [
        ("/en/arbeid/", "/en/jobs/"),
        ("/en/arbeid/ledige-stillinger/", "/en/jobs/vacancies/"),
        ("/nb/jobs/", "/nb/arbeid/"),
        ("/nb/jobs/vacancies/", "/nb/arbeid/ledige-stillinger/"),
        ("/en/arbeid/?kommune=rana", "/en/jobs/?kommune=rana"),
    ],
)
def test_an_address_in_the_other_languages_words_redirects_for_good(client, work, asked, answer):
    response = client.get(asked)
    assert response.status_code == 301
    assert response["Location"] == answer
    assert client.get(answer).status_code == 200


def test_no_redirect_where_the_language_asked_for_has_no_live_version(client, work):
    english_article = work[3]
    english_article.unpublish()
    assert client.get("/en/arbeid/ledige-stillinger/").status_code == 404
    assert client.get("/en/jobs/vacancies/").status_code == 404
    # The Norwegian page itself is not offered in its place: the reader asked for English.
    lonely = publish(ArticlePageFactory(parent=work[0], slug="bare-norsk"))
    assert lonely.url == "/nb/arbeid/bare-norsk/"
    assert client.get("/en/arbeid/bare-norsk/").status_code == 404
    assert client.get("/en/jobs/").status_code == 200


def test_only_reads_are_redirected_and_a_plain_404_costs_two_queries_more(client, work, settings):
    assert client.post("/en/arbeid/").status_code in {404, 405}

    def queries() -> int:
        client.get("/en/finnes-ikke/")  # caches filled once
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/en/finnes-ikke/").status_code == 404
        return len(captured)

    with_lookup = queries()
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if name != "cms.middleware.TranslatedPathMiddleware"
    ]
    assert with_lookup <= queries() + 2


def test_a_changed_english_slug_leaves_a_redirect_behind(
    client, home, django_capture_on_commit_callbacks
):
    translate(home)
    theme = publish(ThemePageFactory(parent=home, slug="fritid", title="Fritid"))
    first = translate(theme, texts={"fritid": "spare-time"})
    assert first.url == "/en/spare-time/"

    # Wagtail makes the redirect once the slug's change is committed.
    with django_capture_on_commit_callbacks(execute=True):
        second = translate(theme, texts={"fritid": "leisure"})
    assert second.url == "/en/leisure/"
    assert list(Redirect.objects.values_list("old_path", "redirect_page_id")) == [
        ("/en/spare-time", second.pk)
    ]
    response = client.get("/en/spare-time/")
    assert response.status_code == 301
    assert response["Location"] == "/en/leisure/"
