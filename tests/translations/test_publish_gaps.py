"""The translation editor as the coordinator meets it: publishing an English page with
texts still untranslated asks first and says how many; without DeepL the editor shows
its machine-translation button disabled, with the reason."""

import json
from pathlib import Path

from django.contrib.staticfiles import finders
from django.urls import reverse

from wagtail.models import Locale

from bs4 import BeautifulSoup

from tests import factories

from .conftest import publish, sync, translate


def english_with_gaps(rana):
    """Rana in English, then two new Norwegian texts synchronised and not translated."""
    translate(rana)
    rana.intro = "Ny innledning."
    rana.body = [*rana.body.raw_data, factories.paragraph("Et nytt avsnitt.")]
    publish(rana)
    return sync(rana, publish_target=False)


def test_publishing_a_translation_with_gaps_asks_first_and_names_how_many(
    client, people, rana, django_capture_on_commit_callbacks
):
    english = english_with_gaps(rana)
    live = english.live_revision_id
    edit = reverse("wagtailadmin_pages:edit", args=[english.pk])
    client.force_login(people.coordinator)

    asked = client.post(edit, {"action": "publish"}, HTTP_ACCEPT_LANGUAGE="nb")
    assert asked.status_code == 200
    html = asked.content.decode()
    assert 'data-untranslated="2"' in html
    assert "2 av de 8 tekstene på denne siden er ikke oversatt til engelsk." in html
    assert "ser leserne disse tekstene på norsk," in html
    assert "Publiser likevel" in html and f'href="{edit}"' in html
    english.refresh_from_db()
    assert english.live_revision_id == live  # nothing published yet

    with django_capture_on_commit_callbacks(execute=True):  # wagtail-localize publishes then
        published = client.post(edit, {"action": "publish", "confirm-untranslated": "2"})
    assert published.status_code == 302
    english.refresh_from_db()
    assert english.live_revision_id != live


def test_a_complete_translation_is_published_without_asking(
    client, people, rana, django_capture_on_commit_callbacks
):
    translate(rana)
    english = rana.get_translation(Locale.objects.get(language_code="en"))
    english.save_revision()  # a draft to publish
    live = english.live_revision_id
    client.force_login(people.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            reverse("wagtailadmin_pages:edit", args=[english.pk]), {"action": "publish"}
        )
    assert answer.status_code == 302
    english.refresh_from_db()
    assert english.live_revision_id != live


def test_the_translator_who_may_not_publish_is_not_asked_and_publishes_nothing(
    client, people, rana
):
    english = english_with_gaps(rana)
    live = english.live_revision_id
    client.force_login(people.translator)
    answer = client.post(
        reverse("wagtailadmin_pages:edit", args=[english.pk]), {"action": "publish"}
    )
    assert "data-untranslated" not in answer.content.decode()
    english.refresh_from_db()
    assert english.live_revision_id == live


def test_without_deepl_the_editor_shows_the_button_disabled_and_why(client, people, rana):
    english = english_with_gaps(rana)
    client.force_login(people.coordinator)
    html = client.get(
        reverse("wagtailadmin_pages:edit", args=[english.pk]), HTTP_ACCEPT_LANGUAGE="nb"
    ).content.decode()
    assert 'id="machine-translation-off"' in html
    assert "<button" in html.split('id="machine-translation-off"')[1].split("</template>")[0]
    assert "DeepL er ikke satt opp" in html and "DEEPL_AUTH_KEY" in html
    assert "translations/js/machine-off" in html


def test_with_deepl_the_disabled_button_is_not_shown(client, people, rana, deepl):
    english = english_with_gaps(rana)
    client.force_login(people.coordinator)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[english.pk])).content.decode()
    assert "js-translation-editor" in html
    assert "machine-translation-off" not in html


def editor_props(client, page) -> tuple[dict, str]:
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    return json.loads(soup.select_one(".js-translation-editor")["data-props"]), html


def test_the_translation_editor_offers_a_translator_only_what_a_translator_may_do(
    client, people, rana
):
    english = english_with_gaps(rana)
    # Made an alias-able translation: its source page exists, so the editor would offer
    # "Convert to alias page".
    client.force_login(people.coordinator)
    props, html = editor_props(client, english)
    assert props["links"]["convertToAliasUrl"]
    assert "translations/css/translator.css" not in html

    client.force_login(people.translator)
    props, html = editor_props(client, english)
    assert props["links"]["convertToAliasUrl"] is None
    assert props["links"]["downloadPofile"]  # the rest as wagtail-localize gives it
    # "Stop Synced translation" has no link to take out: the stylesheet hides it.
    assert "translations/css/translator.css" in html
    stylesheet = finders.find("translations/css/translator.css")
    stop_url = props["links"]["stopTranslationUrl"]
    selector = Path(stylesheet).read_text().split("[data-w-action-url-value$=")[1].split("]")[0]
    assert stop_url.endswith(selector.strip('"'))
