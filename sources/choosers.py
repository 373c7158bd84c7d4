"""Choosers for the register tables, used by the page editor's school and industry blocks.

An officer picks a school or kindergarten (`RegisterUnit`) or a workplace (`Workplace`)
by name, narrowed by municipality and kind or sector; the block then shows the
register's facts. Only units the register still lists can be chosen. The views are
Wagtail's generic chooser views (a modal, its results, and the "chosen" answer), with our
own filter form and columns. The blocks are in `region_pages.blocks.registers`.
"""

from django import forms
from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets import BaseChooser

from region_pages.blocks.choices import Sector
from region_pages.officers import own_municipality_numbers

from .models import RegisterUnit, UnitKind, Workplace
from .region import DISPLAY_NAMES

PER_PAGE = 20
FILTER = {"data-chooser-modal-search-filter": True}


class RegisterFilterForm(BaseFilterForm):
    """Search by name (or the start of the organisation number) and a municipality."""

    q = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Search by name")}),
    )
    municipality = forms.ChoiceField(
        label=_("Municipality"),
        required=False,
        choices=[("", _("All municipalities")), *DISPLAY_NAMES.items()],
        widget=forms.Select(attrs=FILTER),
    )

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            self.is_searching = True
            self.search_query = query
            compact = query.replace(" ", "")
            if compact.isdigit():
                objects = objects.filter(org_number__startswith=compact)
            else:
                objects = objects.filter(name__icontains=query)
        if self.cleaned_data.get("municipality"):
            objects = objects.filter(municipality_number=self.cleaned_data["municipality"])
        return objects


class UnitFilterForm(RegisterFilterForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Schools and kindergartens")), *UnitKind.choices],
        widget=forms.Select(attrs=FILTER),
    )

    def filter(self, objects):
        objects = super().filter(objects)
        if self.cleaned_data.get("kind"):
            objects = objects.filter(kind=self.cleaned_data["kind"])
        return objects


class WorkplaceFilterForm(RegisterFilterForm):
    sector = forms.ChoiceField(
        label=_("Sector"),
        required=False,
        choices=[("", _("All sectors")), *Sector.choices],
        widget=forms.Select(attrs=FILTER),
    )

    def filter(self, objects):
        objects = super().filter(objects)
        if self.cleaned_data.get("sector"):
            objects = objects.filter(sector=self.cleaned_data["sector"])
        return objects


def _municipality(obj) -> str:
    return DISPLAY_NAMES.get(obj.municipality_number, obj.municipality_number)


class RegisterChooseMixin:
    """The listing: active units only, with the columns an officer recognises them by."""

    extra_columns: tuple[Column, ...] = ()

    def get_object_list(self):
        return self.model_class.objects.filter(is_active=True)

    def get_filter_form(self):
        """Opens on the officer's own municipality; "All municipalities" stays a choice."""
        data = self.request.GET.copy()
        if "municipality" not in data:
            own = own_municipality_numbers(self.request.user)
            if len(own) == 1:
                data["municipality"] = own[0]
        return self.get_filter_form_class()(data)

    @property
    def columns(self):
        return [
            TitleColumn(
                "name",
                label=_("Name"),
                accessor="name",
                get_url=lambda obj: self.append_preserved_url_parameters(
                    reverse(self.chosen_url_name, args=(quote(obj.pk),))
                ),
                link_attrs={"data-chooser-modal-choice": True},
            ),
            Column("municipality", label=_("Municipality"), accessor=_municipality),
            *self.extra_columns,
            Column("org_number", label=_("Organisation number"), accessor="org_number"),
        ]


UNIT_COLUMNS = (
    Column("kind", label=_("Kind"), accessor="get_kind_display"),
    Column("pupils", label=_("Pupils or children"), accessor="pupils"),
)
WORKPLACE_COLUMNS = (
    Column("industry", label=_("Industry"), accessor="industry_label"),
    Column("employees", label=_("Employees"), accessor="employees"),
)


class UnitChooseView(RegisterChooseMixin, chooser_views.ChooseView):
    filter_form_class = UnitFilterForm
    extra_columns = UNIT_COLUMNS


class UnitChooseResultsView(RegisterChooseMixin, chooser_views.ChooseResultsView):
    filter_form_class = UnitFilterForm
    extra_columns = UNIT_COLUMNS


class WorkplaceChooseView(RegisterChooseMixin, chooser_views.ChooseView):
    filter_form_class = WorkplaceFilterForm
    extra_columns = WORKPLACE_COLUMNS


class WorkplaceChooseResultsView(RegisterChooseMixin, chooser_views.ChooseResultsView):
    filter_form_class = WorkplaceFilterForm
    extra_columns = WORKPLACE_COLUMNS


class ActiveChosenView(chooser_views.ChosenView):
    """A closed or unknown unit is not found (404): it cannot be chosen."""

    def get_object(self, pk):
        return self.model_class.objects.get(pk=pk, is_active=True)

    def get_edit_item_url(self, instance):
        return None  # the registers are read-only here


class RegisterChooser(BaseChooser):
    """The widget: the registers have no edit view in the admin."""

    show_edit_link = False


class UnitChooserViewSet(ChooserViewSet):
    model = RegisterUnit
    icon = "home"
    choose_one_text = _("Choose from the register")
    choose_another_text = _("Choose another unit")
    page_title = _("Choose a school or kindergarten")
    per_page = PER_PAGE
    base_widget_class = RegisterChooser
    choose_view_class = UnitChooseView
    choose_results_view_class = UnitChooseResultsView
    chosen_view_class = ActiveChosenView
    # Blocks use the widget; no model form has a foreign key to the registers.
    register_widget = False


class WorkplaceChooserViewSet(ChooserViewSet):
    model = Workplace
    icon = "group"
    choose_one_text = _("Choose from the register")
    choose_another_text = _("Choose another workplace")
    page_title = _("Choose a workplace")
    per_page = PER_PAGE
    base_widget_class = RegisterChooser
    choose_view_class = WorkplaceChooseView
    choose_results_view_class = WorkplaceChooseResultsView
    chosen_view_class = ActiveChosenView
    register_widget = False


unit_chooser_viewset = UnitChooserViewSet("register_unit_chooser", url_prefix="register-units")
workplace_chooser_viewset = WorkplaceChooserViewSet(
    "workplace_chooser", url_prefix="register-workplaces"
)
