"""PostgreSQL: full-text search with the language's configuration (stemming, accent
folding) from the language's GIN indexes, in two bounded steps of one statement: up to the
cap of rows whose title or keywords match (`rank_vector`), then up to the cap of rows that
match anywhere (`search_vector`). They are ranked with `ts_rank` on `rank_vector`: title
words before keywords before the text alone, equal ranks in the order of their titles.
Reading a bounded number of rows is what keeps a search for a common word fast; snippets
come from `ts_headline`, suggestions from prefix queries on `rank_vector`.
"""

from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db import connection

from ..models import WRITTEN_COLUMNS, SearchDocument
from ..synonyms import Unit
from .base import SNIPPET_WORDS, START, STOP, Candidate, marked

# The text search configuration for each language (created by migration 0002).
CONFIGS = {"nb": "search_nb", "en": "search_en"}
FALLBACK_CONFIG = "simple"
# Suggestions are chosen among this many prefix matches of titles and keywords.
SUGGESTION_CANDIDATES = 200
# Rows written by one INSERT.
BATCH_SIZE = 1000


def config_for(language_code: str) -> str:
    return CONFIGS.get(language_code, FALLBACK_CONFIG)


def postgres_query(units: list[Unit], config: str, prefix_last: bool = False):
    """One tsquery: every unit (its words, or one of its synonyms) must match; the last
    word as a prefix for suggestions."""
    parts = []
    for position, unit in enumerate(units):
        if prefix_last and position == len(units) - 1 and len(unit.words) == 1:
            # The word holds letters and digits only, so it cannot break out of the quotes.
            options = [SearchQuery(f"'{unit.words[0]}':*", search_type="raw", config=config)]
        else:
            options = [SearchQuery(" ".join(unit.words), search_type="plain", config=config)]
        options += [
            SearchQuery(alternative, search_type="plain", config=config)
            for alternative in unit.alternatives
        ]
        parts.append(reduce(or_, options))
    return reduce(and_, parts)


def _sql(expression) -> tuple[str, list]:
    """The SQL of an expression, for the statements written out below."""
    query = SearchDocument.objects.all().query
    sql, params = query.get_compiler(connection=connection).compile(
        expression.resolve_expression(query)
    )
    return sql, list(params)


# Two bounded reads of the language's GIN indexes. A CTE that is MATERIALIZED is planned
# for all its rows, so PostgreSQL takes the bitmap scan of the index; the LIMIT outside it
# then stops reading the table after that many rows. (With the LIMIT inside, the planner
# hopes to meet enough matches early in a sequential scan of the whole table.) When more
# than the cap of rows match in their title or keywords, those are the answer and the
# second read is skipped (LIMIT 0 never starts it).
_CANDIDATES_SQL = """
WITH title_matches AS MATERIALIZED (
    SELECT id, kind, municipality_number, title, ts_rank(rank_vector, {q}) AS rank
    FROM {table}
    WHERE language = %s AND (%s::bigint[] IS NULL OR site_id = ANY(%s::bigint[]))
        AND rank_vector @@ {q}
), matches AS MATERIALIZED (
    SELECT id, kind, municipality_number, title, ts_rank(rank_vector, {q}) AS rank
    FROM {table}
    WHERE language = %s AND (%s::bigint[] IS NULL OR site_id = ANY(%s::bigint[]))
        AND search_vector @@ {q}
), strong AS MATERIALIZED (
    SELECT * FROM title_matches LIMIT %s
)
SELECT *, FALSE FROM strong
UNION ALL
(SELECT *, TRUE FROM matches LIMIT (SELECT CASE WHEN count(*) > %s THEN 0 ELSE %s END FROM strong))
"""

_SUGGESTIONS_SQL = """
WITH matches AS MATERIALIZED (
    SELECT id, title, ts_rank(rank_vector, {q}) AS rank
    FROM {table}
    WHERE language = %s AND (%s::bigint[] IS NULL OR site_id = ANY(%s::bigint[]))
        AND rank_vector @@ {q}
)
SELECT id FROM (SELECT * FROM matches LIMIT %s) AS candidates
ORDER BY rank DESC, title, id LIMIT %s
"""


def _best_first(candidate: Candidate):
    return (-candidate[4], candidate[3], candidate[0])


def candidates_statement(
    language: str, units: list[Unit], cap: int, sites: list[int] | None = None
):
    """The statement that reads the candidates (also for EXPLAIN)."""
    q, params = _sql(postgres_query(units, config_for(language)))
    # Table and columns are our own names; the words are parameters.
    sql = _CANDIDATES_SQL.format(q=q, table=SearchDocument._meta.db_table)
    return sql, [*params, language, sites, sites, *params] * 2 + [cap + 1, cap, cap + 1]


# The vectors are computed in the INSERT that writes a row, from the texts it writes (no
# second pass, no dead rows). The statement is written out, because building Django
# expressions for thousands of rows costs more than the database's work.
_INSERT_SQL = """
INSERT INTO {table} ({columns}, folded_text, search_vector, rank_vector)
SELECT {columns}, '',
    setweight(to_tsvector(config::regconfig, title), 'A')
    || setweight(to_tsvector(config::regconfig, keywords), 'B')
    || setweight(to_tsvector(config::regconfig, body), 'C')
    || setweight(to_tsvector(config::regconfig, strong_heads || ' ' || body_heads), 'D'),
    setweight(to_tsvector(config::regconfig, title), 'A')
    || setweight(to_tsvector(config::regconfig, keywords || ' ' || strong_heads), 'B')
FROM (VALUES {rows}) AS v({columns}, strong_heads, body_heads, config)
"""


def _insert(documents: list[SearchDocument]) -> None:
    columns = ", ".join(WRITTEN_COLUMNS)
    # entry_id is NULL for pages and site_id outside every region: typed, so that a
    # batch of such rows only still inserts.
    casts = {"entry_id": "%s::bigint", "site_id": "%s::bigint"}
    row = (
        "(" + ", ".join([casts.get(column, "%s") for column in WRITTEN_COLUMNS] + ["%s"] * 3) + ")"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(documents), BATCH_SIZE):
            batch = documents[start : start + BATCH_SIZE]
            # Table and columns are our own names; every value is a parameter.
            sql = _INSERT_SQL.format(
                table=SearchDocument._meta.db_table,
                columns=columns,
                rows=", ".join([row] * len(batch)),
            )
            params = [
                value
                for doc in batch
                for value in (
                    *(getattr(doc, column) for column in WRITTEN_COLUMNS),
                    doc.strong_heads,
                    doc.body_heads,
                    config_for(doc.language),
                )
            ]
            cursor.execute(sql, params)


class PostgresBackend:
    def store(self, documents):
        _insert(documents)

    def candidates(self, language, units, cap, sites=None):
        with connection.cursor() as cursor:
            cursor.execute(*candidates_statement(language, units, cap, sites))
            rows = cursor.fetchall()
        found: dict[int, Candidate] = {}
        title_matches = matches = 0
        for pk, kind, number, title, rank, anywhere in rows:
            matches += anywhere
            title_matches += not anywhere
            found.setdefault(pk, (pk, kind, number, title, rank))
        # Every row of the first read matches anywhere too: with no more than the cap of
        # matches, the second read holds them all.
        capped = title_matches > cap or matches > cap
        return sorted(found.values(), key=_best_first)[:cap], capped

    def with_snippets(self, rows, fields, language, units):
        config = config_for(language)
        return rows.only(*fields).annotate(
            headline=SearchHeadline(
                "body",
                postgres_query(units, config),
                config=config,
                start_sel=START,
                stop_sel=STOP,
                max_words=SNIPPET_WORDS,
                min_words=12,
                short_word=2,
            )
        )

    def snippet(self, document, words):
        return marked(document.headline)

    def suggestion_ids(self, language, words, units, limit, sites=None):
        q, params = _sql(postgres_query(units, config_for(language), prefix_last=True))
        sql = _SUGGESTIONS_SQL.format(q=q, table=SearchDocument._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                sql, [*params, language, sites, sites, *params, SUGGESTION_CANDIDATES, limit]
            )
            return [row[0] for row in cursor.fetchall()]
