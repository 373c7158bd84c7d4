"""Webhooks in the admin (Settings → Webhooks): the coordinator adds a partner's address and
hands the partner the signing secret; the list shows how each webhook is doing. A region's
coordinator sees, adds and changes the webhooks of their own region only."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic import models as generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Site

from editorial.permissions import sites_coordinated

from .models import Webhook


class WebhookForm(WagtailAdminModelForm):
    """The region is one the user coordinates; theirs without asking when they have one."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        field = self.fields.get("site")
        if field is not None and for_user is not None:
            field.queryset = Site.objects.filter(pk__in=sites_coordinated(for_user))
            field.empty_label = None
            if field.queryset.count() == 1:
                self.only_site = field.queryset.get()
                field.required = False
                field.initial = self.only_site.pk

    def clean_site(self):
        return self.cleaned_data.get("site") or getattr(self, "only_site", None)


class OwnRegions:
    """Only the webhooks of the regions the user coordinates."""

    def get_queryset(self):
        return Webhook.objects.filter(site__in=sites_coordinated(self.request.user))


class IndexView(OwnRegions, generic.IndexView):
    def get_base_queryset(self):
        return self.get_queryset()


class EditView(OwnRegions, generic.EditView):
    pass


class DeleteView(OwnRegions, generic.DeleteView):
    pass


class WebhookViewSet(ModelViewSet):
    model = Webhook
    index_view_class = IndexView
    edit_view_class = EditView
    delete_view_class = DeleteView
    icon = "link-external"
    menu_label = _("Webhooks")
    add_to_settings_menu = True
    copy_view_enabled = False
    list_display = [
        "name",
        "site",
        "url",
        "is_active",
        "last_result",
        "last_success_at",
        "failures",
    ]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("site"),
            FieldPanel("url"),
            FieldPanel("is_active"),
            FieldPanel("secret", read_only=True),
            FieldPanel("delivered_through", read_only=True),
            FieldPanel("last_result", read_only=True),
            FieldPanel("last_success_at", read_only=True),
            FieldPanel("failures", read_only=True),
            FieldPanel("next_attempt_at", read_only=True),
        ],
        base_form_class=WebhookForm,
    )


@hooks.register("register_admin_viewset")
def register_webhooks():
    return WebhookViewSet("webhooks")
