"""The admission block: how to get a place in a kindergarten or a school of the
municipality, by when, and what it costs."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from .choices import AdmissionKind, FeePeriod
from .contacts import ContactBlock


class FeeBlock(blocks.StructBlock):
    label = blocks.CharBlock(
        max_length=120,
        label=_("What the fee is for"),
        help_text=_("For example: Full-time place, or Meals."),
    )
    amount = blocks.IntegerBlock(
        min_value=0, label=_("Amount (NOK)"), help_text=_("Whole kroner. For example: 1500.")
    )
    period = blocks.ChoiceBlock(
        choices=FeePeriod.choices,
        default=FeePeriod.MONTH,
        label=_("Per"),
        help_text=_("How often the amount is paid."),
    )
    year = blocks.IntegerBlock(
        validators=[MinValueValidator(2000)],
        label=_("Year"),
        help_text=_("The year the amount applies to. For example: 2026."),
    )

    class Meta:
        icon = "tag"
        label = _("Fee")


class AdmissionValue(blocks.StructValue):
    @property
    def kind_label(self) -> str:
        return str(AdmissionKind(self["kind"]).label)

    @property
    def fee_rows(self) -> list[dict]:
        """The fees with their period's label ("month"), in the editor's order."""
        return [
            {**fee, "period_label": str(FeePeriod(fee["period"]).label)} for fee in self["fees"]
        ]


class AdmissionBlock(blocks.StructBlock):
    """How to apply for a kindergarten place or enrol at school: the steps, the main
    intake's deadline, the fees with the year they apply to, and whom to ask."""

    kind = blocks.ChoiceBlock(
        choices=AdmissionKind.choices,
        default=AdmissionKind.KINDERGARTEN,
        label=_("For"),
        help_text=_("A place in a kindergarten, or starting school."),
    )
    how_to_apply = blocks.TextBlock(
        label=_("How to apply"),
        help_text=_(
            "Plain steps. For example: Apply on the municipality's website with BankID. "
            "You can list up to three kindergartens in order."
        ),
    )
    application_url = blocks.URLBlock(
        label=_("Where to apply"),
        help_text=_("The application form or page. For example: https://www.rana.kommune.no/"),
    )
    deadline = blocks.DateBlock(
        required=False,
        label=_("Deadline of the main intake"),
        help_text=_("Leave empty when places are given all year round."),
    )
    deadline_note = blocks.CharBlock(
        max_length=200,
        required=False,
        label=_("About the deadline"),
        help_text=_(
            "For example: Children who turn one by the end of November have a right to a "
            "place when the application is in by the deadline."
        ),
    )
    fees = blocks.ListBlock(FeeBlock(), default=[], label=_("Fees"))
    contact = ContactBlock(required=False, label=_("Contact"))

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        # The contact as the contact block shows it: in the page's language.
        # (A copy: a block's get_context writes its value into the context it is given.)
        contact_context = self.child_blocks["contact"].get_context(
            value["contact"], parent_context=dict(parent_context or {})
        )
        context["contact"] = contact_context["value"]
        context["contact_lang"] = contact_context.get("contact_lang", "")
        return context

    def clean(self, value):
        value = super().clean(value)
        years = {fee["year"] for fee in value["fees"]}
        if len(years) > 1:
            raise StructBlockValidationError(
                block_errors={
                    "fees": ValidationError(
                        _("Give all the fees for the same year, so readers can add them up.")
                    )
                }
            )
        return value

    def get_api_representation(self, value, context=None):
        contact = self.child_blocks["contact"].get_api_representation(value["contact"], context)
        return {
            "kind": value["kind"],
            "kind_label": value.kind_label,
            "how_to_apply": value["how_to_apply"],
            "application_url": value["application_url"],
            "deadline": value["deadline"].isoformat() if value["deadline"] else None,
            "deadline_note": value["deadline_note"] or None,
            "fees": [
                {
                    "label": fee["label"],
                    "amount": fee["amount"],
                    "currency": "NOK",
                    "period": fee["period"],
                    "year": fee["year"],
                }
                for fee in value["fees"]
            ],
            "contact": contact,
        }

    class Meta:
        icon = "form"
        label = _("Admission")
        description = _(
            "How to apply for a kindergarten place or enrol at school, the deadline and the fees."
        )
        template = "region_pages/blocks/admission.html"
        value_class = AdmissionValue
        preview_value = {
            "kind": AdmissionKind.KINDERGARTEN,
            "how_to_apply": "Søk på kommunens nettsted med BankID.",
            "application_url": "https://www.rana.kommune.no/",
            "deadline_note": "Kommunen setter fristen for hovedopptaket.",
            "fees": [],
            "contact": None,
        }
