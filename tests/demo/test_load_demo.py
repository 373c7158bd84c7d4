"""`load_demo` builds the whole region in both languages, and a second run changes nothing."""

from django.core.management import call_command

from wagtail.images import get_image_model
from wagtail.models import Page, PageLogEntry, Revision

from region_pages.models import Entry, MunicipalityPage


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

        for language in ("nb", "en"):
            municipalities = MunicipalityPage.objects.live().filter(locale__language_code=language)
            assert sorted(m.slug for m in municipalities) == ["hemnes", "luroy", "nesna", "rana"]
            for municipality in municipalities:
                kinds = list(Entry.objects.filter(page=municipality).values_list("kind", flat=True))
                for kind in ("industry", "leisure", "school"):
                    assert kinds.count(kind) >= 3, (language, municipality.slug, kind)
        assert sorted(
            MunicipalityPage.objects.filter(locale__language_code="nb").values_list(
                "municipality_number", flat=True
            )
        ) == ["1828", "1832", "1833", "1834"]

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
