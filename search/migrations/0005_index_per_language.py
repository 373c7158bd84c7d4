"""The index per language, a small vector for ranking, the index version, phrase synonyms.

- `language` copies the locale's language code into each row, so that PostgreSQL can keep
  one GIN index per language (partial indexes): a search reads only its language's index.
- `rank_vector` (title and keywords) ranks the matches without reading the large
  `search_vector`; it has its own GIN indexes per language, for title matches and
  suggestions.
- The GIN indexes are built with `fastupdate = off`: publishing writes few rows at a time,
  and without the pending list a query never has to scan unsorted entries.
- `IndexVersion` counts the changes that may change an answer (cache keys, API ETags).
- Phrase synonyms are seeded: "Mo i Rana, Mo" and "Mo Industripark, MIP".

Rows indexed before this migration get their language and rank vector here; the compound
heads of Norwegian words (`search.compounds`) come with the next publish of each page, or
at once with `manage.py rebuild_search_index`.
"""

import django.contrib.postgres.search
from django.db import migrations, models

LANGUAGES = ("nb", "en")
CONFIGS = {"nb": "search_nb", "en": "search_en"}

INDEXES = """
DROP INDEX IF EXISTS search_document_vector_gin;
CREATE INDEX IF NOT EXISTS search_document_vector_{language}
    ON search_searchdocument USING gin (search_vector)
    WITH (fastupdate = off) WHERE language = '{language}';
CREATE INDEX IF NOT EXISTS search_document_rank_vector_{language}
    ON search_searchdocument USING gin (rank_vector)
    WITH (fastupdate = off) WHERE language = '{language}';
"""

RANK_VECTORS = """
UPDATE search_searchdocument SET rank_vector =
    setweight(to_tsvector(%(config)s::regconfig, title), 'A')
    || setweight(to_tsvector(%(config)s::regconfig, keywords), 'B')
WHERE language = %(language)s;
"""

DROP_INDEXES = """
DROP INDEX IF EXISTS search_document_vector_{language};
DROP INDEX IF EXISTS search_document_rank_vector_{language};
CREATE INDEX IF NOT EXISTS search_document_vector_gin
    ON search_searchdocument USING gin (search_vector);
"""

PHRASE_SYNONYMS = ["Mo i Rana, Mo", "Mo Industripark, MIP"]


def forward(apps, schema_editor):
    SearchDocument = apps.get_model("search", "SearchDocument")
    Locale = apps.get_model("wagtailcore", "Locale")
    for locale in Locale.objects.all():
        SearchDocument.objects.filter(locale=locale).update(language=locale.language_code)
    if schema_editor.connection.vendor == "postgresql":
        for language in LANGUAGES:
            # Our own constants: the language codes are not input.
            schema_editor.execute(INDEXES.format(language=language))
            schema_editor.execute(
                RANK_VECTORS, {"config": CONFIGS[language], "language": language}
            )
    IndexVersion = apps.get_model("search", "IndexVersion")
    IndexVersion.objects.get_or_create(pk=1)
    Synonym = apps.get_model("search", "Synonym")
    for terms in PHRASE_SYNONYMS:
        Synonym.objects.get_or_create(terms=terms)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for language in LANGUAGES:
            schema_editor.execute(DROP_INDEXES.format(language=language))


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_slimmer_indexes"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name="IndexVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.PositiveBigIntegerField(default=0)),
                ("changed_at", models.DateTimeField(null=True)),
            ],
            options={
                "verbose_name": "search index version",
                "verbose_name_plural": "search index versions",
            },
        ),
        migrations.RemoveIndex(
            model_name="searchdocument",
            name="search_sear_locale__97482c_idx",
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="language",
            field=models.CharField(blank=True, default="", max_length=8),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="rank_vector",
            field=django.contrib.postgres.search.SearchVectorField(null=True),
        ),
        migrations.AlterField(
            model_name="synonym",
            name="terms",
            field=models.CharField(
                help_text="Two or more words or phrases that mean the same, separated by "
                "commas. For example: barnehage, kindergarten or Mo Industripark, MIP. A "
                "search for one of them also finds the others.",
                max_length=500,
                verbose_name="words",
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
