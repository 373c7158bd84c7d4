"""The nightly check of the external links in published pages: against a website on
loopback that answers as real ones do, with the officers' dashboard showing their own
pages' broken links."""

import socket
from datetime import timedelta
from io import StringIO

from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from editorial import links
from editorial.models import BrokenLink
from tests import factories

from ..conftest import publish
from ..servers import LinkTarget

pytestmark = pytest.mark.django_db

ANSWERS = {
    "/ok": 200,
    "/gone": 404,
    "/get-only": (405, 200),  # a server that does not take HEAD
    "/moved": 301,
    "/busy": 429,
    "/broken": 500,
}


@pytest.fixture
def site(monkeypatch):
    """The website, and a name service that knows only loopback: the shared region's pages
    link to real websites, which a test must not reach (their look-ups fail, as a
    vanished host's do)."""
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if host not in ("127.0.0.1", "localhost"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with LinkTarget(ANSWERS) as server:
        yield server


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def article_linking(parent, slug, urls):
    anchors = " ".join(f'<a href="{url}">lenke {n}</a>' for n, url in enumerate(urls))
    return publish(
        factories.ArticlePageFactory(
            parent=parent, slug=slug, body=[factories.paragraph(f"Se {anchors}.")]
        )
    )


def check_links(*args) -> str:
    output = StringIO()
    call_command("check_links", *args, stdout=output)
    return output.getvalue()


def test_broken_links_are_found_kept_and_shown_to_the_pages_officers(region, site):
    dead = f"http://127.0.0.1:{closed_port()}/nowhere"
    urls = [f"{site.url}{path}" for path in ANSWERS] + [dead]
    page = article_linking(region.rana, "lenker", urls)

    elsewhere = len(links.published_links()) - len(urls)  # the region's own pages' links
    said = check_links()
    total = len(urls) + elsewhere
    assert f"{total} external addresses in published pages; checking {total}." in said
    assert f"checked {total} of {total}" in said
    assert f"{total} checked, {3 + elsewhere} broken" in said
    assert f"  {site.url}/gone: HTTP 404" in said
    broken = {link.url: link for link in BrokenLink.objects.filter(page=page)}
    assert set(broken) == {f"{site.url}/gone", f"{site.url}/broken", dead}
    assert (broken[f"{site.url}/gone"].status_code, broken[f"{site.url}/gone"].problem) == (
        404,
        "HTTP 404",
    )
    assert broken[dead].status_code is None and "Connection" in broken[dead].problem

    # Politely: HEAD first, GET only where HEAD is not taken, never a redirect followed,
    # with a User-Agent that names the checker and the site.
    methods = [(method, path) for method, path, _agent in site.requests]
    assert ("GET", "/get-only") in methods and ("GET", "/ok") not in methods
    assert ("HEAD", "/elsewhere") not in methods
    assert all(agent.startswith("Ranaregionen-Linkcheck/1.0 (+") for *_r, agent in site.requests)

    officer = Client(headers={"accept-language": "nb"})
    officer.force_login(region.users["editor_rana"])
    panel = BeautifulSoup(officer.get(reverse("wagtailadmin_home")).content, "html.parser").find(
        attrs={"data-broken-links": True}
    )
    assert panel.find("h2").get_text(strip=True) == "Døde lenker"
    text = " ".join(panel.get_text().split())
    assert "Siden er borte" in text and "Serveren svarte 500" in text and "Ikke noe svar" in text
    other = Client()
    other.force_login(region.users["editor_luroy"])
    theirs = other.get(reverse("wagtailadmin_home")).content.decode()
    assert site.url not in theirs  # Rana's broken links are Rana's officers' to mend


def test_a_link_that_works_again_is_dropped_and_one_still_broken_keeps_its_date(region, site):
    article_linking(region.rana, "lenker", [f"{site.url}/gone", f"{site.url}/broken"])
    check_links()
    long_ago = timezone.now() - timedelta(days=9)
    BrokenLink.objects.update(broken_since=long_ago)
    site.answers["/gone"] = 200
    check_links()
    [still] = BrokenLink.objects.filter(url__startswith=site.url)
    assert still.url == f"{site.url}/broken" and still.broken_since == long_ago


def test_a_page_unpublished_takes_its_broken_links_with_it(region, site):
    page = article_linking(region.rana, "lenker", [f"{site.url}/gone"])
    check_links()
    assert BrokenLink.objects.filter(page=page).count() == 1
    page.unpublish()
    check_links()
    assert not BrokenLink.objects.filter(page=page).exists()


def test_the_check_is_bounded_per_run_and_per_host(region, site):
    article_linking(region.rana, "lenker", [f"{site.url}{path}" for path in ANSWERS])
    check_links("--per-host", "2")
    assert len({path for _method, path, _agent in site.requests}) == 2
    with pytest.raises(CommandError, match="Give --limit"):
        check_links("--limit", "0")


def test_links_into_the_sites_own_network_are_not_followed(region, site, settings):
    settings.LINK_CHECK_ALLOW_PRIVATE_ADDRESSES = False
    article_linking(region.rana, "lenker", [f"{site.url}/ok"])
    check_links()
    [refused] = BrokenLink.objects.filter(url__startswith=site.url)
    assert "loopback" in refused.problem
    assert site.requests == []  # never asked


def test_links_are_read_from_rich_text_and_address_fields_not_from_internal_links():
    body = (
        '[{"type": "paragraph", "value": "<p><a href=\\"https://a.example/x?y=1\\">a</a> '
        '<a linktype=\\"page\\" id=\\"3\\">intern</a></p>", "id": "1"}, '
        '{"type": "contact", "value": {"website": "https://b.example/", "name": "B"}, "id": "2"}]'
    )
    content = {"title": "Side", "url_path": "/home/side/", "body": body}
    assert list(links.links_in(content)) == ["https://a.example/x?y=1", "https://b.example/"]
