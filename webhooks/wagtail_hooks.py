"""Webhooks in the admin (Settings → Webhooks): the coordinator adds a partner's address and
hands the partner the signing secret; the list shows how each webhook is doing."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Webhook


class WebhookViewSet(ModelViewSet):
    model = Webhook
    icon = "link-external"
    menu_label = _("Webhooks")
    add_to_settings_menu = True
    copy_view_enabled = False
    list_display = ["name", "url", "is_active", "last_result", "last_success_at", "failures"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    panels = [
        FieldPanel("name"),
        FieldPanel("url"),
        FieldPanel("is_active"),
        FieldPanel("secret", read_only=True),
        FieldPanel("delivered_through", read_only=True),
        FieldPanel("last_result", read_only=True),
        FieldPanel("last_success_at", read_only=True),
        FieldPanel("failures", read_only=True),
        FieldPanel("next_attempt_at", read_only=True),
    ]


@hooks.register("register_admin_viewset")
def register_webhooks():
    return WebhookViewSet("webhooks")
