"""The search index, the synonyms editors maintain, and the record of missed searches.

`SearchDocument` is our own index: one row per live, public page and per entry of the read
model, in that row's language. On PostgreSQL its vectors are computed with the language's
text search configuration (`search_nb`: unaccent + Norwegian stemming, `search_en`:
unaccent + English stemming, created by migration 0002): `search_vector` holds everything
and is matched, the small `rank_vector` (title and keywords) ranks and serves suggestions.
Both have one GIN index per language (migration 0005). On SQLite the vectors stay empty and
`folded_text` (lower case, accents folded) is matched instead.

Cached answers depend on the content version (`region_pages.versions`), which every change of
the rows, the synonyms and the promotions moves on.
"""

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .text import MAX_PHRASE_WORDS, MAX_TERM_LENGTH, phrase_key, split_terms


class ResultKind(models.TextChoices):
    PAGE = "page", _("Page")
    SCHOOL = "school", _("School or kindergarten")
    LEISURE = "leisure", _("Leisure activity")
    INDUSTRY = "industry", _("Industry")


# The columns a row is written with; the rest (SQLite's folded text, PostgreSQL's vectors)
# is computed from them.
WRITTEN_COLUMNS = (
    "page_id",
    "entry_id",
    "locale_id",
    "language",
    "kind",
    "municipality_number",
    "site_id",
    "title",
    "body",
    "keywords",
)


class SearchDocument(models.Model):
    # ---- what the row stands for ----------------------------------------------------
    # For a page result, the page itself; for an entry, the municipality page it is on.
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    entry = models.OneToOneField(
        "region_pages.Entry",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="search_document",
    )
    # Indexed by the first column of the (locale, kind, municipality) index below.
    locale = models.ForeignKey(
        "wagtailcore.Locale", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # The locale's language code, which the partial GIN indexes of each language name.
    language = models.CharField(max_length=8, default="", blank=True)
    kind = models.CharField(max_length=20, choices=ResultKind.choices)
    municipality_number = models.CharField(max_length=4, blank=True)
    # The region's site (`region_pages.regions`): the index's partition. A search reads
    # the rows of the request's region only. Null for a page outside every region.
    site_id = models.BigIntegerField(null=True, blank=True)

    # ---- what is searched and shown -------------------------------------------------
    title = models.CharField(max_length=255)
    body = models.TextField(blank=True)
    # Text of lower weight: the municipality's name, category labels, place names.
    keywords = models.TextField(blank=True)
    # SQLite only: the folded words that queries are matched against there.
    folded_text = models.TextField(blank=True)
    # PostgreSQL only: title (A), keywords (B), text (C), compound heads (D), matched.
    search_vector = SearchVectorField(null=True)
    # PostgreSQL only: title (A) and keywords (B): small enough to stay in the row, so
    # ranking many matches does not read the large vector.
    rank_vector = SearchVectorField(null=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        # The GIN indexes on the vectors, one per language, exist on PostgreSQL only
        # (migration 0005): the GinIndex of django.contrib.postgres cannot be skipped on
        # SQLite.

    def __str__(self):
        return self.title

    @property
    def anchor(self) -> str:
        return f"block-{self.entry.block_id}" if self.entry_id else ""


class Synonym(models.Model):
    """Words or phrases readers use for the same thing, in either language: a search for one
    finds all."""

    terms = models.CharField(
        max_length=500,
        verbose_name=_("words"),
        help_text=_(
            "Two or more words or phrases that mean the same, separated by commas. For "
            "example: barnehage, kindergarten or Mo Industripark, MIP. A search for one of "
            "them also finds the others."
        ),
    )

    class Meta:
        verbose_name = _("synonym")
        verbose_name_plural = _("synonyms")
        ordering = ["terms"]

    def __str__(self):
        return self.terms

    @property
    def term_list(self) -> list[str]:
        return split_terms(self.terms)

    def clean(self):
        terms = self.term_list
        if len(terms) < 2:
            raise ValidationError({"terms": _("Give at least two words, separated by commas.")})
        if len(terms) > 10:
            raise ValidationError({"terms": _("Give at most ten words in one group.")})
        too_long = [t for t in terms if len(t) > MAX_TERM_LENGTH]
        if too_long:
            raise ValidationError(
                {
                    "terms": _("Each word may have at most %(max)d characters.")
                    % {"max": MAX_TERM_LENGTH}
                }
            )
        keys = [phrase_key(t) for t in terms]
        if not all(keys) or any(len(key.split()) > MAX_PHRASE_WORDS for key in keys):
            raise ValidationError(
                {
                    "terms": _("A phrase may have at most %(max)d words, and needs letters.")
                    % {"max": MAX_PHRASE_WORDS}
                }
            )
        if len(set(keys)) < len(keys):
            raise ValidationError({"terms": _("The same word is given twice.")})
        self.terms = ", ".join(terms)


class MissedQuery(models.Model):
    """How often, per day and language, a search found nothing."""

    query_string = models.CharField(max_length=200, verbose_name=_("search"))
    language_code = models.CharField(max_length=8, verbose_name=_("language"))
    date = models.DateField(verbose_name=_("date"))
    hits = models.PositiveIntegerField(default=0, verbose_name=_("searches"))

    class Meta:
        verbose_name = _("search without results")
        verbose_name_plural = _("searches without results")
        constraints = [
            models.UniqueConstraint(
                fields=["query_string", "language_code", "date"], name="missed_query_per_day"
            )
        ]

    def __str__(self):
        return self.query_string
