"""Telling a region's coordinators that its webhook was turned off, in their language.

A webhook is turned off when the partner refuses its messages (a 4xx other than 408 and
429: trying again would be refused again) or after a day of failed deliveries. Nothing
is lost meanwhile: turned on again, it sends what the partner missed, in order. The mail
goes out after the deliverer's transaction commits, and a mail server that fails is
logged, never a failed delivery run.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from wagtail.users.models import UserProfile

from editorial.models import Role
from editorial.roles import coordinator_key
from region_pages import regions

from .models import Webhook

logger = logging.getLogger(__name__)


def coordinators(webhook: Webhook) -> list:
    """The active users with an address who coordinate the webhook's region (superusers
    when no coordinator has one)."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    region = next((r for r in regions.all_regions() if r.site_id == webhook.site_id), None)
    group = Role.objects.filter(key=coordinator_key(region)).values_list("group_id", flat=True)
    found = list(users.filter(groups__in=group).distinct().order_by("pk"))
    return found or list(users.filter(is_superuser=True).order_by("pk"))


def turned_off(webhook: Webhook, reason: Callable[[], str]) -> None:
    """Mail the coordinators once the turning off is committed; `reason()` says why, in
    the language active when it is called (each reader's own)."""
    transaction.on_commit(lambda: _send(webhook, reason))


def _send(webhook: Webhook, reason: Callable[[], str]) -> None:
    path = reverse("webhooks:inspect", args=[webhook.pk])
    address = f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path}"
    for user in coordinators(webhook):
        language = UserProfile.get_for_user(user).get_preferred_language()
        with translation.override(language or settings.LANGUAGE_CODE):
            subject = _("The webhook for %(name)s is turned off") % {"name": webhook.name}
            body = _(
                "No more changes are sent to %(name)s (%(url)s): %(reason)s.\n\n"
                "Nothing is lost: when the partner's address takes the messages again, "
                "turn the webhook on under Settings → Webhooks, and it sends what the "
                "partner missed, in order.\n\n%(address)s\n"
            ) % {"name": webhook.name, "url": webhook.url, "reason": reason(), "address": address}
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        except Exception:  # the mail server's trouble is not the deliverer's
            logger.exception("could not tell %s that webhook %s was turned off", user, webhook.pk)
