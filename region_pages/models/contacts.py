"""People and offices a reader can reach: the contacts that pages choose.

A contact is a translatable snippet: written once in Norwegian, translated like a page
(its name, role and opening hours), and chosen by the municipality pages (their Contact
section), by the home page (the region's newcomer contact, also in every page's footer)
and by the contact block any page may hold. Phone numbers are stored in international
form (+4775145000), so that `tel:` links and the API carry one spelling; readers see them
grouped the Norwegian way.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.images import get_image_model_string
from wagtail.models import TranslatableMixin
from wagtail.search import index

from wagtail_localize.fields import SynchronizedField, TranslatableField

from ..images import image_representation


class ContactKind(models.TextChoices):
    OFFICE = "office", _("Office or service desk")
    PERSON = "person", _("Person")


class SpokenLanguage(models.TextChoices):
    """Languages a contact answers in: ISO 639 codes, as schema.org's `availableLanguage`
    and the API give them; the region's own languages first."""

    NORWEGIAN = "nb", _("Norwegian")
    ENGLISH = "en", _("English")
    NORTHERN_SAMI = "se", _("Northern Sami")
    SOUTHERN_SAMI = "sma", _("Southern Sami")
    SWEDISH = "sv", _("Swedish")
    GERMAN = "de", _("German")
    POLISH = "pl", _("Polish")
    LITHUANIAN = "lt", _("Lithuanian")
    UKRAINIAN = "uk", _("Ukrainian")
    RUSSIAN = "ru", _("Russian")
    ARABIC = "ar", _("Arabic")
    SOMALI = "so", _("Somali")
    TIGRINYA = "ti", _("Tigrinya")
    SPANISH = "es", _("Spanish")
    FRENCH = "fr", _("French")


class LanguagesField(models.JSONField):
    """A list of `SpokenLanguage` codes, chosen with check boxes."""

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=SpokenLanguage.choices,
            widget=forms.CheckboxSelectMultiple,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
        )

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        unknown = [code for code in value or () if code not in SpokenLanguage.values]
        if unknown:
            raise ValidationError(
                _("Unknown language code: %(codes)s."), params={"codes": ", ".join(unknown)}
            )


# ---- phone numbers ----------------------------------------------------------------------

_PHONE_CHARACTERS = re.compile(r"[\s().\-/]")


def normalise_phone(text: str) -> str:
    """A phone number as written by an editor, in international form: "75 14 50 00" and
    "+47 75 14 50 00" give "+4775145000", "0046 8 123 456 78" gives "+46812345678".

    Raises ValidationError (translated, with an example) for anything else.
    """
    digits = _PHONE_CHARACTERS.sub("", text.strip())
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if re.fullmatch(r"\d{8}", digits):
        # A Norwegian number: eight digits, no trunk prefix.
        digits = "+47" + digits
    if re.fullmatch(r"\+47[2-9]\d{7}", digits) or (
        re.fullmatch(r"\+[1-9]\d{6,14}", digits) and not digits.startswith("+47")
    ):
        return digits
    raise ValidationError(
        _(
            "Write a Norwegian number of eight digits, or an international number "
            "beginning with + and the country code. For example: 75 14 50 00 or "
            "+46 8 123 456 78."
        ),
        code="phone",
    )


def display_phone(number: str) -> str:
    """A stored number as readers see it: Norwegian mobile numbers (4xx, 9xx) grouped
    3-2-3, other Norwegian numbers in pairs; other countries' numbers after their code."""
    if not number.startswith("+47") or len(number) != 11:
        return number
    local = number[3:]
    if local[0] in "49":
        groups = (local[:3], local[3:5], local[5:])
    else:
        groups = (local[:2], local[2:4], local[4:6], local[6:])
    return "+47 " + " ".join(groups)


class Contact(TranslatableMixin, index.Indexed, models.Model):
    """A person or an office that answers readers' questions."""

    # ---- who --------------------------------------------------------------------------
    kind = models.CharField(
        max_length=10,
        choices=ContactKind.choices,
        default=ContactKind.OFFICE,
        verbose_name=_("kind"),
        help_text=_(
            "An office stays right when people change jobs; choose a person only when "
            "readers should ask for someone by name."
        ),
    )
    name = models.CharField(
        max_length=120,
        verbose_name=_("name"),
        help_text=_("The office's or the person's name. For example: Servicetorget."),
    )
    role = models.CharField(
        max_length=160,
        blank=True,
        verbose_name=_("role"),
        help_text=_(
            "What readers can ask about. For example: Newcomer contact, or Kindergarten admissions."
        ),
    )
    photo = models.ForeignKey(
        get_image_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("photo"),
        help_text=_("Optional: a portrait of the person, with their consent."),
    )

    # ---- how to reach them -------------------------------------------------------------
    phone = models.CharField(
        max_length=32,
        blank=True,
        verbose_name=_("phone"),
        help_text=_("For example: 75 14 50 00, or +46 8 123 456 78 for a number abroad."),
    )
    email = models.EmailField(
        blank=True,
        verbose_name=_("e-mail"),
        help_text=_(
            "Preferably a shared mailbox that is read during holidays. For example: "
            "postmottak@rana.kommune.no."
        ),
    )
    opening_hours = models.CharField(
        max_length=200,
        blank=True,
        verbose_name=_("opening hours"),
        help_text=_("When phone and desk are open. For example: Weekdays 08:00–15:30."),
    )
    languages = LanguagesField(
        default=list,
        blank=True,
        verbose_name=_("languages spoken"),
        help_text=_("The languages readers can use with this contact."),
    )

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("name")]),
        FieldPanel("role"),
        FieldPanel("photo"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                FieldPanel("opening_hours"),
                FieldPanel("languages"),
            ],
            _("How to reach them"),
        ),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("role"),
        index.AutocompleteField("name"),
        index.SearchField("email"),
        index.FilterField("locale"),
    ]
    translatable_fields = [
        SynchronizedField("kind"),
        TranslatableField("name"),
        TranslatableField("role"),
        SynchronizedField("photo"),
        SynchronizedField("phone"),
        SynchronizedField("email"),
        TranslatableField("opening_hours"),
        SynchronizedField("languages"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.role})" if self.role else self.name

    # The facts that are the same in every language: saved on one version, they are
    # saved on all at once (a translation must never show an old phone number).
    SHARED_FIELDS = ("kind", "photo", "phone", "email", "languages")

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        shared = [self._meta.get_field(name).attname for name in self.SHARED_FIELDS]
        Contact.objects.filter(translation_key=self.translation_key).exclude(pk=self.pk).update(
            **{name: getattr(self, name) for name in shared}
        )

    def clean(self):
        super().clean()
        errors = {}
        if self.phone:
            try:
                self.phone = normalise_phone(self.phone)
            except ValidationError as error:
                errors["phone"] = error
        if not self.phone and not self.email and "phone" not in errors:
            errors["phone"] = _("Give a phone number or an e-mail address (or both).")
        if errors:
            raise ValidationError(errors)

    # ---- what readers see ---------------------------------------------------------------

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone)

    @property
    def phone_uri(self) -> str:
        return f"tel:{self.phone}" if self.phone else ""

    @property
    def language_labels(self) -> list[str]:
        labels = dict(SpokenLanguage.choices)
        return [str(labels[code]) for code in self.languages if code in labels]

    def api_representation(self) -> dict:
        return {
            "id": self.pk,
            "translation_key": str(self.translation_key),
            "kind": self.kind,
            "name": self.name,
            "role": self.role or None,
            "phone": self.phone or None,
            "email": self.email or None,
            "opening_hours": self.opening_hours or None,
            "languages": list(self.languages),
            "photo": image_representation(self.photo, self.name),
        }


def in_locale(contacts, locale_id: int) -> dict[int, Contact]:
    """{pk: the contact in `locale_id`} for `contacts`: their translation where there is
    one, else the contact as chosen (a page translated before its contact shows the
    Norwegian contact until the contact is translated). At most one query."""
    found = {c.pk: c for c in contacts if c is not None and c.locale_id == locale_id}
    others = {c.translation_key: c for c in contacts if c is not None and c.pk not in found}
    if others:
        translated = Contact.objects.filter(
            translation_key__in=others, locale_id=locale_id
        ).select_related("photo")
        by_key = {c.translation_key: c for c in translated}
        for key, contact in others.items():
            found[contact.pk] = by_key.get(key, contact)
    return found
