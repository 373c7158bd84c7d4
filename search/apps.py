from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Site search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from region_pages.api import http

        from . import signal_handlers, versions  # noqa: F401

        # Synonyms and promotions change the search's answers: its ETag follows them.
        http.register_version("search", versions.etag_version)
