"""Template tags for honest pages in every language.

- `{% translation_gaps page as gaps %}`: the parts of a translated page still in the source
  language (`"intro" in gaps`, `block.id in gaps.blocks`, `gaps.source_language`);
- `{% translation_gaps_of pages as gaps_by_page %}`, `{% gaps_of gaps_by_page page as gaps %}`
  and `{% lang_if_untranslated gaps_by_page page "intro" %}`: the same for lists of pages;
- `{% shown_lang gaps page "seo_title" "title" %}`: ` lang="nb"` when the text shown for
  those fields (the first with a value) is untranslated: for `<title>`, meta tags, alt text;
- `{% block_gaps gaps block as untranslated %}` and, in a block's template,
  `{% untranslated_lang untranslated "description" %}` or
  `{% untranslated_lang untranslated "employers" forloop.counter0 %}`: the same per part
  of a StreamField block;
- `{% entry_gaps_of entries_by_page as entry_gaps %}` and
  `{% entry_gaps entry_gaps entry as untranslated %}`: the same for read-model entries;
- `{% missing_languages page as codes %}`: the languages the page is not available in;
- `{% untranslated_original as page %}`: on a "not found" page, the source-language page
  at the same address;
- `{% language_name code %}`: a language's name in the reader's language;
- `{% source_language %}` and `{% open_graph_locale %}`: from the settings, not the template.
"""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..coverage import NO_BLOCK_GAPS, NO_GAPS, BlockGaps, Gaps, gaps_for, gaps_for_pages
from ..coverage import entry_gaps as _entry_gaps
from ..fallback import missing_languages as _missing_languages
from ..fallback import untranslated_original as _untranslated_original

register = template.Library()

# Open Graph wants a territory; more languages can be added in OPEN_GRAPH_LOCALES.
OPEN_GRAPH_LOCALES = {"nb": "nb_NO", "nn": "nn_NO", "se": "se_NO", "en": "en_GB"}


@register.simple_tag
def translation_gaps(page):
    return gaps_for(page)


@register.simple_tag
def translation_gaps_of(*page_lists):
    """`{% translation_gaps_of municipalities themes as gaps_by_page %}`: one query."""
    return gaps_for_pages([page for pages in page_lists for page in pages or []])


@register.simple_tag
def gaps_of(gaps_by_page, page):
    """`{% gaps_of child_gaps card as card_gaps %}`: one page's gaps from such a list."""
    return (gaps_by_page or {}).get(page.pk, NO_GAPS)


@register.simple_tag
def lang_if_untranslated(gaps_by_page, page, field_name):
    """` lang="nb"` when `field_name` of `page` is still untranslated, else nothing."""
    gaps = gaps_by_page.get(page.pk) if gaps_by_page else None
    if gaps is not None and field_name in gaps:
        return format_html(' lang="{}"', gaps.source_language)
    return ""


def _lang(language):
    return format_html(' lang="{}"', language)


@register.simple_tag
def shown_lang(gaps, page, *field_names):
    """` lang="nb"` when the text shown for `field_names` of `page` is untranslated."""
    if isinstance(gaps, Gaps) and gaps.shown(page, *field_names):
        return _lang(gaps.source_language)
    return ""


@register.simple_tag
def block_gaps(gaps, block):
    """The untranslated parts of a StreamField block (`block` as the stream gives it)."""
    if not isinstance(gaps, Gaps) or not gaps:
        return NO_BLOCK_GAPS
    return gaps.of_block(block.id, block.value, block.block_type)


@register.simple_tag
def untranslated_lang(untranslated, name, index=None):
    """In a block's template: ` lang="nb"` on the element showing part `name` (or its list
    item at `index`) when that part is untranslated. Empty where no gaps were passed."""
    if isinstance(untranslated, BlockGaps) and untranslated.has(name, index):
        return _lang(untranslated.source_language)
    return ""


@register.simple_tag
def entry_gaps_of(*groups):
    """`{% entry_gaps_of entries_by_municipality as entry_gaps %}`: the untranslated parts
    of the pages behind read-model entries, in one query. Takes lists of entries or of
    (page, entries) pairs."""
    pages = {}
    for group in groups:
        for item in group or []:
            if isinstance(item, tuple | list):
                item = item[0]
            page = getattr(item, "page", item)
            pages[page.pk] = page
    return gaps_for_pages(list(pages.values()))


@register.simple_tag
def entry_gaps(gaps_by_page, entry):
    return _entry_gaps(gaps_by_page, entry)


@register.simple_tag
def missing_languages(page):
    return _missing_languages(page)


@register.simple_tag(takes_context=True)
def untranslated_original(context):
    return _untranslated_original(context.get("request"))


# Names as a reader says them ("Norwegian", not Django's "Norwegian Bokmal").
LANGUAGE_NAMES = {
    "nb": _("Norwegian"),
    "nn": _("Norwegian Nynorsk"),
    "se": _("Northern Sami"),
    "en": _("English"),
}


@register.simple_tag
def language_name(code):
    """The name of the language `code` in the reader's language."""
    if code in LANGUAGE_NAMES:
        return str(LANGUAGE_NAMES[code])
    try:
        return translation.get_language_info(code)["name_translated"]
    except KeyError:
        return code


@register.simple_tag
def source_language():
    return settings.LANGUAGE_CODE


@register.simple_tag
def open_graph_locale():
    code = translation.get_language() or settings.LANGUAGE_CODE
    locales = {**OPEN_GRAPH_LOCALES, **getattr(settings, "OPEN_GRAPH_LOCALES", {})}
    return locales.get(code, translation.to_locale(code))


@register.simple_tag(takes_context=True)
def same_query(context) -> str:
    """The request's query string ("?kommune=1833"), for a link to this page in another
    language that keeps the reader's filters; empty when there is none."""
    request = context.get("request")
    query = request.GET.urlencode() if request is not None else ""
    return f"?{query}" if query else ""


@register.simple_tag(takes_context=True)
def url_in_language(context, code: str) -> str:
    """This address in another language, for pages that are not Wagtail pages: the same
    route under its translated address (/nb/sok/?q=skole and /en/search/?q=skole), or that
    language's front page when the route has no translation (a 404)."""
    request = context.get("request")
    if request is None:
        return f"/{code}/"
    match = request.resolver_match
    # Wagtail's catch-all route says nothing of the page in another language.
    if match is None or match.url_name == "wagtail_serve":
        return f"/{code}/"
    path = request.get_full_path()
    translated = translate_url(path, code)
    return translated if translated != path else f"/{code}/"
