"""A region's look: its Designsystemet theme and its logo, set per site in the admin
(Settings → Region). A site without settings has the install's defaults (`SITE_THEME`,
`SITE_LOGO`)."""

from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

# Where the front-end build writes one stylesheet per theme of
# `frontend/designsystemet.config.json`.
THEMES = Path(settings.BASE_DIR) / "frontend" / "build" / "static" / "designsystemet"


def theme_choices() -> list[tuple[str, str]]:
    """The themes built, by name."""
    return [(path.stem, path.stem) for path in sorted(THEMES.glob("*.css"))]


@register_setting(icon="site")
class RegionSettings(BaseSiteSetting):
    theme = models.CharField(
        max_length=50,
        blank=True,
        choices=theme_choices,
        verbose_name=_("theme"),
        help_text=_("The colours of the region's pages. Empty: the install's default theme."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
        help_text=_("Drawn 40 pixels high beside the region's name. Empty: no logo."),
    )

    panels = [FieldPanel("theme"), FieldPanel("logo")]

    class Meta:
        verbose_name = _("region")
