from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Site search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core.signals import request_finished

        from . import hits, signal_handlers  # noqa: F401

        request_finished.connect(hits.write_when_due, dispatch_uid="search-hits")
