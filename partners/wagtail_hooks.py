"""API keys in the admin (Settings → API keys): the coordinator issues a key to a partner,
sees it once, sets its share and revokes it."""

from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic import models as generic
from wagtail.admin.viewsets.model import ModelViewSet

from .models import ApiKey


class CreateView(generic.CreateView):
    """Issues the key and shows it once, on a page of its own rather than in a message
    (messages travel in a cookie)."""

    def save_instance(self):
        self.form.instance.is_active = True  # a new key works (revoking is for later)
        self.issued = self.form.instance.issue()
        return super().save_instance()

    def save_action(self):
        return TemplateResponse(
            self.request,
            "partners/key_issued.html",
            {
                "key": self.issued,
                "api_key": self.object,
                "index_url": self.get_success_url(),
                "header_title": _("API key issued"),
            },
        )


class ApiKeyViewSet(ModelViewSet):
    model = ApiKey
    add_view_class = CreateView
    icon = "key"
    menu_label = _("API keys")
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = ["name", "prefix", "requests_per_minute", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "prefix"]
    edit_handler = ObjectList(
        [FieldPanel("name"), FieldPanel("requests_per_minute"), FieldPanel("is_active")]
    )


@hooks.register("register_admin_viewset")
def register_api_keys():
    return ApiKeyViewSet("api_keys")
