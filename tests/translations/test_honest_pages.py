"""An English reader never meets Norwegian text presented as English."""

import re

from django.utils import translation

from wagtail_localize.models import StringTranslation

from region_pages import versions
from tests import factories
from tests.sitemaps import sitemap_text
from translations.coverage import gaps_for, gaps_for_pages
from translations.models import Coverage

from .conftest import publish, sync, translate


def html_of(client, page):
    response = client.get(page.url)
    assert response.status_code == 200, page.url
    return response.content.decode()


def test_a_fully_translated_page_has_no_notice_and_no_norwegian_marks(client, home, rana):
    translate(home)
    english = translate(rana)
    html = html_of(client, english)
    assert 'class="translation-notice"' not in html
    main = html.split('<main id="main"', 1)[1]
    assert 'lang="nb"' not in main


def test_an_untranslated_block_carries_lang_nb_and_an_english_notice(client, home, rana):
    translate(home)
    translate(rana)
    body = rana.body.raw_data
    body[0]["value"] = "<p>Helt ny norsk tekst.</p>"
    rana.body = body
    publish(rana)
    english = sync(rana)
    block_id = body[0]["id"]
    coverage = Coverage.objects.get(revision_id=english.live_revision_id)
    assert coverage.missing_paths == [f"body.{block_id}"]
    html = html_of(client, english)
    section = re.search(rf'<section[^>]*id="block-{block_id}"[^>]*>(.*?)</section>', html, re.S)
    assert section is not None
    assert 'lang="nb"' in section.group(0).split(">")[0]
    assert "Helt ny norsk tekst." in section.group(1)
    assert 'class="translation-notice" lang="en"' in section.group(1)
    assert "This part has not been translated yet and is shown in Norwegian." in section.group(1)
    # The other blocks are translated and unmarked.
    assert html.count('class="translation-notice"') == 1


def test_an_untranslated_intro_is_marked_on_an_article(client, home):
    translate(home)
    article = publish(factories.ArticlePageFactory(parent=home, slug="bolig", intro="Om bolig."))
    english = translate(article)
    article.intro = "Alt om å finne bolig."
    publish(article)
    english = sync(article)
    html = html_of(client, english)
    assert '<p class="lead" lang="nb">Alt om å finne bolig.</p>' in html
    assert 'class="translation-notice" lang="en"' in html
    assert "<h1>EN: " in html  # the title stays translated and unmarked


def test_translating_the_missing_part_and_publishing_removes_the_mark(client, home):
    translate(home)
    article = publish(factories.ArticlePageFactory(parent=home, slug="skole", intro="Om skole."))
    translate(article)
    article.intro = "Alt om skole."
    publish(article)
    english = sync(article)
    assert 'lang="nb">Alt om skole.' in html_of(client, english)
    english = translate(article, texts={"Alt om skole.": "All about school."})
    html = html_of(client, english)
    assert "All about school." in html
    assert "translation-notice" not in html


def test_a_page_edited_by_hand_has_no_coverage_record_and_no_marks(client, home, rana):
    translate(home)
    english = translate(rana)
    english.intro = "Written by hand."
    english.save_revision().publish()
    english.refresh_from_db()
    assert not Coverage.objects.filter(revision_id=english.live_revision_id).exists()
    assert "translation-notice" not in html_of(client, english)


def test_the_switcher_on_a_norwegian_only_page_says_so_in_english(client, home):
    translate(home)
    lonely = publish(factories.ArticlePageFactory(parent=home, slug="bare-norsk"))
    html = html_of(client, lonely)
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    assert 'lang="en"' in switcher
    assert "this page has not been translated yet." in switcher
    assert 'href="/en/"' in switcher


def test_an_english_address_of_a_norwegian_only_page_links_to_the_norwegian_page(client, home):
    translate(home)
    lonely = publish(
        factories.ArticlePageFactory(parent=home, slug="bare-norsk", title="Bare norsk")
    )
    response = client.get("/en/bare-norsk/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "This page has not been translated yet" in html
    assert "This page is only available in Norwegian for now." in html
    assert f'href="{lonely.url}" hreflang="nb"' in html
    assert '<span lang="nb">Bare norsk</span>' in html
    # An address that exists in no language is the plain 404.
    other = client.get("/en/finnes-ikke/").content.decode()
    assert "Page not found" in other and "not been translated" not in other


def test_hreflang_and_sitemap_list_only_versions_that_exist(client, home):
    translate(home)
    lonely = publish(factories.ArticlePageFactory(parent=home, slug="bare-norsk"))
    both = publish(factories.ArticlePageFactory(parent=home, slug="begge"))
    english = translate(both)
    html = html_of(client, lonely)
    assert 'hreflang="nb"' in html
    assert not re.search(r'<link rel="alternate" hreflang="en"', html)
    html = html_of(client, english)
    alternate = '<link rel="alternate" hreflang="{}" href="http://testserver/{}/begge/"'
    assert alternate.format("en", "en") in html
    assert alternate.format("x-default", "nb") in html
    assert '<meta property="og:locale" content="en_GB">' in html
    assert '<meta property="og:locale" content="nb_NO">' in html_of(client, both)
    # An English draft (machine-translated, not reviewed) is in neither.
    draft = publish(factories.ArticlePageFactory(parent=home, slug="utkast-en"))
    translate(draft).unpublish()
    sitemap = sitemap_text(lambda path: client.get(path).content)
    assert "/en/bare-norsk/" not in sitemap and "/en/utkast-en/" not in sitemap
    assert "/en/begge/" in sitemap and "/nb/utkast-en/" in sitemap


def test_numbers_and_choice_labels_follow_the_language(client, home, rana):
    translate(home)
    english = translate(rana)
    nb_html = html_of(client, rana)
    en_html = html_of(client, english)
    assert "2\xa0345" in nb_html or "2 345" in nb_html
    assert "2,345" in en_html
    assert "Industri og prosessindustri" in nb_html or "prosessindustri" in nb_html.lower()
    assert "Manufacturing and process industry" in en_html


def test_errors_in_a_string_translation_fall_back_and_are_marked(client, home):
    translate(home)
    article = publish(factories.ArticlePageFactory(parent=home, slug="feil", intro="Feil her."))
    translate(article)
    StringTranslation.objects.filter(data="EN: Feil her.").update(has_error=True)
    english = sync(article)
    assert 'lang="nb">Feil her.' in html_of(client, english)


def test_finding_the_untranslated_parts_costs_one_query_and_none_in_norwegian(
    home, rana, django_assert_num_queries
):
    english = translate(rana)
    with versions.read_once():
        versions.token()  # as a request has read the content version
        with translation.override("en"), django_assert_num_queries(1):
            assert not gaps_for(english)
        # The next reader of the page (another object of it) finds them kept.
        again = type(english).objects.get(pk=english.pk)
        with translation.override("en"), django_assert_num_queries(0):
            assert not gaps_for(again)
    with translation.override("nb"), django_assert_num_queries(0):
        assert not gaps_for(rana)


def test_cards_on_the_english_home_mark_an_untranslated_intro(
    client, home, rana, nesna, django_assert_max_num_queries
):
    english_home = translate(home)
    translate(nesna)
    translate(rana)
    rana.intro = "Ny norsk ingress."
    publish(rana)
    sync(rana)
    html = html_of(client, english_home)
    assert '<p lang="nb">Ny norsk ingress.</p>' in html
    assert "<p>EN: Nesna er en kystkommune.</p>" in html
    english_rana = rana.get_translation(english_home.locale)
    with translation.override("en"), django_assert_max_num_queries(1):
        gaps = gaps_for_pages([english_rana, english_home])
    assert list(gaps) == [english_rana.pk]
