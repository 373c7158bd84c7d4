"""Webhooks in the admin (Settings → Webhooks): the coordinator adds a partner's address and
hands the partner the signing secret; the list shows how each webhook is doing. A region's
coordinator sees, adds and changes the webhooks of their own region only.

A webhook's inspect page lists its last deliveries (`Delivery`: what was sent, what came
of it) and lets whoever may change the webhook send it again what came after an earlier
event, e.g. for a partner that lost what it was told."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import yesno
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import View

from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, Table
from wagtail.admin.views.generic import models as generic
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Site

from editorial.permissions import sites_coordinated
from region_pages.models import ChangeAction, ResourceType

from .models import Delivery, Webhook

# The attempts an inspect page lists, newest first (the log keeps `Delivery.KEEP`).
DELIVERIES_SHOWN = 20


def _event_choices() -> list[tuple[str, str]]:
    """Each event the feed has, named for people and by its name in the messages."""
    return [
        (f"{kind}.{action}", format_lazy("{}: {} ({}.{})", kind.label, action.label, kind, action))
        for kind in ResourceType
        for action in ChangeAction
    ]


class WebhookForm(WagtailAdminModelForm):
    """The region is one the user coordinates; theirs without asking when they have one.
    The events are ticked in a list (none ticked: every event)."""

    events = forms.MultipleChoiceField(
        label=capfirst(Webhook._meta.get_field("events").verbose_name),
        help_text=Webhook._meta.get_field("events").help_text,
        choices=_event_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

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


def _label(name: str) -> str:
    return capfirst(Delivery._meta.get_field(name).verbose_name)


def deliveries_table(webhook: Webhook) -> Table:
    """The webhook's last attempts, newest first."""
    columns = [
        DateColumn("attempted_at", label=_label("attempted_at")),
        BooleanColumn("success", label=_label("success")),
        Column("first_sequence", label=_label("first_sequence")),
        Column("last_sequence", label=_label("last_sequence")),
        # Empty (not "None") when no answer came.
        Column("status_code", label=_label("status_code"), accessor=lambda d: d.status_code or ""),
        Column("error", label=_label("error")),
        Column("duration_ms", label=_label("duration_ms")),
        Column("message_id", label=_label("message_id")),
    ]
    return Table(columns, webhook.deliveries.all()[:DELIVERIES_SHOWN])


class ResendForm(forms.Form):
    """An earlier event to tell the partner again from: at most the one it has been told
    up to (0: the whole history)."""

    def __init__(self, *args, webhook: Webhook, **kwargs):
        super().__init__(*args, **kwargs)
        self.webhook = webhook
        self.fields["sequence"] = forms.IntegerField(
            label=capfirst(Webhook._meta.get_field("delivered_through").verbose_name),
            min_value=0,
            max_value=webhook.delivered_through,
            help_text=_(
                "Set it back to an earlier event: the partner is sent every event after it "
                "again, in order (0: everything)."
            ),
            error_messages={
                "max_value": _(
                    "The partner has been told up to event %(limit_value)s: "
                    "give that one or an earlier one."
                )
            },
        )

    def save(self) -> None:
        """Set the webhook back and make it due now. Only these two columns are written:
        a deliverer serving the webhook holds its row, and this waits for it and comes
        after, instead of being overwritten by it."""
        Webhook.objects.filter(pk=self.webhook.pk).update(
            delivered_through=self.cleaned_data["sequence"], next_attempt_at=None
        )


class InspectView(OwnRegions, generic.InspectView):
    """The webhook (without its secret), its last deliveries and, for whoever may change
    it, the form that sends it again what came after an earlier event."""

    template_name = "webhooks/inspect.html"
    resend_url_name = None
    deliveries_heading = _("Deliveries")
    no_deliveries = _("Nothing has been sent to this webhook yet.")
    resend_heading = _("Send again from an earlier event")
    resend_button = _("Send again")

    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), pk=unquote(str(self.pk)))

    def get_field_display_value(self, field_name, field):
        """Yes or no, and a dash for what has not happened yet (not "True", "None")."""
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, bool):
            return yesno(value)
        return "–" if value is None else value

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["deliveries"] = deliveries_table(self.object)
        if self.user_has_permission("change"):
            context["resend_form"] = ResendForm(webhook=self.object)
            context["resend_url"] = reverse(self.resend_url_name, args=[quote(self.object.pk)])
        return context


class ResendView(OwnRegions, PermissionCheckedMixin, View):
    """POST: send the webhook again what came after an earlier event. Checked as editing
    the webhook is: the "change" permission, on a webhook of the user's own regions."""

    model = Webhook
    permission_required = "change"
    http_method_names = ["post"]
    inspect_url_name = None

    def post(self, request, pk):
        webhook = get_object_or_404(self.get_queryset(), pk=pk)
        form = ResendForm(request.POST, webhook=webhook)
        if not form.is_valid():
            for error in form.errors.get("sequence", []):
                messages.error(request, error)
        else:
            form.save()
            messages.success(
                request,
                _("“%(name)s” will be sent the events after event %(sequence)s again.")
                % {"name": webhook.name, "sequence": form.cleaned_data["sequence"]},
            )
            if not webhook.is_active:
                messages.warning(
                    request, _("The webhook is turned off: nothing is sent until it is on again.")
                )
        return redirect(self.inspect_url_name, quote(webhook.pk))


class WebhookViewSet(ModelViewSet):
    model = Webhook
    index_view_class = IndexView
    edit_view_class = EditView
    delete_view_class = DeleteView
    icon = "link-external"
    menu_label = _("Webhooks")
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = InspectView
    # Everything but the secret: "view" alone does not show it.
    inspect_view_fields = [
        "name",
        "site",
        "url",
        "events",
        "language_code",
        "is_active",
        "delivered_through",
        "failures",
        "last_result",
        "last_attempt_at",
        "last_success_at",
        "next_attempt_at",
        "created_at",
    ]
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
            FieldPanel("events"),
            FieldPanel("language_code"),
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

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            resend_url_name=self.get_url_name("resend"), **kwargs
        )

    @cached_property
    def resend_view(self):
        return self.construct_view(ResendView, inspect_url_name=self.get_url_name("inspect"))

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("resend/<int:pk>/", self.resend_view, name="resend"),
        ]


@hooks.register("register_admin_viewset")
def register_webhooks():
    return WebhookViewSet("webhooks")
