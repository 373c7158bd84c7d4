"""What search engines and link previews read of a page: schema.org as JSON-LD.

The home page is the region's `GovernmentOrganization`, serving its municipalities, with
the newcomer contact as its `ContactPoint`; a
municipality page is an `AdministrativeArea` with its number and official website (and,
with a chosen contact, the municipality as a `GovernmentOrganization` with its
`ContactPoint`); an
article is an `Article`, an event an `Event` with its place, a theme page or the calendar a
`CollectionPage`. Every page below the home page
also gets its `BreadcrumbList`: the same trail as the breadcrumbs shown on it.
"""

import json

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from wagtail.models import Site

from .models import (
    ArticlePage,
    EventCalendarPage,
    EventPage,
    HomePage,
    MunicipalityPage,
    ThemePage,
)

# As Django's json_script: nothing in the data can close the script element.
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _site_name(request) -> str:
    site = Site.find_for_request(request)
    return site.site_name if site and site.site_name else "Ranaregionen"


def _front_page_url(request) -> str:
    return request.build_absolute_uri(f"/{get_language()}/")


def _organisation(request) -> dict:
    return {
        "@type": "GovernmentOrganization",
        "name": _site_name(request),
        "url": _front_page_url(request),
    }


def contact_point(contact) -> dict:
    """A contact as schema.org's `ContactPoint`: what the phone and e-mail are for, and
    in which languages (ISO codes)."""
    item = {"@type": "ContactPoint", "name": contact.name}
    if contact.role:
        item["contactType"] = contact.role
    if contact.phone:
        item["telephone"] = contact.phone
    if contact.email:
        item["email"] = contact.email
    if contact.languages:
        item["availableLanguage"] = list(contact.languages)
    if contact.opening_hours:
        item["hoursAvailable"] = {
            "@type": "OpeningHoursSpecification",
            "description": contact.opening_hours,
        }
    return item


def _breadcrumbs(page, request) -> dict:
    trail = [(gettext("Front page"), _front_page_url(request))]
    trail += [(item.title, item.get_full_url(request)) for item in page.breadcrumb_trail]
    trail.append((page.title, page.get_full_url(request)))
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }


def describe(page, request, municipalities=()) -> list[dict]:
    """The schema.org items of `page` (a region page), most important first."""
    common = {
        "name": page.title,
        "url": page.get_full_url(request),
        # The page is served in its own language (/nb/..., /en/...); no query for its locale.
        "inLanguage": get_language(),
    }
    if page.description:
        common["description"] = page.description
    contact = getattr(page, "contact_for_readers", None)
    if isinstance(page, HomePage):
        return [
            {
                **_organisation(request),
                **({"description": page.description} if page.description else {}),
                **({"contactPoint": contact_point(contact)} if contact else {}),
                "areaServed": [
                    {
                        "@type": "AdministrativeArea",
                        "name": municipality.title,
                        "identifier": municipality.municipality_number,
                        "url": municipality.get_full_url(request),
                    }
                    for municipality in municipalities
                ],
            }
        ]
    if isinstance(page, MunicipalityPage):
        item = {
            "@type": "AdministrativeArea",
            **common,
            "identifier": page.municipality_number,
            "sameAs": page.website,
        }
        if contact:
            # An area has no contact point in schema.org: the municipality as the
            # organisation that serves it has.
            return [
                item,
                {
                    "@type": "GovernmentOrganization",
                    "name": gettext("%(name)s municipality") % {"name": page.title},
                    "url": page.website,
                    "areaServed": {"@type": "AdministrativeArea", "name": page.title},
                    "contactPoint": contact_point(contact),
                },
                _breadcrumbs(page, request),
            ]
    elif isinstance(page, ArticlePage):
        item = {
            "@type": "Article",
            **common,
            "headline": page.title[:110],
            "publisher": _organisation(request),
        }
        if page.first_published_at:
            item["datePublished"] = page.first_published_at.isoformat()
        if page.last_published_at:
            item["dateModified"] = page.last_published_at.isoformat()
    elif isinstance(page, EventPage):
        item = {
            "@type": "Event",
            **common,
            "startDate": page.starts_at.isoformat(),
            "endDate": page.ends_at.isoformat(),
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": {
                "@type": "Place",
                "name": page.place_name,
                "address": {
                    "@type": "PostalAddress",
                    "addressLocality": page.municipality_name,
                    "addressCountry": "NO",
                },
            },
        }
        if page.latitude is not None:
            item["location"]["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": page.latitude,
                "longitude": page.longitude,
            }
        if page.organiser:
            item["organizer"] = {"@type": "Organization", "name": page.organiser}
    elif isinstance(page, ThemePage | EventCalendarPage):
        item = {"@type": "CollectionPage", **common}
    else:
        item = {"@type": "WebPage", **common}
    return [item, _breadcrumbs(page, request)]


def json_ld(items: list[dict]) -> SafeString:
    data = {"@context": "https://schema.org", "@graph": items}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above
