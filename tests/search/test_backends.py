"""The engines behind search: the one of the running database is chosen, and it answers
what `search.backends.base.SearchBackend` promises."""

from django.db import connection

from search import synonyms
from search.backends import PostgresBackend, SqliteBackend, get_backend
from search.models import SearchDocument


def test_the_backend_is_the_one_of_the_running_database(db):
    expected = PostgresBackend if connection.vendor == "postgresql" else SqliteBackend
    assert type(get_backend()) is expected


def test_the_backend_answers_as_the_interface_says(region):
    backend = get_backend()
    units = synonyms.units(["Lurøy"])

    candidates, capped = backend.candidates("nb", units, cap=1)
    assert len(candidates) == 1 and capped  # Lurøy's page and its entries match
    more, capped = backend.candidates("nb", units, cap=100)
    assert not capped
    assert candidates[0] == more[0]
    assert all(number in ("1834", "") for _pk, _kind, number, _title, _rank in more)
    ids = [pk for pk, *_rest in more]
    assert set(SearchDocument.objects.filter(pk__in=ids).values_list("language", flat=True)) == {
        "nb"
    }

    words = ["industrikommune"]
    found, _capped = backend.candidates("nb", synonyms.units(words), cap=10)
    rows = backend.with_snippets(
        SearchDocument.objects.filter(pk__in=[pk for pk, *_rest in found]),
        ("title",),
        "nb",
        synonyms.units(words),
    )
    snippets = [backend.snippet(row, words) for row in rows]
    assert snippets and all("<mark>industrikommune</mark>" in snippet for snippet in snippets)

    suggestions = backend.suggestion_ids("nb", ["Lur"], synonyms.units(["Lur"]), limit=5)
    assert suggestions and set(suggestions) <= set(
        SearchDocument.objects.filter(language="nb").values_list("pk", flat=True)
    )
    assert SearchDocument.objects.get(pk=suggestions[0]).title == "Lurøy"
