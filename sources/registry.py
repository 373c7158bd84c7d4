"""The sources the pipeline knows, by name. Each is a `sources.base.Source` subclass."""

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .errors import SourceError

SOURCES = {
    "nav": "sources.adapters.nav.NavJobFeed",
    "ssb-population": "sources.adapters.ssb.SsbPopulation",
    "nsr": "sources.adapters.udir.SchoolRegister",
    "nbr": "sources.adapters.udir.KindergartenRegister",
    "brreg": "sources.adapters.brreg.Workplaces",
    "met": "sources.adapters.met.MetSunrise",
    "entur": "sources.adapters.entur.EnturJourneys",
}


def get_source(name: str):
    try:
        path = SOURCES[name]
    except KeyError:
        raise SourceError(
            _("There is no source called “%(name)s”. The sources are: %(names)s."),
            name=name,
            names=", ".join(SOURCES),
        ) from None
    return import_string(path)()


def source_class(name: str):
    return import_string(SOURCES[name])
