from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionPagesConfig(AppConfig):
    name = "region_pages"
    verbose_name = _("Region pages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The content version is read once per request: it listens to requests' signals.
        # A site's change moves the content version on (the regions are kept under it).
        from . import (
            regions,  # noqa: F401
            versions,  # noqa: F401
        )
