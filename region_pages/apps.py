from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionPagesConfig(AppConfig):
    name = "region_pages"
    verbose_name = _("Region pages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import cdn, signal_handlers  # noqa: F401

        cdn.connect()
