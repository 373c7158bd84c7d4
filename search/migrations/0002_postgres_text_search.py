"""PostgreSQL only: accent folding, the two text search configurations, the GIN index.

`search_nb` and `search_en` fold accents with `unaccent` (ø → o, å → a, æ → ae) before
stemming with the Norwegian or English Snowball stemmer, so that "Luroy" finds "Lurøy" and
snippets highlight the folded words too. On SQLite these operations do nothing.
"""

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DROP TEXT SEARCH CONFIGURATION IF EXISTS search_nb;
CREATE TEXT SEARCH CONFIGURATION search_nb (COPY = pg_catalog.norwegian);
ALTER TEXT SEARCH CONFIGURATION search_nb
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, norwegian_stem;
DROP TEXT SEARCH CONFIGURATION IF EXISTS search_en;
CREATE TEXT SEARCH CONFIGURATION search_en (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION search_en
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
CREATE INDEX IF NOT EXISTS search_document_vector_gin
    ON search_searchdocument USING gin (search_vector);
"""

BACKWARD = """
DROP INDEX IF EXISTS search_document_vector_gin;
DROP TEXT SEARCH CONFIGURATION IF EXISTS search_nb;
DROP TEXT SEARCH CONFIGURATION IF EXISTS search_en;
"""


def on_postgres(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(on_postgres(FORWARD), on_postgres(BACKWARD))]
