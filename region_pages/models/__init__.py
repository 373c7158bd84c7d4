"""The region's page types and the read model of entries.

`base` holds what every page shares; `pages` the page types; `events` the calendar and
its events; `entries` the table of typed entries that municipality pages publish into;
`contacts` the people and offices pages name; `changes` the feed partners sync from;
`versions` the content version that caches and validators derive from; `regions` a
region's look; `readability` the plain-language checks' words to avoid and findings.
"""

from .base import BasePage
from .changes import Announced, ChangeAction, ChangeEvent, ResourceType
from .contacts import Contact, ContactKind, SpokenLanguage
from .entries import Entry, EntryKind
from .events import EventCalendarPage, EventPage
from .pages import ArrivalGuidePage, ArticlePage, HomePage, MunicipalityPage, Theme, ThemePage
from .readability import AvoidedWord, Readability
from .regions import RegionSettings
from .versions import ContentVersion

__all__ = [
    "Announced",
    "ArrivalGuidePage",
    "ArticlePage",
    "AvoidedWord",
    "BasePage",
    "ChangeAction",
    "ChangeEvent",
    "Contact",
    "ContactKind",
    "ContentVersion",
    "Entry",
    "EntryKind",
    "EventCalendarPage",
    "EventPage",
    "HomePage",
    "MunicipalityPage",
    "Readability",
    "RegionSettings",
    "ResourceType",
    "SpokenLanguage",
    "Theme",
    "ThemePage",
]
