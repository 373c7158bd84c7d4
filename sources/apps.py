from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = _("Open data sources")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from region_pages.registers import register_provider

        from .providers import Registers

        # The base app's register blocks reach the registers only through this provider.
        register_provider(Registers())
