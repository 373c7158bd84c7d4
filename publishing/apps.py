from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = _("Publishing pipeline")

    def ready(self):
        from . import receivers  # noqa: F401
