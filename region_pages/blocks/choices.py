"""The fixed vocabularies of the blocks.

Values are stable codes stored in content and served by the API; labels are translated
through gettext (`locale/`), never through content.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    INDUSTRY = "industry", _("Manufacturing and process industry")
    ENERGY = "energy", _("Energy and power production")
    AQUACULTURE = "aquaculture", _("Aquaculture and fisheries")
    AGRICULTURE = "agriculture", _("Agriculture and forestry")
    CONSTRUCTION = "construction", _("Building and construction")
    TRADE = "trade", _("Trade and services")
    TOURISM = "tourism", _("Tourism and hospitality")
    TRANSPORT = "transport", _("Transport and logistics")
    TECHNOLOGY = "technology", _("Technology and knowledge services")
    HEALTH = "health", _("Health and care")
    EDUCATION = "education", _("Education and research")
    PUBLIC = "public", _("Public administration")
    CULTURE = "culture", _("Culture and media")


class LeisureCategory(models.TextChoices):
    HIKING = "hiking", _("Hiking and mountains")
    SKIING = "skiing", _("Skiing")
    WATER = "water", _("Sea, lakes and rivers")
    FISHING = "fishing", _("Fishing")
    NATURE = "nature", _("Nature experiences")
    CULTURE = "culture", _("Culture and history")
    SPORTS = "sports", _("Sports and clubs")
    FAMILY = "family", _("For children and families")


class Season(models.TextChoices):
    WINTER = "winter", _("Winter")
    SPRING = "spring", _("Spring")
    SUMMER = "summer", _("Summer")
    AUTUMN = "autumn", _("Autumn")


class SchoolLevel(models.TextChoices):
    KINDERGARTEN = "kindergarten", _("Kindergarten")
    PRIMARY = "primary", _("Primary school (years 1–7)")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary school (years 8–10)")
    COMBINED = "combined", _("Primary and lower secondary school (years 1–10)")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school")
    ADULT = "adult", _("Adult education")
    HIGHER = "higher", _("Higher education")


class Audience(models.TextChoices):
    """Who a step of the arrival guide concerns."""

    EVERYONE = "everyone", _("Everyone")
    EU_EEA = "eu_eea", _("Citizens of EU/EEA countries")
    OTHERS = "others", _("Citizens of countries outside the EU/EEA")


class AdmissionKind(models.TextChoices):
    KINDERGARTEN = "kindergarten", _("A kindergarten place")
    SCHOOL = "school", _("Starting school")


class FeePeriod(models.TextChoices):
    MONTH = "month", _("month")
    YEAR = "year", _("year")
    ONCE = "once", _("once")


class EventCategory(models.TextChoices):
    MUSIC = "music", _("Music and concerts")
    CULTURE = "culture", _("Culture, theatre and exhibitions")
    SPORTS = "sports", _("Sports")
    OUTDOORS = "outdoors", _("Outdoor life")
    FAMILY = "family", _("For children and families")
    MARKET = "market", _("Markets and food")
    TALK = "talk", _("Talks, courses and meetings")
    FESTIVAL = "festival", _("Festivals")
