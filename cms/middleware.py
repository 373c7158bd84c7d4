"""Response headers for production: the Content Security Policy and CDN caching.

Public pages get a strict policy (no inline scripts or styles, no plugins, no <base>,
not framed). The Wagtail admin needs inline scripts and styles and frames its own
previews, so paths under ``CSP_ADMIN_PATH_PREFIXES`` get ``ADMIN_CONTENT_SECURITY_POLICY``
instead.

Anonymous HTML is marked cacheable by a shared cache (the CDN), which is purged on
publish (``region_pages.cdn``). Anything that depends on who asks (a session, a cookie
set in the response) or that must always be fresh (health, admin, documents, the partner
API with its own caching rules) is left alone or marked private; a search page is marked
`no-cache`, so that every search reaches the origin, where it is counted.

Blank lines are left out of public HTML pages (`CompactHtmlMiddleware`).

An upload that meets an object-store outage is answered in the admin's own terms rather
than with a server error (`StorageOutageMiddleware`).

A page's address written in another language's words (`/en/arbeid/` for `/en/jobs/`: an
old link from before the English slugs, or a guess from the Norwegian address) redirects
to the page in the language asked for (`TranslatedPathMiddleware`).
"""

import re

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect, JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext as _

from wagtail.models import Page, Site

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config

from cms.storage import StorageUnavailable

# Areas mounted under one language-neutral prefix.
NOT_SHARED = re.compile(r"^/(?:admin/|documents/|api/|healthz$|readyz$)")
# Views whose every request must reach the origin, by view name rather than by path:
# their paths are translated (/nb/sok/, /en/search/). Each search is counted for the
# editors (search/hits.py), which a copy in a CDN or Varnish would hide; the origin's
# response cache keeps the answer and counts each search it serves from it.
COUNTED_VIEWS = frozenset({"search"})


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's own policy for the admin's paths and the
    previews the admin frames."""

    def process_response(self, request, response):
        if getattr(request, "is_dummy", False):
            # Wagtail's preview: a made-up request for the page's public path, sent
            # through the whole middleware chain inside the admin's own request. The
            # header is left to the admin's request, which decides by its real path: a
            # header set here would be kept, and the public `frame-ancestors 'none'`
            # would stop the admin from framing its own preview.
            return response
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(tuple(settings.CSP_ADMIN_PATH_PREFIXES))
        ):
            parts.config = default_config(settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return parts


class SharedCacheMiddleware:
    """Let a CDN keep anonymous pages: ``Cache-Control: public, max-age, s-maxage``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" in response:
            return response
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            # An editor's view of a page carries the user bar: never share it.
            patch_cache_control(response, private=True)
        elif self._counted(request):
            # Shared caches ask the origin every time (and the origin counts).
            patch_cache_control(response, no_cache=True)
        elif self._shareable(request, response):
            patch_cache_control(
                response,
                public=True,
                max_age=settings.BROWSER_CACHE_MAX_AGE,
                s_maxage=settings.CDN_CACHE_MAX_AGE,
            )
        return response

    @staticmethod
    def _counted(request) -> bool:
        # The full view name, namespace included: the admin has views named "search" too.
        match = getattr(request, "resolver_match", None)
        return match is not None and match.view_name in COUNTED_VIEWS

    @staticmethod
    def _shareable(request, response) -> bool:
        return (
            request.method in {"GET", "HEAD"}
            and response.status_code == 200
            and not response.cookies
            and not NOT_SHARED.match(request.path_info)
        )


class CompactHtmlMiddleware:
    """Leave out the lines of a public HTML page that hold only whitespace: the template
    tags on lines of their own leave some 5 KB of them on a municipality page, bytes every
    reader downloads for nothing. A page with preformatted text or a text area is left as
    it is (there a blank line means something), and so is the admin."""

    BLANK_LINES = re.compile(rb"\n[ \t]*(?=\n)")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and not request.path_info.startswith(tuple(settings.CSP_ADMIN_PATH_PREFIXES))
            and b"<pre" not in response.content
            and b"<textarea" not in response.content
        ):
            response.content = self.BLANK_LINES.sub(b"", response.content)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response


class StorageOutageMiddleware:
    """Tell an editor whose upload met an object-store outage what happened and what to do.

    The admin's request is atomic, so the failed save left no row behind; the file never
    reached the bucket. Wagtail's multiple uploaders (images, documents) read JSON and show
    ``error_message`` next to the file, as for a refused file. A form post is sent back to
    its form with the message on top; anything else gets the message with a 503.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, StorageUnavailable):
            return None
        message = _(
            "The file was not saved: the file storage does not answer right now. "
            "Nothing was stored. Try again in a few minutes; if it keeps failing, "
            "tell the administrator of the site."
        )
        match = getattr(request, "resolver_match", None)
        if match is not None and "multiple" in (match.url_name or ""):
            # The uploader shows a failed file by this answer, as Wagtail's views send it.
            return JsonResponse({"success": False, "error_message": message})
        if request.method == "POST" and request.headers.get("X-Requested-With") != "XMLHttpRequest":
            messages.error(request, message)
            return HttpResponseRedirect(request.get_full_path())
        return JsonResponse({"success": False, "error_message": message}, status=503)


class TranslatedPathMiddleware:
    """Send a page address in one language's slugs, asked for in another, to that page.

    English pages have English slugs, so `/en/arbeid/` (the Norwegian slug under the
    English prefix, which was the English address before) does not exist: a 404 for such a
    path looks the rest of the path up in the other languages' trees of the site and, when
    the page found has a live, public version in the language asked for, answers with a
    permanent redirect there, query string kept. Only 404s pay for the lookup; Wagtail's
    own redirects (a moved page, a changed slug) come first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in {"GET", "HEAD"}:
            return response
        target = self.translated_url(request)
        if target is None:
            return response
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)

    @staticmethod
    def translated_url(request) -> str | None:
        language = get_language_from_path(request.path_info)
        if language is None:
            return None
        rest = request.path_info.removeprefix(f"/{language}/")
        if not rest or rest == request.path_info:
            return None
        site = Site.find_for_request(request)
        if site is None:
            return None
        homes = site.root_page.get_translations(inclusive=True).exclude(
            locale__language_code=language
        )
        found = (
            Page.objects.filter(
                url_path__in=[f"{home.url_path}{rest}" for home in homes.only("url_path")]
            )
            .live()
            .first()
        )
        if found is None:
            return None
        wanted = (
            found.get_translations().filter(locale__language_code=language).live().public().first()
        )
        return wanted.get_url(request) if wanted is not None else None
