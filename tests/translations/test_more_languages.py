"""Adding Nynorsk is configuration plus catalogues, not code."""

from wagtail.models import Locale

import pytest

from tests.sitemaps import sitemap_text
from translations.status import Status, page_statuses

from .conftest import translate

WITH_NYNORSK = [("nb", "Norsk bokmål"), ("nn", "Norsk nynorsk"), ("en", "English")]


@pytest.fixture
def nynorsk(settings, locales):
    settings.LANGUAGES = WITH_NYNORSK
    settings.WAGTAIL_CONTENT_LANGUAGES = WITH_NYNORSK
    settings.WAGTAILADMIN_PERMITTED_LANGUAGES = WITH_NYNORSK
    Locale.objects.get_or_create(language_code="nn")


def test_a_page_can_be_translated_to_nynorsk_and_served_under_nn(client, nynorsk, home, rana):
    translate(home)
    translate(home, language="nn", texts={"Ranaregionen": "Ranaregionen"})
    english = translate(rana)
    texts = {"Rana er en industrikommune.": "Rana er ein industrikommune."}
    nynorsk_rana = translate(rana, language="nn", texts=texts)
    assert nynorsk_rana.url == "/nn/rana/"
    response = client.get("/nn/rana/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nn">' in html
    assert "Rana er ein industrikommune." in html
    assert '<meta property="og:locale" content="nn_NO">' in html
    assert 'hreflang="nn" href="http://testserver/nn/rana/"' in html
    # The switcher on the Norwegian and English pages lists Nynorsk.
    for page in (rana, english):
        switcher = client.get(page.url).content.decode().split('class="language-switcher"')[1]
        assert 'href="/nn/rana/" hreflang="nn"' in switcher
    sitemap = sitemap_text(lambda path: client.get(path).content)
    assert "http://testserver/nn/rana/" in sitemap


def test_the_status_matrix_and_accept_language_know_nynorsk(client, nynorsk, home, rana):
    translate(home)
    translate(rana)
    languages = {row.language for row in page_statuses()}
    assert languages == {"nn", "en"}
    assert {row.status for row in page_statuses(languages=["nn"])} == {Status.MISSING}
    assert client.get("/", headers={"accept-language": "nn-NO"})["Location"] == "/nn/"


def test_without_nynorsk_configured_nn_readers_get_bokmal(client, db):
    assert client.get("/", headers={"accept-language": "nn-NO"})["Location"] == "/nb/"


def test_a_nynorsk_page_not_translated_yet_is_named_in_the_switcher(client, nynorsk, home, rana):
    translate(home)
    translate(rana)
    switcher = client.get(rana.url).content.decode().split('class="language-switcher"')[1]
    switcher = switcher.split("</nav>")[0]
    assert '<li lang="nn" class="language-switcher__missing">' in switcher
