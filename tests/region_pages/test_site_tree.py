"""The public site built once for the module: every page type in both languages, translation, the
sitemap, theme filters (the rest of the site's tests are in test_site.py)."""

import re
from urllib.parse import urlsplit

import defusedxml.ElementTree as ET
import pytest
from bs4 import BeautifulSoup

from region_pages import regions, sitemap
from region_pages.models import Entry, MunicipalityPage, Theme
from tests import factories
from tests.conftest import publish, shared_for_the_module, translate
from tests.regions import municipality
from tests.sitemaps import NS, sitemap_text


def build_site_tree(home):
    """A small region in Norwegian, translated to English: one page of each type."""
    rana = municipality(
        home,
        "rana",
        population=26000,
        population_year=2024,
        body=[
            factories.paragraph("Rana er en industrikommune."),
            factories.industry(),
            factories.leisure(name="Svartisen", seasons=["summer"]),
            factories.school(name="Ytteren skole"),
        ],
    )
    work = publish(
        factories.ThemePageFactory(parent=home, title="Arbeid", slug="arbeid", theme=Theme.WORK)
    )
    leisure = publish(
        factories.ThemePageFactory(parent=home, title="Fritid", slug="fritid", theme=Theme.LEISURE)
    )
    growing = publish(
        factories.ThemePageFactory(
            parent=home, title="Oppvekst", slug="oppvekst", theme=Theme.GROWING_UP
        )
    )
    article = publish(
        factories.ArticlePageFactory(parent=home, title="Flytte hit", slug="flytte-hit")
    )
    pages = [home, rana, work, leisure, growing, article]
    english = [translate(page) for page in pages]
    return {"nb": pages, "en": english}


def shared_site_tree():
    """The fixtures of a module whose tests all read `site_tree` (built once for them)."""
    return shared_for_the_module(
        build_site_tree, name="site_tree", home_of=lambda tree: tree["nb"][0]
    )


# Every test here reads the same small region: built once for the module.
_region_of_the_module, site_tree, home = shared_site_tree()


@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_page_type_renders_in_both_languages(client, site_tree, language):
    for page in site_tree[language]:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        html = response.content.decode()
        assert f'<html lang="{language}">' in html
        assert f"<h1>{page.title}</h1>" in html
        assert '<link rel="canonical"' in html
        assert re.search(r'hreflang="nb" href="http://testserver/nb/', html)
        assert re.search(r'hreflang="en" href="http://testserver/en/', html)
        assert 'property="og:title"' in html
        assert 'href="#main"' in html  # skip link
        assert not response.cookies, "public pages set no cookies"


def test_page_urls_live_under_the_language_prefix(site_tree):
    assert [p.url for p in site_tree["nb"][:2]] == ["/nb/", "/nb/rana/"]
    assert [p.url for p in site_tree["en"][:2]] == ["/en/", "/en/rana/"]


def test_the_language_switcher_leads_to_the_same_page_in_the_other_language(client, site_tree):
    html = client.get("/nb/rana/").content.decode()
    switcher = html[html.index('class="language-switcher"') :]
    assert 'href="/en/rana/" hreflang="en"' in switcher[: switcher.index("</nav>")]


@pytest.mark.parametrize(
    ("url", "other"),
    [
        # A theme page's filter stays chosen in the other language.
        ("/nb/arbeid/?kommune=1833", "/en/arbeid/?kommune=1833"),
        ("/en/fritid/?kommune=1833&season=winter", "/nb/fritid/?kommune=1833&amp;season=winter"),
        # Search is no Wagtail page: its translated address, with the query.
        ("/nb/sok/?q=skole", "/en/search/?q=skole"),
        ("/en/search/?q=school", "/nb/sok/?q=school"),
        # A page that does not exist: the other language's front page.
        ("/en/no-such-page/", "/nb/"),
    ],
)
def test_the_language_switcher_keeps_the_address_and_the_query(client, site_tree, url, other):
    html = client.get(url).content.decode()
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    assert f'href="{other}"' in switcher


def test_the_municipality_page_shows_facts_and_blocks_with_anchors(client, site_tree):
    rana = site_tree["nb"][1]
    html = client.get("/nb/rana/").content.decode()
    assert "1833" in html
    assert "26\xa0000" in html or "26 000" in html  # Norwegian digit grouping
    assert f'id="block-{rana.body[3].id}"' in html
    assert "Ytteren skole" in html
    english = client.get("/en/rana/").content.decode()
    assert "26,000" in english


@pytest.mark.parametrize(
    ("language", "headings"),
    [
        ("nb", ["Fakta", "Arbeid og næringsliv", "Skoler og barnehager", "Fritid", "Kontakt"]),
        ("en", ["Facts", "Work and industries", "Schools and kindergartens", "Leisure", "Contact"]),
    ],
)
def test_the_municipality_page_is_in_headed_sections_whatever_the_blocks_order(
    client, site_tree, language, headings
):
    """The editor put the leisure activity before the school; readers get the
    introduction, the facts, then work, schools, leisure and contact, each under its
    heading, and a list of the sections at the top."""
    soup = BeautifulSoup(client.get(f"/{language}/rana/").content, "html.parser")
    main = soup.find("main")
    # The introducing text, then the sections (the vacancies inside the work section).
    assert (
        main.find("div", class_="rich-text")
        in main.find("nav", class_="page-contents").find_all_next()
    )
    assert [h2.get_text(strip=True) for h2 in main.find_all("h2")] == headings
    assert [
        a.get_text(strip=True) for a in main.find("nav", class_="page-contents").find_all("a")
    ] == headings
    for section, block_class in (
        ("work", "industry"),
        ("schools", "school"),
        ("leisure", "leisure"),
    ):
        part = main.find("section", attrs={"aria-labelledby": f"{section}-heading"})
        # The block's own heading is one level below its section's.
        assert part.find("div", class_=block_class).find(["h2", "h3"]).name == "h3"
    work = main.find("section", attrs={"aria-labelledby": "work-heading"})
    assert work.find("h3", id="vacancies-heading")
    contact = main.find("section", attrs={"aria-labelledby": "contact-heading"})
    assert contact.find("a", href="https://www.rana.kommune.no/")


def test_english_translation_keeps_every_non_translatable_field(site_tree):
    source = site_tree["nb"][1]
    target = MunicipalityPage.objects.get(pk=site_tree["en"][1].pk)
    assert target.translation_key == source.translation_key
    assert target.locale.language_code == "en"
    for field in ("municipality_number", "population", "population_year", "website", "slug"):
        assert getattr(target, field) == getattr(source, field), field
    assert target.title == "EN: Rana"
    for source_block, target_block in zip(source.body, target.body, strict=True):
        assert source_block.id == target_block.id
        assert source_block.block_type == target_block.block_type
    school = target.body[3].value
    assert school["name"] == "EN: Ytteren skole"
    assert school["org_number"] == "974760673"
    assert school["level"] == "primary"
    assert school["pupils"] == 120
    assert school["coordinates"]["latitude"] == 66.31
    assert school["website"] == "https://www.rana.kommune.no/"


def test_the_english_page_publishes_its_own_entries(site_tree):
    english = Entry.objects.filter(locale__language_code="en", kind="school").get()
    norwegian = Entry.objects.filter(locale__language_code="nb", kind="school").get()
    assert english.name == "EN: Ytteren skole"
    assert english.block_id == norwegian.block_id
    assert english.translation_key == norwegian.translation_key
    assert english.data["level_label"] == "Primary school (years 1–7)"
    assert norwegian.data["level_label"] != english.data["level_label"]


@pytest.mark.parametrize(("slug", "expected"), [("arbeid", "industry"), ("oppvekst", "school")])
def test_theme_pages_list_the_regions_entries_from_the_read_model(
    client, site_tree, slug, expected
):
    response = client.get(f"/nb/{slug}/")
    html = response.content.decode()
    entry = Entry.objects.get(locale__language_code="nb", kind=expected)
    assert f'href="/nb/rana/#block-{entry.block_id}"' in html
    assert entry.name in html


def test_the_leisure_theme_groups_activities_by_season(client, site_tree):
    html = client.get("/en/fritid/").content.decode()
    summer = html.index(">Summer</h2>")
    autumn = html.index(">Autumn</h2>")
    assert summer < html.index("EN: Svartisen", summer) < autumn


def test_the_leisure_theme_filters_by_municipality_and_season(client, site_tree, home):
    municipality(home, "hemnes", body=[factories.leisure(name="Okstindan", seasons=["winter"])])

    def shown(query=""):
        soup = BeautifulSoup(client.get(f"/nb/fritid/{query}").content, "html.parser")
        names = {h3.get_text(strip=True) for h3 in soup.select("ul.entry-list h3")}
        seasons = [h2.get_text(strip=True) for h2 in soup.select("main section > h2")]
        return names, seasons, soup.find(id="entries-count").get_text(strip=True)

    names, seasons, count = shown()
    assert names == {"Svartisen", "Okstindan"}
    assert seasons == ["Vinter", "Vår", "Sommer", "Høst"]
    assert count == "Viser 2 oppføringer"

    names, seasons, count = shown("?kommune=1833")
    assert names == {"Svartisen"} and count == "Viser 1 oppføring"
    names, seasons, _count = shown("?sesong=winter")
    assert names == {"Okstindan"} and seasons == ["Vinter"]
    names, _seasons, _count = shown("?kommune=1833&sesong=winter")
    assert names == set()
    # The form shows what is chosen, and offers the way back.
    html = client.get("/nb/fritid/?kommune=1832&sesong=winter").content.decode()
    assert '<option value="1832" selected>Hemnes</option>' in html
    assert '<option value="winter" selected>' in html
    assert 'href="/nb/fritid/#entries-count">Vis alt</a>' in html
    # Values that are not offered are ignored, not an error.
    names, seasons, _count = shown("?kommune=0301&sesong=monsun")
    assert names == {"Svartisen", "Okstindan"} and len(seasons) == 4


def test_the_other_themes_filter_by_municipality_but_not_season(client, site_tree):
    html = client.get("/nb/oppvekst/?kommune=1833&sesong=winter").content.decode()
    assert 'name="sesong"' not in html
    assert "Ytteren skole" in html


def test_theme_pages_cost_a_fixed_number_of_queries(
    client, site_tree, django_assert_max_num_queries
):
    client.get("/nb/oppvekst/?warm")  # warms the site root paths and the menu cache
    # Rendered (its parts are not kept for this address yet); one of the queries reads
    # the content version, once for the whole request.
    with django_assert_max_num_queries(10):
        client.get("/nb/oppvekst/")
    # Its parts and its route kept: the content version and the page itself.
    with django_assert_max_num_queries(2):
        client.get("/nb/oppvekst/")


class TestSitemap:
    NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}

    def test_lists_every_page_in_both_languages_with_alternates(self, client, site_tree):
        index = client.get("/sitemap.xml")
        assert index["Content-Type"].startswith("application/xml")
        assert [loc.text for loc in ET.fromstring(index.content).iter(f"{{{NS}}}loc")] == [
            "http://testserver/sitemap-1.xml"
        ]
        response = client.get("/sitemap-1.xml")
        assert response["Content-Type"].startswith("application/xml")
        urls = ET.fromstring(response.content).findall("s:url", self.NS)
        locations = {url.find("s:loc", self.NS).text for url in urls}
        expected = {f"http://testserver{p.url}" for p in site_tree["nb"] + site_tree["en"]}
        assert locations == expected
        for url in urls:
            alternates = {
                link.get("hreflang"): link.get("href") for link in url.findall("x:link", self.NS)
            }
            assert set(alternates) == {"nb", "en", "x-default"}
            assert url.find("s:loc", self.NS).text in alternates.values()
            assert alternates["x-default"] == alternates["nb"]

    def test_leaves_out_drafts_and_pages_without_translation(self, client, site_tree, home):
        draft = factories.ArticlePageFactory(parent=home, slug="utkast", live=False)
        lonely = publish(factories.ArticlePageFactory(parent=home, slug="bare-norsk"))
        text = sitemap_text(lambda path: client.get(path).content)
        assert "/utkast/" not in text
        assert "/nb/bare-norsk/" in text
        assert "/en/bare-norsk/" not in text
        assert draft.pk and lonely.pk

    def test_pages_of_the_sitemap_hold_whole_language_groups_and_cost_the_same(
        self, client, site_tree, home, monkeypatch, django_assert_max_num_queries
    ):
        """With room for 4 URLs a page (two groups of two languages), every page is listed
        once, beside its other language, and a page's queries do not grow with the site."""
        monkeypatch.setattr(sitemap, "SITEMAP_MAX_URLS", 4)
        for number in range(3):
            publish(factories.ArticlePageFactory(parent=home, slug=f"ekstra-{number}"))
        every = {p.url for p in site_tree["nb"] + site_tree["en"]}
        every |= {f"/nb/ekstra-{number}/" for number in range(3)}
        index = ET.fromstring(client.get("/sitemap.xml").content)
        pages = [urlsplit(loc.text).path for loc in index.iter(f"{{{NS}}}loc")]
        assert pages == [f"/sitemap-{n}.xml" for n in range(1, len(pages) + 1)]
        region = regions.all_regions()[0]
        assert list(sitemap.sitemap_pages(region)) == list(range(1, len(pages) + 1))
        seen = []
        for path in pages:
            # The content version (the regions are cached under it), the view restrictions
            # twice, the translation keys of the page's slice and their pages.
            with django_assert_max_num_queries(7):
                urlset = ET.fromstring(client.get(path).content)
            urls = urlset.findall("s:url", self.NS)
            assert 1 <= len(urls) <= 4
            for url in urls:
                location = url.find("s:loc", self.NS).text
                seen.append(urlsplit(location).path)
                for link in url.findall("x:link", self.NS):
                    # The alternates are on the same page of the sitemap.
                    assert link.get("href") in {u.find("s:loc", self.NS).text for u in urls}
        assert sorted(seen) == sorted(every)
        assert client.get(f"/sitemap-{len(pages) + 1}.xml").status_code == 404
        assert client.get("/sitemap-0.xml").status_code == 404


def test_unknown_pages_get_the_localised_404(client, site_tree):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert '<html lang="en">' in response.content.decode()
    norwegian = client.get("/nb/finnes-ikke/")
    assert '<html lang="nb">' in norwegian.content.decode()
    assert norwegian.content != response.content


def test_an_english_page_older_than_its_norwegian_source_says_so(client, site_tree):
    notice = "after this translation"
    assert notice not in client.get("/en/rana/").content.decode()

    rana = MunicipalityPage.objects.get(pk=site_tree["nb"][1].pk)
    rana.body = [*rana.body.raw_data, factories.leisure(name="Ny aktivitet")]
    publish(rana)

    html = client.get("/en/rana/").content.decode()
    assert notice in html
    assert 'href="/nb/rana/" hreflang="nb"' in html
    assert notice not in client.get("/nb/rana/").content.decode()

    translate(rana)
    assert notice not in client.get("/en/rana/").content.decode()
