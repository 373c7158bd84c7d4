from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionPagesConfig(AppConfig):
    name = "region_pages"
    verbose_name = _("Region pages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The content version is read once per request: it listens to requests' signals.
        from . import versions  # noqa: F401
