"""Partners' API keys: reading stays open to everyone, a key only identifies a partner and
gives it a larger share (`partners.ratelimit`). The key itself is shown once, when it is
issued; only its SHA-256 digest is kept (a key is 32 random bytes, so a plain digest
cannot be guessed back)."""

import hashlib
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEY_PREFIX = "rk_"


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def default_quota() -> int:
    return settings.API_RATE_LIMIT_KEYED


class ApiKey(models.Model):
    name = models.CharField(
        _("partner"),
        max_length=100,
        help_text=_("Who uses the key, for example “Visit Helgeland, booking site”."),
    )
    # The first characters of the key, to tell keys apart in lists and logs.
    prefix = models.CharField(_("starts with"), max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    requests_per_minute = models.PositiveIntegerField(
        _("requests a minute"),
        default=default_quota,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
        help_text=_("How many requests a minute the partner may make with this key."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Clear to revoke the key: it stops working.")
    )
    created_at = models.DateTimeField(_("issued"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def issue(self) -> str:
        """Give this key a new secret value and return it: the only time it is seen."""
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        self.prefix = key[:10]
        self.digest = digest_of(key)
        return key
