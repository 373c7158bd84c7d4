"""The plain-language checks where officers meet them: the page listing, "Mine sider",
the translation status report, a page's checks in each language, and the coordinator's
list of words to avoid. The findings are kept per revision."""

from django.test import Client
from django.urls import reverse

import pytest
from bs4 import BeautifulSoup

from region_pages import readability
from region_pages.models import AvoidedWord, Readability

from ..conftest import publish

pytestmark = pytest.mark.django_db

TEXT = "Dersom du flytter hit, blir søknaden behandlet av kommunen. Vi svarer innen tre uker."


def logged_in(user) -> Client:
    client = Client(headers={"accept-language": "nb"})
    client.force_login(user)
    return client


def with_text(page, text=TEXT):
    page.intro = text
    return publish(page)


def test_the_findings_are_kept_per_revision_and_checked_again_when_the_list_changes(
    region, django_assert_max_num_queries
):
    rana = with_text(region.rana)
    found = readability.of_page(rana)
    assert found.language_code == "nb" and found.lix is not None
    assert found.findings.avoided == [("Dersom", "hvis")]  # from the seeded list
    assert found.findings.passives == ["blir søknaden behandlet"]
    with django_assert_max_num_queries(2):  # kept: nothing checked again
        assert readability.of_page(rana).pk == found.pk

    rana.intro = "Vi svarer raskt."
    rana.save_revision()
    assert readability.of_page(rana).pk != found.pk  # a new revision, checked anew
    assert Readability.objects.filter(revision__object_id=str(rana.pk)).count() == 2

    AvoidedWord.objects.create(language_code="nb", phrase="raskt", advice="fort")
    assert readability.of_page(rana).findings.avoided == [("raskt", "fort")]


def test_the_officer_reads_the_checks_of_their_page_in_both_languages(region):
    rana = with_text(region.rana)
    officer = logged_in(region.users["editor_rana"])
    url = reverse("editorial_plain_language", args=[rana.pk])
    editor = officer.get(reverse("wagtailadmin_pages:edit", args=[rana.pk])).content.decode()
    assert f'href="{url}"' in editor  # in the page header's menu
    html = officer.get(url)
    assert html.status_code == 200
    soup = BeautifulSoup(html.content, "html.parser")
    norwegian = soup.find(attrs={"data-check-language": "nb"})
    assert "LIX" in norwegian.get_text() and "ord i 4 setninger" in norwegian.get_text()
    assert "«Dersom»: skriv hvis" in " ".join(norwegian.get_text().split())
    assert soup.find(attrs={"data-check-language": "en"}) is not None  # the translation too


def test_another_municipalitys_officer_is_refused_the_checks(region):
    answer = logged_in(region.users["editor_luroy"]).get(
        reverse("editorial_plain_language", args=[region.rana.pk])
    )
    assert answer.status_code in (302, 403)
    assert b"data-plain-language" not in answer.content


def test_the_page_listing_and_mine_sider_show_the_score(region):
    with_text(region.rana)
    officer = logged_in(region.users["editor_rana"])
    listing = officer.get(reverse("wagtailadmin_explore", args=[region.home.pk]))
    assert "Klarspråk" in listing.content.decode() and "LIX" in listing.content.decode()
    dashboard = BeautifulSoup(officer.get(reverse("wagtailadmin_home")).content, "html.parser")
    cell = dashboard.find("tr", attrs={"data-my-page": str(region.rana.pk)}).find(
        attrs={"data-plain-language": True}
    )
    link = cell.find("a", href=reverse("editorial_plain_language", args=[region.rana.pk]))
    assert link is not None and link.get_text().startswith("LIX ")


def test_the_translation_report_shows_both_versions_scores(region):
    with_text(region.rana)
    report = logged_in(region.users["coordinator"]).get(reverse("translations_status_report"))
    assert "nb: LIX" in report.content.decode()


def test_the_coordinator_keeps_the_list_of_words_to_avoid_and_officers_do_not(region):
    add = reverse("wagtailsnippets_region_pages_avoidedword:add")
    coordinator = logged_in(region.users["coordinator"])
    answer = coordinator.post(
        add, {"language_code": "nb", "phrase": "  Vedrørende  Saken ", "advice": "om saken"}
    )
    assert answer.status_code == 302
    assert AvoidedWord.objects.filter(phrase="vedrørende saken").exists()
    again = coordinator.post(add, {"language_code": "nb", "phrase": "dersom", "advice": "x"})
    assert again.status_code == 200  # already on the list: said so, nothing saved twice
    assert AvoidedWord.objects.filter(phrase="dersom").count() == 1
    officer = logged_in(region.users["editor_rana"]).post(
        add, {"language_code": "nb", "phrase": "uansett", "advice": "likevel"}
    )
    assert officer.status_code in (302, 403)
    assert not AvoidedWord.objects.filter(phrase="uansett").exists()
