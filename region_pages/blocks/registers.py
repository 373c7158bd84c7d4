"""Blocks that rest on the official registers the open data pipeline imports (`sources`).

A chooser block stores the unit's organisation number and gives the register's row when
the page is shown; the StructBlock around it merges the row's facts with what the editor
wrote (the editor's value wins, field by field). Rows come in one query for all blocks
of a page: Wagtail converts a stream's blocks of one type together (`bulk_to_python`).

A stored number whose row is missing (the register was not imported yet, or the content
came from another site) is kept as `Unlisted`, never dropped: the page shows what the
editor wrote, and the editor sees the number and a clear error when saving. A unit the
register has closed cannot be chosen; a page that already shows one says so.

The sources' credits and the choosers come from `sources` through `region_pages.registers`:
this base app imports no other project app.
"""

import copy

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail import blocks

from ..registers import provider


class Unlisted:
    """An organisation number stored in a block whose register row is not there."""

    is_active = False

    def __init__(self, pk: str):
        self.pk = pk

    def __eq__(self, other):
        return isinstance(other, Unlisted) and other.pk == self.pk

    def __hash__(self):
        return hash(self.pk)

    def __repr__(self):
        return f"Unlisted({self.pk!r})"


def listed(value):
    """The register row of a chooser value, or None (nothing chosen, or not in the table)."""
    return None if value is None or isinstance(value, Unlisted) else value


def source_reference(name: str) -> dict:
    """A source of register data, with its licence, as the API serves it."""
    return provider().source_reference(name)


def register_reference(row) -> dict | None:
    """Where a block's facts come from, as the API serves it (and the read model keeps):
    the source, and the unit as the register has it."""
    if listed(row) is None:
        return None
    return {
        **source_reference(row.source_name),
        "org_number": row.org_number,
        "name": row.name,
        "active": row.is_active,
        "updated_at": row.synced_at.isoformat() if row.synced_at else None,
    }


class RegisterChooserBlock(blocks.ChooserBlock):
    """Choose a row of a register table by name; subclasses name the table and the chooser.

    The value is the row (or `Unlisted`); it is stored as the organisation number. It is
    the same in every language: wagtail-localize copies it and offers nothing to translate.
    """

    viewset_name = ""
    unknown_message = ""
    closed_message = ""

    def __init__(self, required=False, **kwargs):
        super().__init__(required=required, **kwargs)

    @cached_property
    def widget(self):
        return provider().chooser_widget(self.viewset_name)

    # ---- from storage and from the form ---------------------------------------------

    def _row(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, self.model_class | Unlisted):
            return value
        found = self.model_class.objects.filter(pk=str(value)).first()
        return found if found is not None else Unlisted(str(value))

    def to_python(self, value):
        return self._row(value)

    def value_from_form(self, value):
        return self._row(value)

    def bulk_to_python(self, values):
        values = list(values)
        keys = [str(value) for value in values if value not in (None, "")]
        found = self.model_class.objects.in_bulk(keys)
        seen, result = set(), []
        for value in values:
            if value in (None, ""):
                result.append(None)
                continue
            key = str(value)
            row = found.get(key)
            if row is None:
                result.append(Unlisted(key))
                continue
            result.append(copy.copy(row) if key in seen else row)
            seen.add(key)
        return result

    def get_prep_value(self, value):
        return None if value is None else str(value.pk)

    def get_form_state(self, value):
        if isinstance(value, Unlisted):
            return {
                "id": value.pk,
                "title": gettext("Not in the register: %(number)s") % {"number": value.pk},
                "edit_url": None,
            }
        return super().get_form_state(value)

    # ---- validation -------------------------------------------------------------------

    def clean(self, value):
        row = self._row(getattr(value, "pk", value))
        if row is None:
            if self.required:
                raise ValidationError(_("Choose a unit from the register."), code="required")
            return None
        if isinstance(row, Unlisted):
            raise ValidationError(self.unknown_message, code="unknown", params={"number": row.pk})
        if not row.is_active:
            closed = row.closed_at or timezone.now()
            raise ValidationError(
                self.closed_message,
                code="closed",
                params={
                    "name": row.name,
                    "number": row.pk,
                    "date": formats.date_format(timezone.localtime(closed), "DATE_FORMAT"),
                },
            )
        return row

    # ---- elsewhere --------------------------------------------------------------------

    def extract_references(self, value):
        if listed(value) is not None:
            yield from super().extract_references(value)

    def get_translatable_segments(self, value):
        return []

    def restore_translated_segments(self, value, segments):
        return value

    def get_api_representation(self, value, context=None):
        return None if value is None else str(value.pk)


class RegisterUnitChooserBlock(RegisterChooserBlock):
    """A school (Nasjonalt skoleregister) or kindergarten (Barnehageregisteret)."""

    target_model = "sources.RegisterUnit"
    viewset_name = "unit_chooser_viewset"
    unknown_message = _(
        "No school or kindergarten with the organisation number %(number)s is in the "
        "register. It may not have been imported yet: choose the unit again, or clear the "
        "choice and fill in the fields yourself."
    )
    closed_message = _(
        "%(name)s (%(number)s) was closed in the register on %(date)s. Clear the choice, or "
        "choose the unit that took over."
    )

    class Meta:
        icon = "home"
        label = _("Unit in the register")


class WorkplaceChooserBlock(RegisterChooserBlock):
    """A workplace (underenhet) in Enhetsregisteret."""

    target_model = "sources.Workplace"
    viewset_name = "workplace_chooser_viewset"
    unknown_message = _(
        "No workplace with the organisation number %(number)s is in the register. It may "
        "not have been imported yet: choose the workplace again, or clear the choice and "
        "write the name yourself."
    )
    closed_message = _(
        "%(name)s (%(number)s) was deleted from the register on %(date)s. Clear the choice, "
        "or choose the workplace that took over."
    )

    class Meta:
        icon = "group"
        label = _("Workplace in the register")
