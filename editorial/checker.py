"""Wagtail's content checker (axe-core in the editor's preview), tuned to our templates.

Wagtail's default rules plus the ones our page templates can break through content:
images without alternative text, facts as definition lists, lists, language attributes
and landmarks. Colour contrast is left out: it is fixed by the stylesheet, not by editors,
and the browser tests check it.
"""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.userbar import ContentCheckerItem

EXTRA_RULES = {
    "image-alt": {
        "error_name": _("Image without alternative text"),
        "help_text": _("Describe what the image shows, for example: Lovund seen from the sea."),
    },
    "definition-list": {
        "error_name": _("Facts list is malformed"),
        "help_text": _("Give every fact both a label and a value."),
    },
    "dlitem": {
        "error_name": _("Facts list is malformed"),
        "help_text": _("Give every fact both a label and a value."),
    },
    "list": {
        "error_name": _("List is malformed"),
        "help_text": _("Use the list buttons in the text editor instead of typing dashes."),
    },
    "listitem": {
        "error_name": _("List is malformed"),
        "help_text": _("Use the list buttons in the text editor instead of typing dashes."),
    },
    "html-has-lang": {
        "error_name": _("Page language is missing"),
        "help_text": _("Report this to the developers: the template sets the language."),
    },
    "valid-lang": {
        "error_name": _("Unknown language code"),
        "help_text": _("Use nb or en as the language of a passage."),
    },
    "landmark-one-main": {
        "error_name": _("Main content area is missing"),
        "help_text": _("Report this to the developers: the template sets it."),
    },
    "duplicate-id": {
        "error_name": _("The same anchor is used twice"),
        "help_text": _("Give each anchor on the page its own name."),
    },
}


class RegionContentCheckerItem(ContentCheckerItem):
    axe_run_only = [*ContentCheckerItem.axe_run_only, *EXTRA_RULES]
    axe_messages = {**ContentCheckerItem.axe_messages, **EXTRA_RULES}
