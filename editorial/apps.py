from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = _("Editorial work")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import history  # noqa: F401  (its receiver)
