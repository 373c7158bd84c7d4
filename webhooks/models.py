"""Partners' webhooks: an address told of every change in one region's change feed.

The change feed (`region_pages.ChangeEvent`) is the outbox: a webhook remembers how far
it has been told (`delivered_through`, a sequence of the feed), and the deliverer
(`webhooks.delivery`) posts what came after, in order, until the partner answers 2xx.
Nothing is lost while a partner is down, and publishing never waits for a partner.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from region_pages.models import ChangeAction, ResourceType

from .signing import new_secret

# The events a webhook may ask for: `<resource type>.<action>` of the change feed, e.g.
# `page.published`, `entry.deleted`, `vacancy.unpublished`.
EVENTS = tuple(f"{kind}.{action}" for kind in ResourceType.values for action in ChangeAction.values)


def validate_events(value) -> None:
    if not isinstance(value, list) or any(name not in EVENTS for name in value):
        raise ValidationError(
            _("Choose events among %(events)s, or none for every event."),
            code="unknown_event",
            params={"events": ", ".join(EVENTS)},
        )


def _feed_head() -> int:
    from region_pages.api.changes import feed_head

    newest = feed_head()
    return newest.sequence if newest else 0


def _default_site():
    from wagtail.models import Site

    return Site.objects.filter(is_default_site=True).values_list("pk", flat=True).first()


def validate_address(value: str) -> None:
    if value.startswith("https://"):
        return
    if value.startswith("http://") and settings.WEBHOOKS_ALLOW_HTTP:
        return
    raise ValidationError(
        _("Give an https:// address: the changes are sent signed, but not in the clear."),
        code="not_https",
    )


class Webhook(models.Model):
    name = models.CharField(
        _("partner"),
        max_length=100,
        help_text=_("Who receives the changes, for example “Visit Helgeland”."),
    )
    url = models.URLField(
        _("address"),
        max_length=500,
        validators=[validate_address],
        help_text=_("The partner's https:// address that receives a POST for every change."),
    )
    site = models.ForeignKey(
        "wagtailcore.Site",
        on_delete=models.CASCADE,
        default=_default_site,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("The region whose changes the partner is told of (a site of its own)."),
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=64,
        default=new_secret,
        editable=False,
        help_text=_("Give it to the partner: it checks the signature of each delivery with it."),
    )
    # After `rotate-secret` with a grace period, deliveries are signed with both secrets
    # until the partner has switched (the specification allows several signatures).
    previous_secret = models.CharField(max_length=60, blank=True, editable=False)
    previous_secret_until = models.DateTimeField(null=True, blank=True, editable=False)
    events = models.JSONField(
        _("events"),
        default=list,
        blank=True,
        validators=[validate_events],
        help_text=_("The changes the partner is told of; none chosen: every change."),
    )
    language_code = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=[("", _("Both languages")), *settings.WAGTAIL_CONTENT_LANGUAGES],
        help_text=_("The language whose changes the partner is told of."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_(
            "Turned off by itself after a day of failed deliveries; "
            "turn it on again when the partner is back."
        ),
    )
    # The newest event of the feed the partner has been told of (or that existed when the
    # webhook was made: a partner syncs in full first, then is told what follows).
    delivered_through = models.BigIntegerField(_("told up to event"), default=_feed_head)
    failures = models.PositiveIntegerField(_("failed attempts in a row"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_result = models.CharField(_("last result"), max_length=200, blank=True)
    last_success_at = models.DateTimeField(_("last delivered"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """Turned on again (in the admin or the shell): a fresh start, not the retry delay
        and the count of failures it had when it was turned off."""
        if self.pk and self.is_active and getattr(self, "_loaded_active", None) is False:
            self.failures = 0
            self.next_attempt_at = None
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "failures", "next_attempt_at"}
        super().save(*args, **kwargs)
        self._loaded_active = self.is_active

    @classmethod
    def from_db(cls, db, field_names, values):
        webhook = super().from_db(db, field_names, values)
        # As loaded: whether a save turns it on again (no query of its own on every save;
        # the deliverer saves after each attempt).
        webhook._loaded_active = webhook.__dict__.get("is_active")
        return webhook

    def rotate_secret(self, grace: timedelta) -> None:
        """A new secret; the old one goes on signing (beside it) for `grace`."""
        if grace > timedelta(0):
            self.previous_secret = self.secret
            self.previous_secret_until = timezone.now() + grace
        else:
            self.previous_secret, self.previous_secret_until = "", None
        self.secret = new_secret()
        self.save(update_fields=["secret", "previous_secret", "previous_secret_until"])

    def signing_secrets(self, now) -> list[str]:
        """The secrets a delivery at `now` is signed with: the current one, and the
        previous one while its grace period lasts."""
        if self.previous_secret and self.previous_secret_until and now < self.previous_secret_until:
            return [self.secret, self.previous_secret]
        return [self.secret]

    def wanted(self) -> Q:
        """The feed's events this webhook is told of (within its region)."""
        wanted = Q()
        if self.events:
            kinds = Q()
            for name in self.events:
                kind, action = name.split(".")
                kinds |= Q(resource_type=kind, action=action)
            wanted &= kinds
        if self.language_code:
            wanted &= Q(language_code=self.language_code)
        return wanted


class Delivery(models.Model):
    """One attempt at posting a message to a webhook: what was sent (the message and the
    events it told of) and what came of it. The deliverer writes one for every attempt and
    keeps each webhook's newest `KEEP`, so that the coordinator can see what a partner was
    sent and why it failed without the deliverer's logs."""

    KEEP = 200

    webhook = models.ForeignKey(
        Webhook, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("webhook")
    )
    # The message's `webhook-id`: the same for every attempt at one message.
    message_id = models.CharField(_("message"), max_length=100)
    first_sequence = models.BigIntegerField(_("from event"))
    last_sequence = models.BigIntegerField(_("to event"))
    # The time of the deliverer's pass, which the webhook also keeps as its last attempt.
    attempted_at = models.DateTimeField(_("attempted"))
    # None when no answer came (a refused connection, a timeout, an address refused here).
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=200, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    success = models.BooleanField(_("delivered"))

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        # Newest first; in the order the deliverer made the attempts.
        ordering = ["-pk"]

    def __str__(self):
        return f"{self.message_id} ({self.status_code or self.error or 'OK'})"
