"""Fixtures for the translation pipeline: a small region, DeepL on loopback, and helpers
to synchronise and machine-translate pages the way the admin does."""

from types import SimpleNamespace

from django.contrib.auth import get_user_model

from wagtail.models import Locale

import pytest
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from editorial import roles
from editorial.models import Role
from tests import factories
from tests.conftest import publish, translate

from .deepl_server import DeepLServer


@pytest.fixture(scope="session")
def deepl_server():
    server = DeepLServer().start()
    yield server
    server.stop()


@pytest.fixture
def deepl(deepl_server, settings):
    """DeepL configured as production configures it, pointed at the loopback server."""
    deepl_server.requests.clear()
    deepl_server._failures.clear()
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "translations.deepl.RegionDeepLTranslator",
        "OPTIONS": {
            "AUTH_KEY": deepl_server.auth_key,
            "API_URL": deepl_server.url,
            "FORMALITY": "prefer_more",
            "GLOSSARY_ID": "",
            "PROTECTED_TERMS": ["Mo Industripark", "Mo i Rana", "Rana"],
            "TIMEOUT": 5,
        },
    }
    return deepl_server


@pytest.fixture
def rana(home):
    return publish(
        factories.MunicipalityPageFactory(
            parent=home,
            title="Rana",
            slug="rana",
            municipality_number="1833",
            intro="Rana er en industrikommune.",
            body=[
                factories.paragraph("Tekst om regionen."),
                factories.industry(description="Prosessindustri i Mo Industripark."),
            ],
        )
    )


@pytest.fixture
def nesna(home):
    return publish(
        factories.MunicipalityPageFactory(
            parent=home,
            title="Nesna",
            slug="nesna",
            municipality_number="1828",
            intro="Nesna er en kystkommune.",
            body=[factories.paragraph("Skolebyen ved havet.")],
        )
    )


@pytest.fixture
def people(home, rana, nesna):
    """The roles from `setup_roles` (the English home exists first, for the translators)
    and one person in each role that matters here."""
    translate(home)
    roles.setup_roles()

    def person(username, role_key):
        user = get_user_model().objects.create_user(username=username, password="x")
        user.groups.add(Role.objects.get(key=role_key).group)
        return user

    return SimpleNamespace(
        coordinator=person("koordinator", roles.COORDINATOR),
        translator=person("oversetter", roles.TRANSLATOR),
        editor_rana=person("redaktor-rana", "redaktor-rana"),
        editor_nesna=person("redaktor-nesna", "redaktor-nesna"),
    )


def sync(page, language="en", publish_target=True):
    """ "Sync translated pages" in the admin: refresh the source, save the translation."""
    source = TranslationSource.objects.get_for_instance(page)
    source.update_from_db()
    translation = Translation.objects.get(source=source, target_locale__language_code=language)
    translation.save_target(publish=False)
    target = page.get_translation(Locale.objects.get(language_code=language))
    if publish_target:
        target.get_latest_revision().publish()
    return target.specific_class.objects.get(pk=target.pk)


def machine_strings(page, language="en"):
    source = TranslationSource.objects.get_for_instance(page)
    return StringTranslation.objects.filter(
        locale__language_code=language,
        translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE,
        context__object_id=source.object_id,
    )


def segment_texts(page):
    source = TranslationSource.objects.get_for_instance(page)
    return list(
        StringSegment.objects.filter(source=source)
        .order_by("order")
        .values_list("string__data", flat=True)
    )


__all__ = ["machine_strings", "publish", "segment_texts", "sync", "translate"]
