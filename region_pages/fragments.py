"""The parts of a public page rendered once per content version and kept in the cache.

What a page shows of its own content, and of the data it draws on (registers, events,
vacancies), changes only when the content version moves on (a publish, a source's run).
So the page's parts (its head's metadata and its content: `PARTS`) are rendered once per
version and address, and every later reader of the same address gets the same HTML: the
frame around them (the menu, the language switcher, which keeps the reader's query, and
an editor's user bar) is rendered for each request, from values kept in the same way.

The page reads all its parts in one round trip when its context is made
(`read`); a page type whose context costs queries builds it only when a part is missing
(`complete`). A preview (a draft) and anything but a GET neither reads nor keeps them.
"""

import hashlib
from urllib.parse import urlencode

from django.core.cache import cache
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

PARTS = ("meta", "content")
# Where the page's context holds the parts read for the request.
CONTEXT_NAME = "page_fragments"
# As long as the response cache keeps a whole answer (RESPONSE_CACHE_SECONDS' default):
# what a part shows of the clock (an event that has ended drops out of the lists, an
# event's page says it has ended) lags by at most this, as a kept answer does.
SECONDS = 300


def keeps(request) -> bool:
    """Whether the request's parts may be read from and kept in the cache."""
    return (
        request is not None
        and request.method == "GET"
        and not getattr(request, "is_preview", False)
    )


def key(page, request, part: str) -> str:
    """The page, the part, the language, the address (scheme, host and path: a calendar
    page answers several) and the query (theme pages filter by it), under the version."""
    from . import versions  # which reads the models: the page models import this module

    query = urlencode(sorted(request.GET.lists()), doseq=True)
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    name = f"{page.pk}:{part}:{translation.get_language()}:{digest}"
    return versions.key("page-fragment", name)


def read(page, request) -> dict[str, str]:
    """The parts of `page` kept for this request, by name; {} for a request that keeps
    none."""
    if not keeps(request):
        return {}
    keys = {key(page, request, part): part for part in PARTS}
    return {keys[found]: html for found, html in cache.get_many(list(keys)).items()}


def complete(context) -> bool:
    """Whether every part of the page is kept: its context need not be built."""
    kept = context.get(CONTEXT_NAME) or {}
    return all(part in kept for part in PARTS)


def render(context, page, part: str, nodelist) -> SafeString:
    """The part as kept for the request, else rendered (and kept)."""
    request = context.get("request")
    kept = context.get(CONTEXT_NAME)
    if kept is None or not keeps(request):
        return nodelist.render(context)
    if part in kept:
        return mark_safe(kept[part])  # noqa: S308 - our template's own output, as rendered
    html = nodelist.render(context)
    cache.set(key(page, request, part), str(html), SECONDS)
    return html
