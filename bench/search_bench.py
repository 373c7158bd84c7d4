"""Site search at scale on PostgreSQL: index time and query latency.

    make bench-search
    # or: uv run python bench/search_bench.py [--pages 10000] [--entries 50000] [--rounds 20]

Creates a throw-away database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/ranaregionen_bench_search; dropped and created again),
migrates it, and generates synthetic content in both languages: municipality pages, article
pages and entries of the read model, inserted in bulk. The search index is then built by
`search.indexing.index_pages`, the function publishing calls, and timed. Each query of a
fixed list is run `--rounds` times through `search.query.search` (facets, one page of
results, snippets, promotions: what the search page does apart from rendering) with the
cache of answers switched off, then as often again with it on (a search repeated within its
minute; the first run fills the cache), and suggestions through `search.query.suggest`,
uncached. Three baselines are measured in the same run, on the same rows: `SELECT 1` (a
round trip), a plain `ILIKE` search (count and first page), and what the search did before
it read a bounded number of rows: count every match by kind and municipality, and rank
every match with `ts_rank` on the whole vector for the first page, on the same indexes.
The load average of the machine is printed before and after the measurements: other work
on the machine inflates every figure. At the end, PostgreSQL's plan (EXPLAIN ANALYZE) of
the matching statement for two queries. The seed is fixed, so a run on the same machine
generates the same content.
"""

import argparse
import functools
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

from throwaway import recreate_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ranaregionen_bench_search"

QUERIES = [
    ("nb", "skoler"),
    ("nb", "barnehagen"),
    ("nb", "fjellturer"),
    ("nb", "Luroy"),
    ("nb", "Mo i Rana"),
    ("nb", "mo-i-rana"),
    ("nb", "Raane"),
    ("nb", "jobb"),
    ("nb", "skole Hemnes"),
    ("nb", "kajakk Lovund"),
    ("nb", "industri arbeidsplasser"),
    ("nb", "qwxyz"),
    ("en", "schools"),
    ("en", "kindergartens"),
    ("en", "hiking"),
    ("en", "jobs"),
    ("en", "Luroy"),
    ("en", "mountain hike Rana"),
    ("en", "process industry"),
    ("en", "qwxyz"),
]
SUGGESTIONS = [("nb", "sko"), ("nb", "barneh"), ("nb", "lur"), ("en", "kinder"), ("en", "hik")]

PLACES = ["Rana", "Mo i Rana", "Hemnes", "Korgen", "Lurøy", "Lovund", "Nesna", "Svartisen"]
WORDS = {
    "nb": [
        "skole",
        "skoler",
        "barnehage",
        "barnehagen",
        "fjelltur",
        "fjellturer",
        "kajakk",
        "padling",
        "fiske",
        "ski",
        "industri",
        "arbeidsplass",
        "arbeidsplasser",
        "jobb",
        "stilling",
        "næring",
        "havbruk",
        "kultur",
        "bibliotek",
        "idrett",
        "svømmehall",
        "fjord",
        "kyst",
        "øy",
        "fjell",
        "tur",
        "løype",
        "sommer",
        "vinter",
        "høst",
        "vår",
        "familie",
        "barn",
        "elever",
        "lærere",
        "kommune",
        "region",
        "nyhet",
        "informasjon",
        "bolig",
        "flytte",
        "tilflytter",
    ],
    "en": [
        "school",
        "schools",
        "kindergarten",
        "kindergartens",
        "hike",
        "hiking",
        "kayak",
        "paddling",
        "fishing",
        "skiing",
        "industry",
        "workplace",
        "workplaces",
        "job",
        "jobs",
        "vacancy",
        "aquaculture",
        "culture",
        "library",
        "sport",
        "swimming",
        "fjord",
        "coast",
        "island",
        "mountain",
        "trail",
        "summer",
        "winter",
        "autumn",
        "spring",
        "family",
        "children",
        "pupils",
        "teachers",
        "municipality",
        "region",
        "news",
        "information",
        "housing",
        "moving",
    ],
}
VOCABULARY: tuple[list[str], list[float]] = ([], [])
KINDS = ["school", "leisure", "industry"]


SYLLABLES = [
    "ka",
    "ve",
    "lo",
    "ri",
    "sta",
    "mun",
    "bor",
    "fje",
    "gra",
    "hel",
    "nes",
    "tin",
    "ord",
    "sk",
    "rå",
    "lyn",
    "ba",
    "de",
    "mi",
    "øy",
]
# Three words in a hundred come from the topical words above, the rest from a Zipf-distributed
# vocabulary of made-up words: common words are common, most words are rare.
TOPICAL_SHARE = 0.03
VOCABULARY_SIZE = 20_000


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    words = sorted(
        {
            "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
            for _ in range(VOCABULARY_SIZE)
        }
    )
    rng.shuffle(words)
    return words, [1 / rank for rank in range(1, len(words) + 1)]


def sentence(rng: random.Random, language: str, length: int) -> str:
    common, weights = VOCABULARY
    words = rng.choices(common, weights=weights, k=length)
    for i in range(length):
        if rng.random() < TOPICAL_SHARE:
            words[i] = rng.choice(WORDS[language])
    if rng.random() < 0.5:
        words[rng.randrange(length)] = rng.choice(PLACES)
    return " ".join(words).capitalize() + "."


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def insert_rows(model, objects) -> None:
    """Insert the rows of `model`'s own table (a page type's table below wagtailcore_page)."""
    from django.db import connection

    fields = model._meta.local_concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # Table and columns come from the model's metadata, the values are parameters.
    sql = f"INSERT INTO {model._meta.db_table} ({columns}) VALUES ({placeholders})"  # noqa: S608
    rows = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def generate(pages: int, entries: int, municipalities: int, rng: random.Random) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone, translation

    from wagtail.models import Locale, Page, Site

    from region_pages.models import ArticlePage, Entry, HomePage, MunicipalityPage

    nb, _ = Locale.objects.get_or_create(language_code="nb")
    en, _ = Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    for child in root.get_children():
        child.delete()
    home = root.add_child(instance=HomePage(title="Ranaregionen", slug="ranaregionen", locale=nb))
    home.save_revision().publish()
    home_en = home.copy_for_translation(en)
    home_en.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Bench"},
    )
    now = timezone.now()
    per_language_pages = pages // 2
    per_language_entries = entries // 2
    types = {
        model: ContentType.objects.get_for_model(model) for model in (ArticlePage, MunicipalityPage)
    }
    keys = [uuid.uuid4() for _ in range(per_language_pages)]
    numbers = [f"{9000 + i:04d}" for i in range(municipalities)]
    for locale, parent in ((nb, home), (en, Page.objects.get(pk=home_en.pk))):
        language = locale.language_code
        base_rows, specific = [], []
        for i in range(per_language_pages):
            municipal = i < municipalities
            model = MunicipalityPage if municipal else ArticlePage
            slug = f"kommune-{i}" if municipal else f"side-{i}"
            title = f"{rng.choice(PLACES)} {i}" if municipal else sentence(rng, language, 4)[:-1]
            base_rows.append(
                Page(
                    title=title,
                    draft_title=title,
                    slug=slug,
                    path=Page._get_path(parent.path, parent.depth + 1, i + 1),
                    depth=parent.depth + 1,
                    numchild=0,
                    url_path=f"{parent.url_path}{slug}/",
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=now,
                    last_published_at=now,
                    locale=locale,
                    translation_key=keys[i],
                    content_type=types[model],
                )
            )
        created = Page.objects.bulk_create(base_rows, batch_size=2000)
        for i, page in enumerate(created):
            paragraphs = [
                {
                    "type": "paragraph",
                    "value": f"<p>{sentence(rng, language, rng.randint(30, 80))}</p>",
                    "id": str(uuid.uuid4()),
                }
                for _ in range(2)
            ]
            fields = {"page_ptr_id": page.pk, "intro": sentence(rng, language, 12)}
            if i < municipalities:
                specific.append(
                    MunicipalityPage(
                        **fields,
                        municipality_number=numbers[i],
                        administrative_centre=rng.choice(PLACES),
                        website="https://www.example.no/",
                        body=paragraphs,
                    )
                )
            else:
                specific.append(ArticlePage(**fields, body=paragraphs))
        insert_rows(MunicipalityPage, [p for p in specific if isinstance(p, MunicipalityPage)])
        insert_rows(ArticlePage, [p for p in specific if isinstance(p, ArticlePage)])
        Page.objects.filter(pk=parent.pk).update(numchild=len(created))

        municipal_pages = created[:municipalities]
        rows = []
        with translation.override(language):
            for n in range(per_language_entries):
                page = municipal_pages[n % municipalities]
                kind = KINDS[n % len(KINDS)]
                data, columns = typed_entry(kind, language, rng, page)
                seasons = columns.pop("seasons", [])
                rows.append(
                    Entry(
                        page_id=page.pk,
                        locale=locale,
                        translation_key=page.translation_key,
                        block_id=str(uuid.uuid4()),
                        position=n // municipalities,
                        kind=kind,
                        municipality_number=numbers[n % municipalities],
                        data=data,
                        published_at=now,
                        **{f"in_{season}": True for season in seasons},
                        **columns,
                    )
                )
        Entry.objects.bulk_create(rows, batch_size=5000)


@functools.cache
def entry_blocks() -> dict:
    from region_pages.blocks import IndustryBlock, LeisureActivityBlock, SchoolBlock

    return {"school": SchoolBlock(), "leisure": LeisureActivityBlock(), "industry": IndustryBlock()}


def typed_entry(kind: str, language: str, rng: random.Random, page) -> tuple[dict, dict]:
    """An entry's data and columns as publishing writes them (the block's own API
    representation and columns), for a block of `kind` with generated texts."""
    block = entry_blocks()[kind]
    name = sentence(rng, language, rng.randint(2, 4))[:-1]
    description = sentence(rng, language, rng.randint(15, 40))
    coordinates = {"latitude": 66.0 + rng.random(), "longitude": 13.0 + rng.random() * 2}
    if kind == "school":
        raw = {
            "name": name,
            "level": "primary",
            "pupils": rng.randint(20, 400),
            "description": description,
            "address": f"{rng.choice(PLACES)} {rng.randint(1, 99)}",
            "coordinates": coordinates,
        }
    elif kind == "leisure":
        raw = {
            "name": name,
            "category": "hiking",
            "seasons": rng.sample(["winter", "spring", "summer", "autumn"], 2),
            "description": description,
            "place_name": rng.choice(PLACES),
            "coordinates": coordinates,
        }
    else:
        raw = {"sector": "industry", "heading": name, "description": description}
    value = block.to_python(raw)
    return block.get_api_representation(value, context={"page": page}), block.entry_columns(value)


def timed(function, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=10_000, help="pages in both languages")
    parser.add_argument("--entries", type=int, default=50_000, help="entries in both languages")
    parser.add_argument("--municipalities", type=int, default=50, help="per language")
    parser.add_argument("--rounds", type=int, default=20, help="runs of each query")
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    recreate_database(url)

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.postgres.search import SearchRank
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count, F, Q
    from django.test import RequestFactory
    from django.utils import translation

    from wagtail.models import Locale, Page

    from search import indexing, query, synonyms
    from search.backends import postgres
    from search.models import SearchDocument
    from search.text import terms

    print(f"Database: {connection.settings_dict['NAME']} (PostgreSQL {connection.pg_version})")
    call_command("migrate", verbosity=0)
    rng = random.Random(20261127)  # noqa: S311 - synthetic content, not security
    global VOCABULARY
    VOCABULARY = vocabulary(rng)

    started = time.perf_counter()
    generate(args.pages, args.entries, args.municipalities, rng)
    print(f"Generated in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    rows = indexing.index_pages()
    index_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    pages = Page.objects.filter(depth__gt=1).count()
    documents = SearchDocument.objects.count()
    entry_rows = SearchDocument.objects.exclude(entry=None).count()
    print(
        f"Indexed {rows} rows ({pages} pages, {entry_rows} entries) in {index_seconds:.1f} s "
        f"({rows / index_seconds:.0f} rows/s)"
    )
    if documents != rows:
        raise SystemExit(f"The index has {documents} rows, {rows} were written.")

    one_page = Page.objects.filter(depth=3).order_by("-pk").values_list("pk", flat=True).first()
    one_page_ms = timed(lambda: indexing.index_pages([one_page]), 5)
    municipality = (
        Page.objects.filter(depth=3, slug="kommune-0").values_list("pk", flat=True).first()
    )
    municipality_ms = timed(lambda: indexing.index_pages([municipality]), 5)

    locales = {locale.language_code: locale for locale in Locale.objects.all()}

    requests = RequestFactory()

    def search(language, q):
        # A new request each time, as the search page passes its own: the content version is
        # read once per request, and links are made relative to the request's site.
        request = requests.get("/", HTTP_HOST="localhost")
        with translation.override(language):
            return query.search(q, language, request=request)

    def cached_search(language, q):
        settings.SEARCH_CACHE_SECONDS = 60
        try:
            return search(language, q)
        finally:
            settings.SEARCH_CACHE_SECONDS = 0

    def suggest(language, q):
        request = requests.get("/", HTTP_HOST="localhost")
        with translation.override(language):
            return query.suggest(q, language, request=request)

    def ilike(language, q):
        rows = SearchDocument.objects.filter(locale=locales[language])
        for word in q.split():
            rows = rows.filter(Q(title__icontains=word) | Q(body__icontains=word))
        rows.count()
        list(rows.order_by("title").values_list("pk", "title")[:10])

    def rank_everything(language, q):
        tsquery = postgres.postgres_query(synonyms.units(terms(q)), postgres.config_for(language))
        rows = SearchDocument.objects.filter(language=language, search_vector=tsquery)
        list(rows.values("kind", "municipality_number").annotate(n=Count("pk")).order_by())
        list(
            rows.annotate(rank=SearchRank(F("search_vector"), tsquery))
            .order_by("-rank", "title", "pk")
            .values_list("pk", flat=True)[:10]
        )

    def matching(language, q):
        tsquery = postgres.postgres_query(synonyms.units(terms(q)), postgres.config_for(language))
        return SearchDocument.objects.filter(language=language, search_vector=tsquery).count()

    def select_one():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    # The figures that matter are those of a search nobody made in the last minute.
    settings.SEARCH_CACHE_SECONDS = 0
    for language, q in QUERIES + SUGGESTIONS:  # warm up
        search(language, q)
        ilike(language, q)
        rank_everything(language, q)

    load_before = os.getloadavg()
    results = {}
    search_ms, cached_ms, suggest_ms, ilike_ms, everything_ms = [], [], [], [], []
    for language, q in QUERIES:
        samples = timed(lambda language=language, q=q: search(language, q), args.rounds)
        search_ms += samples
        ilike_ms += timed(lambda language=language, q=q: ilike(language, q), args.rounds)
        everything_ms += timed(
            lambda language=language, q=q: rank_everything(language, q), args.rounds
        )
        answer = search(language, q)
        results[(language, q)] = (
            answer.total,
            answer.capped,
            matching(language, q),
            statistics.median(samples),
        )
    cache.clear()
    for language, q in QUERIES:
        cached_search(language, q)  # the first search of the minute fills the cache
        cached_ms += timed(lambda language=language, q=q: cached_search(language, q), args.rounds)
    for language, q in SUGGESTIONS:
        suggest_ms += timed(lambda language=language, q=q: suggest(language, q), args.rounds)
    select_ms = timed(select_one, args.rounds * len(QUERIES))
    load_after = os.getloadavg()

    print()
    print(f"{'lang':<5}{'query':<26}{'results':>8}{'matching rows':>15}{'median ms':>11}")
    for (language, q), (total, capped, rows, median) in results.items():
        shown = f"{total}+" if capped else str(total)
        print(f"{language:<5}{q:<26}{shown:>8}{rows:>15}{median:>11.1f}")
    print()
    print(f"{'measure':<44}{'p50 ms':>9}{'p95 ms':>9}{'p95 / SELECT 1':>16}")
    base95 = percentile(select_ms, 0.95)
    for label, samples in (
        ("search (facets, page, snippets, promotions)", search_ms),
        ("search repeated within a minute (cached)", cached_ms),
        ("suggestions (prefix)", suggest_ms),
        ("baseline: count and rank every match", everything_ms),
        ("baseline: plain ILIKE, count + first page", ilike_ms),
        ("baseline: SELECT 1", select_ms),
        ("index one article page", one_page_ms),
        (
            f"index one municipality page (+{entry_rows // (2 * args.municipalities)} entries)",
            municipality_ms,
        ),
    ):
        p95 = percentile(samples, 0.95)
        print(f"{label:<44}{percentile(samples, 0.5):>9.1f}{p95:>9.1f}{p95 / base95:>16.0f}")
    print()
    p95 = percentile(search_ms, 0.95)
    print(
        f"search p95 / ILIKE p95 = {p95 / percentile(ilike_ms, 0.95):.2f}; "
        f"search p95 / count-and-rank-every-match p95 = "
        f"{p95 / percentile(everything_ms, 0.95):.2f}; "
        f"target p95 < 50 ms: {'met' if p95 < 50 else 'NOT met'}"
    )
    print(
        "load average (1, 5, 15 min) before the measurements: "
        + ", ".join(f"{n:.2f}" for n in load_before)
        + "; after: "
        + ", ".join(f"{n:.2f}" for n in load_after)
    )
    for language, q in (("nb", "Raane"), ("nb", "skole Hemnes")):
        units = synonyms.units(terms(q))
        sql, params = postgres.candidates_statement(language, units, query.result_cap())
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        print(f"\nThe matching statement for {q!r} ({language}):\n{plan}")


if __name__ == "__main__":
    main()
