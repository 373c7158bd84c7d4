"""On a published English page, each text still in Norwegian carries lang="nb", field by
field and part by part: the document title, the meta and Open Graph texts, the top
image's description, the parts of a block, the theme pages' entries, the home page's
cards and the menu. The HTML is parsed and the attributes read."""

import uuid

from django.utils import translation

from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Locale

import pytest
from bs4 import BeautifulSoup
from wagtail_localize.models import Translation

from region_pages import versions
from region_pages.models import Entry
from tests import factories
from translations.coverage import gaps_for
from translations.models import Coverage

from .conftest import publish, sync, translate

NOTICE = "translation-notice"


def soup_of(client, page):
    response = client.get(page.url)
    assert response.status_code == 200, page.url
    return BeautifulSoup(response.content, "html.parser")


def meta(soup, **attrs):
    found = soup.find("meta", attrs=attrs)
    assert found is not None, attrs
    return found


def notices(element):
    return element.find_all(class_=NOTICE)


def change(page, **fields):
    """Publish new Norwegian text in `fields` and sync the English page: those texts are
    then untranslated there."""
    for name, value in fields.items():
        setattr(page, name, value)
    publish(page)
    return sync(page)


@pytest.fixture
def english_home(home):
    return translate(home)


@pytest.fixture
def image(db):
    return get_image_model().objects.create(title="Fjorden", file=get_test_image_file())


def raw_block(block_type, value):
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def item(value):
    return {"type": "item", "value": value, "id": str(uuid.uuid4())}


# ---- the document title, the meta texts and the top image ------------------------------------


def test_an_untranslated_title_marks_the_document_title_the_heading_and_open_graph(
    client, home, english_home
):
    article = publish(
        factories.ArticlePageFactory(parent=home, slug="bo", title="Bo her", intro="Ingress.")
    )
    translate(article)
    english = change(article, title="Å bo i regionen")
    soup = soup_of(client, english)
    assert soup.title["lang"] == "nb"
    assert soup.title.string.startswith("Å bo i regionen")
    assert soup.h1["lang"] == "nb" and soup.h1.string == "Å bo i regionen"
    assert meta(soup, property="og:title")["lang"] == "nb"
    # The visible notice sits under the heading, in English.
    header = soup.find("header", class_="page-header")
    assert [n["lang"] for n in notices(header)] == ["en"]
    # The rest of the page is translated: the intro and the description are not marked.
    assert not soup.find("p", class_="lead").has_attr("lang")
    assert not meta(soup, name="description").has_attr("lang")
    assert soup.html["lang"] == "en"


def test_a_translated_title_leaves_the_document_title_unmarked(client, home, english_home):
    article = publish(factories.ArticlePageFactory(parent=home, slug="bo", title="Bo her"))
    english = translate(article)
    soup = soup_of(client, english)
    assert not soup.title.has_attr("lang") and soup.title.string.startswith("EN: Bo her")
    assert not soup.h1.has_attr("lang")
    assert not meta(soup, property="og:title").has_attr("lang")
    assert not notices(soup.find("main"))


def test_the_document_title_follows_the_seo_title_when_there_is_one(client, home, english_home):
    article = publish(
        factories.ArticlePageFactory(parent=home, slug="bo", title="Bo her", seo_title="Bo")
    )
    translate(article)
    english = change(article, title="Ny tittel")  # the SEO title stays translated
    soup = soup_of(client, english)
    assert soup.title.string.startswith("EN: Bo") and not soup.title.has_attr("lang")
    assert not meta(soup, property="og:title").has_attr("lang")
    assert soup.h1["lang"] == "nb"  # the heading shows the title, which is not translated
    english = change(article, seo_title="Ny SEO-tittel")
    soup = soup_of(client, english)
    assert soup.title["lang"] == "nb" and meta(soup, property="og:title")["lang"] == "nb"


def test_untranslated_descriptions_mark_the_meta_and_open_graph_descriptions(
    client, home, english_home
):
    article = publish(factories.ArticlePageFactory(parent=home, slug="bo", intro="Ingress."))
    translate(article)
    english = change(article, intro="Ny ingress.")
    soup = soup_of(client, english)
    assert meta(soup, name="description")["lang"] == "nb"
    assert meta(soup, property="og:description")["lang"] == "nb"
    assert soup.find("p", class_="lead")["lang"] == "nb"


def test_a_translated_search_description_is_what_the_meta_tags_show_unmarked(
    client, home, english_home
):
    article = publish(
        factories.ArticlePageFactory(
            parent=home, slug="bo", intro="Ingress.", search_description="Søkebeskrivelse."
        )
    )
    translate(article)
    english = change(article, intro="Ny ingress.")
    soup = soup_of(client, english)
    assert meta(soup, name="description")["content"] == "EN: Søkebeskrivelse."
    assert not meta(soup, name="description").has_attr("lang")
    assert not meta(soup, property="og:description").has_attr("lang")
    assert soup.find("p", class_="lead")["lang"] == "nb"
    english = change(article, search_description="Ny søkebeskrivelse.")
    soup = soup_of(client, english)
    assert meta(soup, name="description")["lang"] == "nb"
    assert meta(soup, property="og:description")["lang"] == "nb"


def test_an_untranslated_description_of_the_top_image_marks_its_alt_text(
    client, home, english_home, image
):
    article = publish(
        factories.ArticlePageFactory(
            parent=home, slug="bo", hero_image=image, hero_alt_text="Fjorden om kvelden."
        )
    )
    english = translate(article)
    soup = soup_of(client, english)
    assert soup.find("figure", class_="hero").img["alt"] == "EN: Fjorden om kvelden."
    assert not soup.find("figure", class_="hero").has_attr("lang")
    english = change(article, hero_alt_text="Fjorden om morgenen.")
    soup = soup_of(client, english)
    hero = soup.find("figure", class_="hero")
    assert hero["lang"] == "nb" and hero.img["alt"] == "Fjorden om morgenen."
    assert meta(soup, property="og:image:alt")["lang"] == "nb"
    # Alt text is not visible: no notice for it, and nothing else is marked.
    assert not notices(soup.find("main"))
    assert not soup.title.has_attr("lang") and not soup.h1.has_attr("lang")


# ---- the parts of a block ----------------------------------------------------------------


def test_only_the_untranslated_part_of_a_block_is_marked(client, home, english_home):
    rana = publish(
        factories.MunicipalityPageFactory(
            parent=home, slug="rana", title="Rana", body=[factories.leisure("Fjelltur")]
        )
    )
    translate(rana)
    body = rana.body.raw_data
    body[0]["value"]["description"] = "En ny beskrivelse av turen."
    english = change(rana, body=body)
    section = soup_of(client, english).find("section", id=f"block-{body[0]['id']}")
    assert not section.has_attr("lang")  # the block as a whole is English
    description = section.find("p", string="En ny beskrivelse av turen.")
    assert description["lang"] == "nb"
    assert not section.h3.has_attr("lang") and section.h3.string == "EN: Fjelltur"
    assert [n["lang"] for n in notices(section)] == ["en"]
    assert "Parts of this have not been translated yet" in notices(section)[0].get_text()


def test_only_the_untranslated_item_of_a_list_is_marked(client, home, english_home):
    facts = raw_block(
        "facts",
        {
            "heading": "Fakta",
            "facts": [
                item({"label": "Flyplass", "value": "Mo i Rana lufthavn"}),
                item({"label": "Tog", "value": "Nordlandsbanen"}),
            ],
        },
    )
    article = publish(factories.ArticlePageFactory(parent=home, slug="fakta", body=[facts]))
    translate(article)
    body = article.body.raw_data
    body[0]["value"]["facts"][1]["value"]["value"] = "Nordlandsbanen og buss"
    english = change(article, body=body)
    soup = soup_of(client, english)
    rows = soup.find("dl", class_="facts-list").find_all("div")
    assert [row.get("lang") for row in rows] == [None, "nb"]
    assert rows[1].dd.string == "Nordlandsbanen og buss"
    assert not soup.find("h2", string="EN: Fakta").has_attr("lang")


def test_an_image_blocks_alt_text_and_caption_are_marked_each_on_its_own(
    client, home, english_home, image
):
    block = raw_block("image", {"image": image.pk, "alt_text": "Fjell.", "caption": "Okstindan."})
    article = publish(factories.ArticlePageFactory(parent=home, slug="bilde", body=[block]))
    translate(article)
    body = article.body.raw_data
    body[0]["value"]["alt_text"] = "Fjell i sol."
    english = change(article, body=body)
    figure = soup_of(client, english).find("figure", class_="figure")
    # The language is the picture wrapper's, which the image's alternative text inherits.
    assert figure.find(class_="figure__picture")["lang"] == "nb"
    assert figure.img["alt"] == "Fjell i sol."
    assert not figure.figcaption.has_attr("lang")


def test_a_blocks_picture_is_marked_on_its_own(client, home, english_home, image):
    activity = factories.leisure(
        "Lundefuglene", picture=factories.picture(image, "Lunde på en fjellhylle.")
    )
    rana = publish(factories.MunicipalityPageFactory(parent=home, slug="rana", body=[activity]))
    translate(rana)
    body = rana.body.raw_data
    body[0]["value"]["picture"]["alt_text"] = "Lunde i sol."
    english = change(rana, body=body)
    section = soup_of(client, english).find("section", id=f"block-{body[0]['id']}")
    wrapper = section.find(class_="block-picture")
    assert wrapper["lang"] == "nb" and wrapper.img["alt"] == "Lunde i sol."
    assert not section.has_attr("lang") and not section.h3.has_attr("lang")


def test_a_block_whose_template_marks_no_parts_is_marked_as_a_whole(client, home, english_home):
    rana = publish(
        factories.MunicipalityPageFactory(
            parent=home, slug="rana", title="Rana", body=[factories.industry()]
        )
    )
    translate(rana)
    body = rana.body.raw_data
    body[0]["value"]["description"] = "Ny tekst om industrien."
    english = change(rana, body=body)
    section = soup_of(client, english).find("section", id=f"block-{body[0]['id']}")
    assert section["lang"] == "nb"
    assert "This part has not been translated yet" in notices(section)[0].get_text()


def test_a_paragraph_is_marked_as_a_whole(client, home, english_home):
    article = publish(factories.ArticlePageFactory(parent=home, slug="tekst"))
    translate(article)
    body = article.body.raw_data
    body[0]["value"] = "<p>Helt ny tekst.</p>"
    english = change(article, body=body)
    block = soup_of(client, english).find("div", class_="block-paragraph")
    assert block["lang"] == "nb" and notices(block)[0]["lang"] == "en"


# ---- the theme pages' entries, the home page's cards and the menu ---------------------------


def test_theme_page_entries_mark_their_untranslated_texts(client, home, english_home):
    from region_pages.models import Theme

    leisure_theme = publish(factories.ThemePageFactory(parent=home, slug="fritid", title="Fritid"))
    work_theme = publish(
        factories.ThemePageFactory(parent=home, slug="arbeid", title="Arbeid", theme=Theme.WORK)
    )
    english_leisure, english_work = translate(leisure_theme), translate(work_theme)
    rana = publish(
        factories.MunicipalityPageFactory(
            parent=home,
            slug="rana",
            title="Rana",
            body=[factories.leisure("Fjelltur"), factories.industry(heading="Prosessindustri")],
        )
    )
    translate(rana)
    body = rana.body.raw_data
    body[0]["value"]["description"] = "En lang tur i fjellet."
    body[1]["value"]["heading"] = "Industri i Mo"
    change(rana, body=body, title="Rana kommune")
    entry = Entry.objects.get(locale__language_code="en", kind="leisure")
    assert entry.data["description"] == "En lang tur i fjellet."

    soup = soup_of(client, english_leisure)
    items = soup.find_all("li", class_="entry")
    assert items  # the activity, in its season's list
    for listed in items:
        assert not listed.h3.a.has_attr("lang")  # the name is translated
        assert listed.find("p", string="En lang tur i fjellet.")["lang"] == "nb"
        assert [n["lang"] for n in notices(listed)] == ["en"]
        assert listed.find("span", string="Rana kommune")["lang"] == "nb"

    soup = soup_of(client, english_work)
    assert soup.find("h2", string="Rana kommune")["lang"] == "nb"
    industry = soup.find("li", class_="entry--industry")
    assert industry.h3.a["lang"] == "nb" and industry.h3.a.string == "Industri i Mo"
    assert not industry.find("p", string="EN: Prosessindustri i Mo Industripark.").has_attr("lang")


def test_a_fully_translated_entry_is_unmarked(client, home, english_home):
    theme = publish(factories.ThemePageFactory(parent=home, slug="fritid", title="Fritid"))
    english_theme = translate(theme)
    rana = publish(
        factories.MunicipalityPageFactory(
            parent=home, slug="rana", title="Rana", body=[factories.leisure("Fjelltur")]
        )
    )
    translate(rana)
    main = soup_of(client, english_theme).find("main")
    assert main.find("li", class_="entry") is not None
    assert not main.select("li.entry [lang]") and not notices(main)


def test_home_cards_carry_the_notice_with_their_marks(client, home, english_home):
    rana = publish(
        factories.MunicipalityPageFactory(parent=home, slug="rana", title="Rana", intro="Ingress.")
    )
    nesna = publish(
        factories.MunicipalityPageFactory(parent=home, slug="nesna", title="Nesna", intro="Kyst.")
    )
    article = publish(factories.ArticlePageFactory(parent=home, slug="bolig", title="Bolig"))
    translate(nesna)
    translate(rana)
    translate(article)
    change(rana, intro="Ny ingress.")
    change(article, title="Finne bolig")
    soup = soup_of(client, english_home)
    cards = {card.h3.a.string: card for card in soup.find_all("li", class_="card")}
    assert cards["EN: Rana"].p["lang"] == "nb"
    assert [n["lang"] for n in notices(cards["EN: Rana"])] == ["en"]
    assert not cards["EN: Nesna"].p.has_attr("lang") and not notices(cards["EN: Nesna"])
    link = soup.find("a", string="Finne bolig")
    assert link["lang"] == "nb"
    assert [n["lang"] for n in notices(link.parent)] == ["en"]


def test_the_menu_marks_an_untranslated_title(client, home, english_home):
    article = publish(
        factories.ArticlePageFactory(parent=home, slug="bolig", title="Bolig", show_in_menus=True)
    )
    translate(article)
    english = change(article, title="Finne bolig")
    menu = soup_of(client, english).find("nav", class_="site-nav")
    assert menu.find("a", string="Finne bolig")["lang"] == "nb"
    translate(article, texts={"Finne bolig": "Finding a home"})
    menu = soup_of(client, english).find("nav", class_="site-nav")
    assert not menu.find("a", string="Finding a home").has_attr("lang")


# ---- pages edited by hand, and names -------------------------------------------------------


def test_a_page_edited_by_hand_keeps_the_marks_of_text_still_identical_to_the_norwegian(
    client, home, english_home, admin_user
):
    article = publish(
        factories.ArticlePageFactory(parent=home, slug="skole", title="Skole", intro="Om skole.")
    )
    translate(article)
    english = change(article, intro="Alt om skole.")
    # The officer stops the synchronisation and edits the title by hand.
    Translation.objects.filter(
        source__object_id=article.translation_key, target_locale=english.locale
    ).update(enabled=False)
    english.title = "School"
    english.save_revision(user=admin_user).publish()
    english.refresh_from_db()
    assert Coverage.objects.get(revision_id=english.live_revision_id).missing_paths == ["intro"]
    soup = soup_of(client, english)
    assert soup.find("p", class_="lead")["lang"] == "nb"
    assert not soup.h1.has_attr("lang") and not soup.title.has_attr("lang")
    # Translating the intro by hand removes the mark.
    english.intro = "All about school."
    english.save_revision(user=admin_user).publish()
    english.refresh_from_db()
    assert not Coverage.objects.filter(revision_id=english.live_revision_id).exists()
    soup = soup_of(client, english)
    assert not soup.find("p", class_="lead").has_attr("lang")
    assert not notices(soup.find("main"))


def test_a_name_translated_as_itself_is_not_marked(client, home, english_home):
    rana = publish(
        factories.MunicipalityPageFactory(
            parent=home, slug="rana", title="Rana", intro="Rana er en industrikommune."
        )
    )
    english = translate(rana, texts={"Rana": "Rana"})
    soup = soup_of(client, english)
    assert soup.h1.string == "Rana" and not soup.h1.has_attr("lang")
    assert not soup.title.has_attr("lang") and not notices(soup.find("main"))


def test_the_title_meta_tags_and_body_share_one_query_for_the_gaps(
    home, english_home, django_assert_num_queries
):
    article = publish(factories.ArticlePageFactory(parent=home, slug="bo"))
    translate(article)
    english = change(article, title="Ny")
    english = type(english).objects.get(pk=english.pk)
    with versions.read_once():
        versions.token()  # as a request has read the content version
        with translation.override("en"), django_assert_num_queries(1):
            for _ in range(3):  # <title>, the meta tags and the body ask in turn
                assert "title" in gaps_for(english)
    assert english.locale == Locale.objects.get(language_code="en")
