"""The site's look: Designsystemet built from the region's colours, chosen by a setting,
and the page frame's parts that are not the browser tests' (tests/browser/test_site.py)."""

import json
import re
from pathlib import Path

from django.contrib.staticfiles import finders

import pytest

CONFIG = Path(__file__).resolve().parents[2] / "frontend" / "designsystemet.config.json"


def html_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_built_theme_has_the_colours_of_the_regions_config():
    themes = json.loads(CONFIG.read_text())["themes"]
    for name, theme in themes.items():
        path = finders.find(f"designsystemet/{name}.css")
        assert path, f"designsystemet/{name}.css is not built: run make install"
        css = Path(path).read_text()
        # The cascade layers are declared before anything, so the site's own rules win.
        assert css.splitlines()[1] == "@layer ds.theme, ds.base, ds.components;"
        accent = theme["colors"]["main"]["accent"]
        assert f"--ds-color-accent-base-default: {accent}" in css
        # The components the templates use are in it; the dark scheme is left out.
        for component in ("ds-card", "ds-breadcrumbs", "ds-skip-link", "ds-table", "ds-tag"):
            assert f".{component}" in css
        assert "color-scheme.dark" not in css


@pytest.mark.django_db
def test_the_theme_and_the_logo_are_settings(client, region, settings):
    html = html_of(client, "/nb/rana/")
    assert '<link rel="stylesheet" href="/static/designsystemet/ranaregionen.css">' in html
    assert "<img" not in html.split('class="site-name"')[1].split("</a>")[0]

    settings.SITE_THEME = "vefsn"
    settings.SITE_LOGO = "img/vefsn.svg"
    html = html_of(client, "/nb/rana/")
    assert '<link rel="stylesheet" href="/static/designsystemet/vefsn.css">' in html
    name = html.split('class="site-name"')[1].split("</a>")[0]
    # Drawn beside the name, which says it all: the logo needs no text of its own.
    assert '<img src="/static/img/vefsn.svg" alt="" width="40" height="40">' in name


@pytest.mark.django_db
def test_breadcrumbs_lead_from_the_front_page_to_the_page(client, region):
    def crumbs(url):
        html = html_of(client, url)
        nav = re.search(r'<nav class="ds-breadcrumbs" aria-label="([^"]+)">(.*?)</nav>', html, re.S)
        assert nav, url
        links = re.findall(
            r'<a class="ds-link" href="([^"]+)"( aria-current="page")?>([^<]+)</a>', nav.group(2)
        )
        return nav.group(1), [(href, text, bool(current)) for href, current, text in links]

    label, links = crumbs("/nb/luroy/bo-i-luroy/")
    assert label == "Du er her"
    assert links == [
        ("/nb/", "Forside", False),
        ("/nb/luroy/", "Lurøy", False),
        ("/nb/luroy/bo-i-luroy/", "Bo i Lurøy", True),
    ]
    label, links = crumbs("/en/rana/")
    assert label == "You are here"
    # (The test region's translations prefix "EN: ".)
    assert links == [("/en/", "Front page", False), ("/en/rana/", "EN: Rana", True)]
    # The front page itself has none.
    assert "ds-breadcrumbs" not in html_of(client, "/nb/")


@pytest.mark.django_db
def test_breadcrumbs_cost_no_query_below_the_front_page_and_one_deeper(
    client,
    region,
    django_assert_num_queries,
):
    assert region.rana.breadcrumb_trail == []
    article = region.article
    with django_assert_num_queries(1):
        assert [page.title for page in article.breadcrumb_trail] == ["Lurøy"]
