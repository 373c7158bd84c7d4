from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Contact
from .rich_text import LivePageLinkHandler


# After Wagtail's own registration (order 0), which this replaces for page links.
@hooks.register("register_rich_text_features", order=10)
def link_only_live_pages(features):
    features.register_link_type(LivePageLinkHandler)


class ContactViewSet(SnippetViewSet):
    """The shared contacts, under Snippets, Contacts: edited once, shown on every page
    that chooses them."""

    model = Contact
    icon = "user"
    list_display = ["name", "role", Column("phone_display", label=_("phone")), "email"]
    list_filter = ["kind"]
    search_fields = ["name", "role", "email"]
    ordering = ["name"]


register_snippet(ContactViewSet)
