"""The admin speaks Norwegian to Norwegian editors."""

import importlib
import json
from pathlib import Path

from django.test import Client
from django.urls import reverse

from wagtail.users.models import UserProfile

import polib
import pytest

from .regions import region, region_keys  # noqa: F401  (the shared test region)


@pytest.mark.parametrize(("preference", "expected_lang"), [("nb", "nb"), ("en", "en"), ("", "nb")])
def test_the_admin_follows_the_editors_language(client, admin_user, preference, expected_lang):
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = preference
    profile.save()
    client.force_login(admin_user)
    html = client.get("/admin/").content.decode()
    assert f'<html lang="{expected_lang}"' in html
    if expected_lang == "nb":
        assert "Sider" in html  # Wagtail's own Norwegian catalogue: "Pages"


# ---- Norwegian for the parts of the admin that come from upstream ---------------------

UPSTREAM = Path(__file__).resolve().parents[1] / "locale_upstream" / "nb" / "LC_MESSAGES"


def catalogue(package: str, language: str, domain: str) -> polib.POFile:
    module = importlib.import_module(package)
    path = Path(module.__file__).parent / "locale" / language / "LC_MESSAGES" / f"{domain}.po"
    return polib.pofile(str(path))


def translated(po: polib.POFile) -> set[tuple[str | None, str]]:
    return {(e.msgctxt, e.msgid) for e in po.translated_entries() if "fuzzy" not in e.flags}


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_wagtail_localize_string_has_norwegian(domain):
    """An upgrade of wagtail-localize that adds strings fails here until they are translated
    in locale_upstream/ (or upstream)."""
    wanted = {(e.msgctxt, e.msgid) for e in catalogue("wagtail_localize", "en", domain)}
    have = translated(catalogue("wagtail_localize", "nb", domain))
    have |= translated(polib.pofile(str(UPSTREAM / f"{domain}.po")))
    assert wanted - have == set()


def test_the_page_editors_scripts_speak_norwegian(client, admin_user):
    """The strings of the page editor's and the translation editor's scripts come from the
    JavaScript catalogues, which take ours too."""
    client.force_login(admin_user)  # no preference: Norwegian, the admin's default
    wagtail = client.get(reverse("wagtailadmin_javascript_catalog")).content.decode()
    for norwegian in ("Sett inn en blokk", "Legg til en kommentar", "Vis eller skjul sidemenyen"):
        assert norwegian in wagtail
    localize = client.get(reverse("wagtail_localize:javascript_catalog")).content.decode()
    for norwegian in ("Stopp synkronisert oversettelse", "Bruker versjonen på %s", "Publiser på "):
        assert json.dumps(norwegian)[1:-1] in localize  # as the script has it: "p\u00e5"


ENGLISH = (
    "Sync translated pages",
    "Convert to alias page",
    "Translate this page",
    "Stop Synced translation",
    "Toggle sidebar",
    "Add comment",
)


@pytest.mark.parametrize("role", ["editor_rana", "coordinator", "translator"])
def test_the_main_screens_show_no_english_to_each_role(region, role):  # noqa: F811
    client = Client()
    client.force_login(region.users[role])
    editable = region.en_rana if role == "translator" else region.rana
    screens = [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[editable.pk]),
        reverse("wagtailadmin_pages:edit", args=[editable.pk]),
    ]
    for url in screens:
        answer = client.get(url)
        assert answer.status_code == 200, url
        html = answer.content.decode()
        assert '<html lang="nb"' in html, url
        shown = [text for text in ENGLISH if text in html]
        assert not shown, f"{url}: {shown}"
