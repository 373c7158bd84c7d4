"""`load_demo` builds the whole region in both languages, and a second region beside it on
its own host; a second run changes nothing."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from wagtail.images import get_image_model
from wagtail.models import Page, PageLogEntry, Revision, Site

from demo import content
from region_pages import regions
from region_pages.models import Entry, MunicipalityPage, RegionSettings


class TestLoadDemo:
    def test_builds_the_region_and_a_second_run_changes_nothing(self, db, locales, client):
        call_command("load_demo", verbosity=0)
        counts = (
            Page.objects.count(),
            Revision.objects.count(),
            Entry.objects.count(),
            PageLogEntry.objects.count(),
            get_image_model().objects.count(),
        )
        call_command("load_demo", verbosity=0)
        assert counts == (
            Page.objects.count(),
            Revision.objects.count(),
            Entry.objects.count(),
            PageLogEntry.objects.count(),
            get_image_model().objects.count(),
        )

        rana, mosjoen = regions.by_key("ranaregionen"), regions.by_key("mosjoenregionen")
        for language in ("nb", "en"):
            in_language = MunicipalityPage.objects.live().filter(locale__language_code=language)
            municipalities = in_language.filter(rana.pages())
            assert sorted(m.slug for m in municipalities) == ["hemnes", "luroy", "nesna", "rana"]
            second = in_language.filter(mosjoen.pages())
            assert sorted(m.slug for m in second) == ["grane", "hattfjelldal", "vefsn"]
            for municipality in municipalities:
                kinds = list(Entry.objects.filter(page=municipality).values_list("kind", flat=True))
                for kind in ("industry", "leisure", "school"):
                    assert kinds.count(kind) >= 3, (language, municipality.slug, kind)
        assert sorted(
            MunicipalityPage.objects.filter(locale__language_code="nb").values_list(
                "municipality_number", flat=True
            )
        ) == ["1824", "1825", "1826", "1828", "1832", "1833", "1834"]
        # The second region on its own host, in its own colours.
        site = Site.objects.get(pk=mosjoen.site_id)
        assert site.hostname == "mosjoen.localhost" and not site.is_default_site
        assert RegionSettings.for_site(site).theme == "mosjoenregionen"
        front = Client(HTTP_HOST="mosjoen.localhost", SERVER_PORT=str(site.port)).get(
            "/en/", HTTP_HOST=f"mosjoen.localhost:{site.port}"
        )
        assert "<title>The Mosjøen region</title>" in front.content.decode()
        assert "designsystemet/mosjoenregionen.css" in front.content.decode()
        # Its own coordinator's demo account, in its own role.
        coordinator = get_user_model().objects.get(username="koordinator-mosjoen")
        assert list(coordinator.groups.values_list("editorial_role__key", flat=True)) == [
            "koordinator-mosjoenregionen"
        ]

        html = client.get("/en/").content.decode()
        menu = html[
            html.index('class="site-nav"') : html.index("</nav>", html.index('class="site-nav"'))
        ]
        for title in (
            "Rana",
            "Hemnes",
            "Lurøy",
            "Nesna",
            "Work and industry",
            "Leisure",
            "Growing up",
        ):
            assert f">{title}</a>" in menu, title
        # English pages have English slugs; the Norwegian slug under /en/ redirects.
        for english, norwegian in (
            ("/en/jobs/", "/nb/arbeid/"),
            ("/en/leisure/", "/nb/fritid/"),
            ("/en/growing-up/", "/nb/oppvekst/"),
            ("/en/moving-here/", "/nb/flytte-hit/"),
            ("/en/travel/", "/nb/reise/"),
        ):
            assert client.get(english).status_code == 200, english
            assert client.get(norwegian).status_code == 200, norwegian
            old = client.get(norwegian.replace("/nb/", "/en/"))
            assert (old.status_code, old["Location"]) == (301, english)
        for theme in ("/en/jobs/", "/en/leisure/", "/en/growing-up/"):
            assert f'href="{theme}"' in menu, theme
        # One activity in each municipality has a picture, described as what it shows.
        leisure = client.get("/en/leisure/").content.decode()
        assert leisure.count("<picture>") >= 4
        assert f'alt="{content.PICTURE_ALT.en}"' in leisure
