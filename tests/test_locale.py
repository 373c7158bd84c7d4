"""The gettext catalogues in `locale/`: complete, compiled, used, and safe to format.

The compiled `.mo` files are git-ignored; `make messages` (or `manage.py compilemessages`)
builds them before the tests run.
"""

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

import polib
import pytest

from region_pages.blocks.choices import SchoolLevel

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
NB_PO = LOCALE_DIR / "nb" / "LC_MESSAGES" / "django.po"
NB_MO = LOCALE_DIR / "nb" / "LC_MESSAGES" / "django.mo"

# Python %-format placeholders: named (`%(name)s`, `%(count)d`) and positional (`%s`, `%d`).
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


@pytest.fixture(scope="module")
def nb_catalogue():
    return polib.pofile(str(NB_PO))


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_nb_catalogue_is_fully_translated(nb_catalogue):
    untranslated = [entry.msgid for entry in nb_catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in nb_catalogue.fuzzy_entries()]
    assert nb_catalogue.percent_translated() == 100, f"Untranslated in nb: {untranslated}"
    assert not fuzzy, f"Fuzzy in nb: {fuzzy}"
    assert not nb_catalogue.metadata_is_fuzzy, "The nb catalogue's header is marked fuzzy"


def test_nb_catalogue_header(nb_catalogue):
    assert nb_catalogue.metadata["Language"] == "nb"
    assert nb_catalogue.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert "charset=UTF-8" in nb_catalogue.metadata["Content-Type"]


def test_compiled_catalogue_is_used():
    assert NB_MO.exists(), "Compile the catalogues first: make messages"
    with translation.override("nb"):
        assert translation.gettext("Skip to main content") == "Hopp til hovedinnhold"
        results = translation.ngettext(
            "%(counter)s result for “%(query)s”", "%(counter)s results for “%(query)s”", 2
        )
        assert results == "%(counter)s treff for «%(query)s»"
    with translation.override("en"):
        assert translation.gettext("Skip to main content") == "Skip to main content"


def test_block_choice_labels_come_from_gettext():
    with translation.override("nb"):
        assert str(SchoolLevel.KINDERGARTEN.label) == "Barnehage"
        assert str(SchoolLevel.PRIMARY.label) == "Barneskole (1.–7. trinn)"
    with translation.override("en"):
        assert str(SchoolLevel.KINDERGARTEN.label) == "Kindergarten"


def test_translations_keep_every_placeholder(nb_catalogue):
    broken = []
    for entry in nb_catalogue.translated_entries():
        if entry.msgid_plural:
            pairs = [
                (entry.msgid if index == 0 else entry.msgid_plural, msgstr)
                for index, msgstr in sorted(entry.msgstr_plural.items())
            ]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, target in pairs:
            if placeholders(source) != placeholders(target):
                broken.append((source, target))
    assert not broken, f"Placeholders differ between msgid and msgstr: {broken}"


def test_the_catalogue_holds_every_string_of_the_code(tmp_path, settings, monkeypatch):
    """makemessages, run over the code into a scratch copy of the catalogue, finds no
    string that the committed one lacks: a new string without its Norwegian fails here,
    not in front of an editor. (The scratch tree links to the code, so the committed
    catalogue is never written.)"""
    from django.core.management import call_command

    root = LOCALE_DIR.parent
    for source in root.iterdir():
        if source.is_dir() and (source / "__init__.py").exists() and source.name != "tests":
            (tmp_path / source.name).symlink_to(source)
    scratch = tmp_path / "locale" / "nb" / "LC_MESSAGES"
    scratch.mkdir(parents=True)
    (scratch / "django.po").write_bytes(NB_PO.read_bytes())
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["nb"], symlinks=True, no_obsolete=True, verbosity=0)

    committed = {entry.msgid for entry in polib.pofile(str(NB_PO))}
    found = {entry.msgid for entry in polib.pofile(str(scratch / "django.po"))}
    assert len(found) > 100  # the code's strings were read
    assert sorted(found - committed) == [], "run make makemessages and translate these"
