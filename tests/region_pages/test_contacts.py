"""Contacts: the people and offices readers can reach, on the municipality pages, the
front page, every page's footer and in contact blocks; in schema.org, in search and in the
partner API; edited once, changed everywhere at once."""

import json
import re
import string
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.utils import translation

import pytest
from hypothesis import given
from hypothesis import strategies as st

from region_pages import versions
from region_pages.models import Contact
from region_pages.models.contacts import display_phone, normalise_phone
from search import query
from tests.conftest import publish, translate
from tests.factories import ArticlePageFactory, ContactFactory, contact_block, paragraph
from tests.regions import municipality

ENGLISH = {
    "Servicetorget": "Service desk",
    "Spørsmål om å flytte hit": "Questions about moving here",
    "Hverdager 08.00–15.30": "Weekdays 08:00–15:30",
    "Tilflytterkontakten": "The newcomer contact",
}


@pytest.fixture
def site(home):
    """Rana with its office as contact, the region's newcomer contact on the home page, an
    article with a contact block; all in both languages."""
    office = ContactFactory()
    newcomer = ContactFactory(
        name="Tilflytterkontakten", role="", phone="+4791234567", email="flytte@example.org"
    )
    home.contact = newcomer
    publish(home)
    rana = municipality(home, "rana", contact=office)
    article = publish(
        ArticlePageFactory(
            parent=home,
            slug="bolig",
            title="Bolig",
            body=[paragraph("Om å finne bolig."), contact_block(office)],
        )
    )
    en_office, en_newcomer = translate(office, texts=ENGLISH), translate(newcomer, texts=ENGLISH)
    for page in (home, rana, article):
        translate(page, texts=ENGLISH)
    return SimpleNamespace(
        office=office,
        newcomer=newcomer,
        en_office=en_office,
        en_newcomer=en_newcomer,
        rana=rana,
        article=article,
    )


def html_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def section(html: str, heading_id: str) -> str:
    """The element that a heading with `heading_id` labels, up to its end."""
    match = re.search(rf'aria-labelledby="{heading_id}".*?</section>', html, re.S)
    assert match, heading_id
    return match.group(0)


def cards(html: str) -> list[str]:
    return re.findall(r'<div class="contact ds-card".*?</dl>', html, re.S)


# ---- phone numbers ----------------------------------------------------------------------------

separators = st.sampled_from(["", " ", "  ", "-", ".", "/"])


@given(
    # Norwegian numbers of eight digits begin with 2 to 9.
    digits=st.from_regex(r"[2-9][0-9]{7}", fullmatch=True),
    sep=separators,
    prefix=st.sampled_from(["", "+47", "0047", "+47 "]),
)
def test_a_norwegian_number_however_written_is_stored_in_international_form(digits, sep, prefix):
    written = prefix + sep.join([digits[:2], digits[2:4], digits[4:6], digits[6:]])
    stored = normalise_phone(written)
    assert stored == "+47" + digits
    # What readers see reads back as the same number.
    assert normalise_phone(display_phone(stored)) == stored


@given(
    country=st.sampled_from(["46", "45", "44", "49", "358"]),
    rest=st.text(string.digits, min_size=6, max_size=10),
)
def test_numbers_abroad_keep_their_country_code(country, rest):
    assert normalise_phone(f"+{country} {rest}") == f"+{country}{rest}"
    assert normalise_phone(f"00{country}{rest}") == f"+{country}{rest}"


@given(text=st.text(min_size=1, max_size=20))
def test_anything_else_is_refused_with_an_example_in_norwegian(text):
    digits = re.sub(r"[\s().\-/]", "", text)
    if re.fullmatch(r"(\+|00)[1-9]\d{6,14}|[2-9]\d{7}", digits):
        return  # a number after all: the other tests cover it
    with translation.override("nb"):
        with pytest.raises(ValidationError) as refused:
            normalise_phone(text)
        # The message is translated when it is read: in the editor's language.
        assert "For eksempel: 75 14 50 00" in refused.value.messages[0]


def test_mobile_numbers_are_grouped_three_two_three_and_others_in_pairs():
    assert display_phone("+4791234567") == "+47 912 34 567"
    assert display_phone("+4775145000") == "+47 75 14 50 00"
    assert display_phone("+46812345678") == "+46812345678"


def test_a_contact_needs_a_phone_number_or_an_email_address(locales):
    contact = ContactFactory.build(phone="", email="", locale=locales[0])
    with translation.override("nb"):
        with pytest.raises(ValidationError) as refused:
            contact.full_clean()
        assert "telefonnummer eller en e-postadresse" in str(refused.value)


def test_the_translations_of_a_contact_share_its_phone_and_email(site):
    site.office.phone = "+4775140000"
    site.office.full_clean()
    site.office.save()
    english = Contact.objects.get(pk=site.en_office.pk)
    assert (english.phone, english.name) == ("+4775140000", "Service desk")


# ---- on the pages -----------------------------------------------------------------------------


def test_the_municipality_page_gives_its_contact_with_phone_and_email_links(client, site):
    contact = section(html_of(client, "/nb/rana/"), "contact-heading")
    assert "Servicetorget" in contact
    assert '<a class="ds-link" href="tel:+4775145000">+47 75 14 50 00</a>' in contact
    assert 'href="mailto:postmottak@rana.kommune.no"' in contact
    assert "Hverdager 08.00–15.30" in contact
    assert "Norsk, Engelsk" in contact


def test_the_english_page_gives_the_english_contact(client, site):
    contact = section(html_of(client, "/en/rana/"), "contact-heading")
    assert "Service desk" in contact
    assert "Weekdays 08:00–15:30" in contact
    assert "Norwegian, English" in contact
    assert 'lang="nb"' not in contact


def test_a_contact_not_yet_translated_shows_in_norwegian_marked_so_until_it_is(client, site):
    newer = ContactFactory(name="Barnehagekontoret", role="Opptak i barnehage")
    site.rana.contact = newer
    publish(site.rana)
    translate(site.rana, texts=ENGLISH)
    card = cards(section(html_of(client, "/en/rana/"), "contact-heading"))[0]
    assert 'lang="nb"' in card
    assert "Barnehagekontoret" in card

    version = versions.token()
    translate(newer, texts={"Barnehagekontoret": "Kindergarten office"})
    assert versions.token() != version  # cached answers of the page are stale now
    card = cards(section(html_of(client, "/en/rana/"), "contact-heading"))[0]
    assert "Kindergarten office" in card
    assert 'lang="nb"' not in card


def test_the_newcomer_contact_is_on_the_front_page_and_in_every_footer(client, site):
    front = section(html_of(client, "/en/"), "newcomer-contact-heading")
    assert "The newcomer contact" in front
    assert 'href="tel:+4791234567">+47 912 34 567</a>' in front
    for url in ("/nb/bolig/", "/en/bolig/", "/nb/rana/"):
        footer = section(html_of(client, url), "footer-contact-heading")
        assert 'href="tel:+4791234567"' in footer, url
        assert 'href="mailto:flytte@example.org"' in footer, url


def test_a_contact_block_shows_its_contact_on_any_page(client, site):
    (card,) = cards(html_of(client, "/en/bolig/").split('class="site-footer')[0])
    assert "Service desk" in card
    assert 'href="tel:+4775145000"' in card


def test_editing_a_contact_changes_every_page_that_shows_it_at_once(client, site):
    html_of(client, "/en/bolig/")  # the footer is cached under the content version
    site.newcomer.phone = "+4799887766"
    site.newcomer.save()
    footer = section(html_of(client, "/en/bolig/"), "footer-contact-heading")
    assert 'href="tel:+4799887766"' in footer


def test_deleting_a_contact_leaves_the_pages_without_it(client, site):
    site.office.delete()
    contact = section(html_of(client, "/nb/rana/"), "contact-heading")
    assert not cards(contact)
    assert "rana.kommune.no" in contact  # the municipality's own website stays
    assert not cards(html_of(client, "/nb/bolig/").split('class="site-footer')[0])


def test_a_municipality_page_with_a_contact_stays_within_its_query_budget(
    client, site, django_assert_max_num_queries
):
    client.get("/nb/rana/")
    with django_assert_max_num_queries(14):
        client.get("/nb/rana/")


# ---- for machines -----------------------------------------------------------------------------


def graph_of(html: str) -> list[dict]:
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(script)["@graph"]


def test_schema_org_gives_the_contacts_as_contact_points(client, site):
    organisation = graph_of(html_of(client, "/en/"))[0]
    assert organisation["contactPoint"] == {
        "@type": "ContactPoint",
        "name": "The newcomer contact",
        "telephone": "+4791234567",
        "email": "flytte@example.org",
        "availableLanguage": ["nb", "en"],
        "hoursAvailable": {
            "@type": "OpeningHoursSpecification",
            "description": "Weekdays 08:00–15:30",
        },
    }
    municipality = next(
        item
        for item in graph_of(html_of(client, "/nb/rana/"))
        if item["@type"] == "GovernmentOrganization"
    )
    assert municipality["name"] == "Rana kommune"
    assert municipality["contactPoint"]["telephone"] == "+4775145000"
    assert municipality["contactPoint"]["contactType"] == "Spørsmål om å flytte hit"


def test_the_api_gives_the_contacts_typed(client, site):
    rana = client.get("/api/v1/municipalities/1833?lang=en").json()
    assert rana["contact"] == {
        "id": site.en_office.pk,
        "translation_key": str(site.office.translation_key),
        "kind": "office",
        "name": "Service desk",
        "role": "Questions about moving here",
        "phone": "+4775145000",
        "email": "postmottak@rana.kommune.no",
        "opening_hours": "Weekdays 08:00–15:30",
        "languages": ["nb", "en"],
        "photo": None,
    }
    region = client.get("/api/v1/region?lang=nb").json()
    assert region["contact"]["name"] == "Tilflytterkontakten"
    body = client.get(f"/api/v1/pages/{site.article.pk}").json()["body"]
    assert body[1]["type"] == "contact"
    assert body[1]["value"]["phone"] == "+4775145000"


def test_an_edited_contact_announces_the_pages_that_show_it(client, site):
    cursor = client.get("/api/v1/changes/head").json()["cursor"]
    site.office.email = "service@rana.kommune.no"
    site.office.save()
    news = client.get(f"/api/v1/changes?since={cursor}").json()["items"]
    announced = {(item["id"], item["lang"]) for item in news if item["action"] == "published"}
    assert (site.rana.pk, "nb") in announced
    assert (site.article.pk, "nb") in announced
    assert len([key for key in announced if key[1] == "en"]) == 2
    assert client.get("/api/v1/municipalities/1833?lang=en").json()["contact"]["email"] == (
        "service@rana.kommune.no"
    )


@pytest.mark.parametrize(("language", "word"), [("nb", "kontakt"), ("en", "contact")])
def test_searching_contact_finds_the_pages_that_give_one(site, language, word):
    pages = [site.rana, site.article]
    if language == "en":
        pages = [page.get_translation(site.en_office.locale) for page in pages]
    with translation.override(language):
        found = {hit.url for hit in query.search(word, language).hits}
    assert {page.url for page in pages} <= found


# ---- in the admin ------------------------------------------------------------------------------


def test_an_editor_adding_a_contact_gets_a_norwegian_refusal_and_loses_nothing(
    admin_client, locales
):
    url = "/admin/snippets/region_pages/contact/add/?locale=nb"
    form = {
        "kind": "office",
        "name": "Barnehagekontoret",
        "role": "Opptak i barnehage",
        "phone": "75 14 50",
        "email": "",
        "opening_hours": "",
        "languages": ["nb", "en"],
    }
    refused = admin_client.post(url, form)
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Skriv et norsk nummer med åtte sifre" in html
    assert 'value="Barnehagekontoret"' in html  # what was typed is still there
    assert not Contact.objects.exists()

    saved = admin_client.post(url, {**form, "phone": "75 14 50 00"})
    assert saved.status_code == 302
    contact = Contact.objects.get()
    assert (contact.phone, contact.languages) == ("+4775145000", ["nb", "en"])
    listing = admin_client.get("/admin/snippets/region_pages/contact/").content.decode()
    assert "+47 75 14 50 00" in listing
    assert "Kontakter" in listing
