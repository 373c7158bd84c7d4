"""The steps of the arrival guide: what a person moving here does, in order."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks

from ..municipalities import BY_NUMBER, MUNICIPALITIES
from .choices import Audience


class MunicipalityNoteBlock(blocks.StructBlock):
    municipality = blocks.ChoiceBlock(
        choices=[(m.number, m.name) for m in MUNICIPALITIES],
        label=_("Municipality"),
        help_text=_("The municipality the note is about."),
    )
    note = blocks.TextBlock(
        label=_("Note"),
        help_text=_(
            "What is different in this municipality. For example: The service desk at "
            "the town hall helps you fill in the form."
        ),
    )

    class Meta:
        icon = "site"
        label = _("Note for one municipality")


class StepValue(blocks.StructValue):
    @property
    def audience_label(self) -> str:
        return str(Audience(self["audience"]).label)

    @property
    def notes(self) -> list[dict]:
        """The municipality notes with the municipality's name, in the editor's order."""
        return [
            {
                "number": note["municipality"],
                "name": BY_NUMBER[note["municipality"]].name,
                "note": note["note"],
            }
            for note in self["municipality_notes"]
        ]


class ArrivalStepBlock(blocks.StructBlock):
    """One step of moving here: what to do, who must, when, and where to do it."""

    title = blocks.CharBlock(
        max_length=120,
        label=_("Step"),
        help_text=_("A short instruction. For example: Report your move to the National Registry."),
    )
    what_to_do = blocks.TextBlock(
        label=_("What to do"),
        help_text=_(
            "Two or three plain sentences. For example: Fill in the form on the Tax "
            "Administration's website. Bring your passport when you meet in person."
        ),
    )
    audience = blocks.ChoiceBlock(
        choices=Audience.choices,
        default=Audience.EVERYONE,
        label=_("Who needs to do it"),
        help_text=_("Everyone, or only citizens of EU/EEA countries or of other countries."),
    )
    timing = blocks.CharBlock(
        max_length=160,
        required=False,
        label=_("When"),
        help_text=_("A deadline or the right moment. For example: Within 8 days of moving."),
    )
    link_text = blocks.CharBlock(
        max_length=120,
        label=_("Link text"),
        help_text=_("Names the official page. For example: Moving to Norway (skatteetaten.no)."),
    )
    url = blocks.URLBlock(
        label=_("Official page"),
        help_text=_("The public body's own page. For example: https://www.skatteetaten.no/"),
    )
    municipality_notes = blocks.ListBlock(
        MunicipalityNoteBlock(),
        default=[],
        label=_("Notes for single municipalities"),
    )

    class Meta:
        icon = "list-ol"
        label = _("Step")
        description = _("One step of moving here, with who needs it, when, and the official link.")
        template = "region_pages/blocks/arrival_step.html"
        value_class = StepValue
        preview_value = {
            "title": "Meld flytting til Folkeregisteret",
            "what_to_do": "Fyll ut skjemaet hos Skatteetaten.",
            "audience": Audience.EVERYONE,
            "timing": "Innen åtte dager etter flyttingen",
            "link_text": "Flytting (skatteetaten.no)",
            "url": "https://www.skatteetaten.no/",
            "municipality_notes": [],
        }

    def get_api_representation(self, value, context=None):
        return {
            "title": value["title"],
            "what_to_do": value["what_to_do"],
            "audience": value["audience"],
            "audience_label": value.audience_label,
            "timing": value["timing"] or None,
            "link": {"text": value["link_text"], "url": value["url"]},
            "municipality_notes": [
                {"municipality": note["number"], "note": note["note"]} for note in value.notes
            ],
        }


class ArrivalStepsBlock(blocks.StreamBlock):
    step = ArrivalStepBlock()

    class Meta:
        label = _("Steps")
        min_num = 1
