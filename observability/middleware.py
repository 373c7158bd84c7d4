"""Tells the outer WSGI wrapper (`observability.wsgi`) which URL pattern served a request."""

from django.utils.deprecation import MiddlewareMixin

from .wsgi import ROUTE_KEY


class RouteMiddleware(MiddlewareMixin):
    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None:
            request.META[ROUTE_KEY] = match.route or match.view_name or "(unnamed)"
