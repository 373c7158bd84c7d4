"""The region's page types and the read model of entries.

`base` holds what every page shares; `pages` the four page types; `entries` the table of
typed entries that municipality pages publish into.
"""

from .base import BasePage
from .entries import Entry, EntryKind
from .pages import ArticlePage, HomePage, MunicipalityPage, Theme, ThemePage

__all__ = [
    "ArticlePage",
    "BasePage",
    "Entry",
    "EntryKind",
    "HomePage",
    "MunicipalityPage",
    "Theme",
    "ThemePage",
]
