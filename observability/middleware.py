"""Tells the outer WSGI wrapper (`observability.wsgi`) which URL pattern served a request."""

from .wsgi import ROUTE_KEY


class RouteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None:
            request.META[ROUTE_KEY] = match.route or match.view_name or "(unnamed)"
