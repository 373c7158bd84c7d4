"""The contact block: a person or an office, chosen from the shared contacts."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from wagtail.snippets.blocks import SnippetChooserBlock

from ..models.contacts import Contact, in_locale


class ContactBlock(SnippetChooserBlock):
    """One of the shared contacts (Snippets, Contacts), shown as a card with phone and
    e-mail links. Edited in one place, it changes on every page that shows it.

    Like the pages' contact fields, the choice is synchronised, not translated: a
    translated page keeps the Norwegian page's choice and shows the contact's translation
    in its own language where there is one (one query for the block on such a page).
    wagtail-localize would otherwise keep the contact a translation chose before, when
    the new one is not translated yet.
    """

    def get_translatable_segments(self, value):
        return []

    def restore_translated_segments(self, value, segments):
        return value

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            _("Choose who readers can call or write to, or create a new contact."),
        )
        super().__init__("region_pages.Contact", **kwargs)

    @staticmethod
    def shown(value, context):
        """The contact as the page in `context` shows it: on a translated page, the
        contact's translation where there is one (a query only then)."""
        page = (context or {}).get("page")
        if value is None or page is None or value.locale_id == page.locale_id:
            return value
        return in_locale([value], page.locale_id)[value.pk]

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        shown = context["value"] = self.shown(value, parent_context)
        page = (parent_context or {}).get("page")
        if shown is not None and page is not None and shown.locale_id != page.locale_id:
            context["contact_lang"] = settings.LANGUAGE_CODE
        return context

    def get_preview_value(self):
        # A contact as an example (not saved): the library may have none yet.
        return Contact(
            name="Servicetorget",
            role="Spørsmål om å flytte hit",
            phone="+4775145000",
            email="postmottak@rana.kommune.no",
            languages=["nb", "en"],
        )

    def get_searchable_content(self, value):
        return [value.name, value.role] if value is not None else []

    def get_api_representation(self, value, context=None):
        shown = self.shown(value, context)
        return shown.api_representation() if shown is not None else None

    class Meta:
        icon = "user"
        label = _("Contact")
        description = _("A person or an office readers can call or write to.")
        template = "region_pages/blocks/contact.html"
