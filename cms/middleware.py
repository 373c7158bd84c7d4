"""Response headers for production: the Content Security Policy and CDN caching.

Public pages get a strict policy (no inline scripts or styles, no plugins, no <base>,
not framed). The Wagtail admin needs inline scripts and styles and frames its own
previews, so paths under ``CSP_ADMIN_PATH_PREFIXES`` get ``ADMIN_CONTENT_SECURITY_POLICY``
instead.

Anonymous HTML is marked cacheable by a shared cache (the CDN), which is purged on
publish (``region_pages.cdn``). Anything that depends on who asks (a session, a cookie
set in the response) or that must always be fresh (health, admin, documents, search,
the partner API with its own caching rules) is left alone.
"""

import re

from django.conf import settings
from django.utils.cache import patch_cache_control

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config

NOT_SHARED = re.compile(r"^/(?:admin/|documents/|api/|healthz$|readyz$|[a-z]{2}/search/)")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's own policy for the admin's paths."""

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
        elif self._shareable(request, response):
            patch_cache_control(
                response,
                public=True,
                max_age=settings.BROWSER_CACHE_MAX_AGE,
                s_maxage=settings.CDN_CACHE_MAX_AGE,
            )
        return response

    @staticmethod
    def _shareable(request, response) -> bool:
        return (
            request.method in {"GET", "HEAD"}
            and response.status_code == 200
            and not response.cookies
            and not NOT_SHARED.match(request.path_info)
        )
