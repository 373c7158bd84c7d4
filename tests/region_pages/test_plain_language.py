"""The plain-language checks: LIX, long sentences, passive voice and words to avoid, on
text as officers write it (plain text and the rich text's HTML)."""

from django.utils import translation

from hypothesis import given
from hypothesis import strategies as st

from region_pages import plain_language
from region_pages.plain_language import check, level, sentences

PLAIN = "Vi behandler søknaden din. Du får svar innen tre uker."


@translation.override("en")
def test_lix_is_words_per_sentence_plus_the_share_of_long_words():
    report = check([PLAIN], "nb")
    # 10 words, 2 sentences, 2 words longer than six letters (behandler, søknaden).
    assert (report.words, report.sentences, report.long_words) == (10, 2, 2)
    assert report.lix == 10 / 2 + 100 * 2 / 10 == 25.0
    assert report.level == "very easy"
    assert [level(score) for score in (29.9, 30, 45, 55, 61)] == [
        "very easy",
        "easy",
        "medium",
        "difficult",
        "very difficult",
    ]
    assert check([""], "nb").lix is None and level(None) == ""


def test_paragraphs_headings_and_list_items_end_sentences_and_abbreviations_do_not():
    html = (
        "<h2>Slik søker du</h2><p>Fyll ut skjemaet, f.eks. på nett. Send det til oss.</p>"
        "<ul><li>Vitnemål</li><li>Attest<br>fra arbeidsgiver</li></ul>"
    )
    assert sentences([html]) == [
        "Slik søker du",
        "Fyll ut skjemaet, f.eks. på nett.",
        "Send det til oss.",
        "Vitnemål",
        "Attest",
        "fra arbeidsgiver",
    ]


def test_long_sentences_are_pointed_out():
    long = " ".join(["ord"] * (plain_language.LONG_SENTENCE + 1)) + "."
    short = " ".join(["ord"] * plain_language.LONG_SENTENCE) + "."
    report = check([long, short], "nb")
    assert report.long_sentence_count == 1 and report.long_sentences == [long]


def test_the_passive_voice_is_found_in_norwegian_and_english():
    norwegian = check(
        [
            "Søknaden blir behandlet av kommunen. Skjemaet kan sendes inn digitalt. "
            "Saken ble ikke avgjort. Vi behandler søknaden. Barna blir store."
        ],
        "nb",
    )
    assert norwegian.passives == ["blir behandlet", "kan sendes", "ble ikke avgjort"]
    english = check(["The form is processed by us. We process the form."], "en")
    assert english.passives == ["is processed"] and english.passive_count == 1


def test_words_to_avoid_are_found_whole_and_named_with_the_advice():
    report = check(
        ["Dersom du har spørsmål, ta kontakt. I henhold til loven svarer vi. Dersomt."],
        "nb",
        {"dersom": "hvis", "i henhold til": "etter"},
    )
    assert report.avoided == [("Dersom", "hvis"), ("I henhold til", "etter")]


def test_findings_survive_the_round_trip_through_the_database_format():
    report = check([PLAIN + " Skjemaet kan sendes."], "nb", {"svar": "svar"})
    again = plain_language.Report.from_dict(report.as_dict())
    assert again == report and again.lix == report.lix


TEXT = st.text(alphabet=st.sampled_from(list("abcæøå ABCÆØÅ.!?:,-<>/p0123456789\n")), max_size=300)


@given(st.lists(TEXT, max_size=5), st.sampled_from(["nb", "en", "se"]))
def test_any_text_is_checked_and_its_counts_add_up_part_by_part(parts, language):
    whole = check(parts, language)
    one_by_one = [check([part], language) for part in parts]
    assert whole.words == sum(r.words for r in one_by_one)
    assert whole.sentences == sum(r.sentences for r in one_by_one)
    assert whole.long_words == sum(r.long_words for r in one_by_one)
    assert 0 <= whole.long_words <= whole.words
    assert (whole.lix is None) == (whole.words == 0)
    if whole.lix is not None:
        assert whole.sentences >= 1
        assert 1 <= whole.lix <= whole.words + 100
