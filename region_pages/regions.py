"""The regions of one install: each region is a Wagtail site.

A region's site has its own host and its home page in the source language; the home
page's translations are the region's home in the other languages, and the municipality
pages below them are the region's municipalities. Everything public is read for the
region of the request's host: the pages, the menus, the sitemap, search and the partner
API (which may also be asked for other regions by `?region=`).

A region's key is its home page's slug in the source language (`ranaregionen`,
`mosjoenregionen`): stable, unique among the home pages, and what partners name in
`?region=`. The regions are worked out once per content version (a publish, a move, a
site's change) and kept in the cache; a request then finds its own without a query.
"""

import time
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http.request import split_domain_port

from wagtail.models import Page, Site

from . import versions

# Where a request keeps the region it was found to be for.
REQUEST_ATTRIBUTE = "_region"


@dataclass(frozen=True)
class Region:
    key: str
    name: str
    site_id: int
    hostname: str
    port: int
    is_default: bool
    # The home page in each language: (language code, page id, tree path), by language.
    homes: tuple[tuple[str, int, str], ...]
    # The kommunenummer of the municipalities whose pages are in the region, in the
    # pages' order.
    numbers: tuple[str, ...]
    # The look (`RegionSettings`): a theme's name and a logo's image id, or "" and None
    # for the install's defaults.
    theme: str = ""
    logo_id: int | None = None

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(path for _code, _pk, path in self.homes)

    def pages(self, prefix: str = "") -> Q:
        """A filter for the pages in the region (`prefix`: the path field's relation,
        `"page__"` from a model that refers to a page)."""
        if not self.homes:
            return Q(pk__in=[])
        return reduce(or_, (Q(**{f"{prefix}path__startswith": path}) for path in self.paths))

    def holds(self, page: Page) -> bool:
        return any(page.path.startswith(path) for path in self.paths)


def municipalities_of(region: "Region | None") -> list:
    """The known municipalities of `region`, in order: the first region's (the default
    site's, or no region at all) are the install's first list, which the imports and roles
    cover also before each has its page, then any other of its pages' municipalities."""
    from .municipalities import BY_NUMBER, MUNICIPALITIES

    numbers = [n for n in (region.numbers if region else ()) if n in BY_NUMBER]
    if region is None or region.is_default:
        return [
            *MUNICIPALITIES,
            *(BY_NUMBER[n] for n in numbers if BY_NUMBER[n] not in MUNICIPALITIES),
        ]
    return [BY_NUMBER[n] for n in numbers]


def pages_in(regions: list[Region] | tuple[Region, ...], prefix: str = "") -> Q:
    """A filter for the pages in any of `regions`."""
    if not regions:
        return Q(pk__in=[])
    return reduce(or_, (region.pages(prefix) for region in regions))


def _build() -> tuple[Region, ...]:
    from .models import HomePage, MunicipalityPage, RegionSettings

    source = settings.LANGUAGE_CODE
    sites = list(Site.objects.select_related("root_page").order_by("-is_default_site", "pk"))
    roots = {site.root_page.translation_key for site in sites}
    homes: dict = {}
    slugs = {}
    for key, pk, path, language, slug in HomePage.objects.filter(
        translation_key__in=roots
    ).values_list("translation_key", "pk", "path", "locale__language_code", "slug"):
        homes.setdefault(key, []).append((language, pk, path))
        if language == source or key not in slugs:
            slugs[key] = slug
    numbers = list(
        MunicipalityPage.objects.live()
        .filter(locale__language_code=source)
        .order_by("path")
        .values_list("path", "municipality_number")
    )
    looks = {
        site_id: (theme, logo_id)
        for site_id, theme, logo_id in RegionSettings.objects.values_list(
            "site_id", "theme", "logo_id"
        )
    }
    regions = []
    for site in sites:
        group = tuple(sorted(homes.get(site.root_page.translation_key, ())))
        if not group:
            # A site whose root is not a region's home page (Wagtail's placeholder).
            continue
        paths = tuple(path for _code, _pk, path in group)
        regions.append(
            Region(
                key=slugs[site.root_page.translation_key],
                name=site.site_name or site.root_page.title,
                site_id=site.pk,
                hostname=site.hostname,
                port=site.port,
                is_default=site.is_default_site,
                homes=group,
                numbers=tuple(
                    dict.fromkeys(
                        number for path, number in numbers if any(path.startswith(p) for p in paths)
                    )
                ),
                theme=looks.get(site.pk, ("", None))[0],
                logo_id=looks.get(site.pk, ("", None))[1],
            )
        )
    return tuple(regions)


def all_regions() -> tuple[Region, ...]:
    """Every region of the install, the default site's first."""
    return versions.remember("regions", "", _build)


def by_key(key: str) -> Region | None:
    return next((region for region in all_regions() if region.key == key), None)


def for_site_id(site_id: int | None) -> Region | None:
    regions = all_regions()
    return next((r for r in regions if r.site_id == site_id), None) or next(
        (r for r in regions if r.is_default), regions[0] if regions else None
    )


def for_request(request) -> Region | None:
    """The region of the request's host; None in an install without any region yet.

    The site is the one Wagtail serves the request's pages from (the same rules as
    `Site.find_for_request`: host and port, else the host on the default site, else the
    default site, else the only site of that host), found among the cached regions
    instead of by a query.
    """
    if not hasattr(request, REQUEST_ATTRIBUTE):
        site = getattr(request, "_wagtail_site", None)
        if site is not None:
            region = for_site_id(site.pk)
        else:
            hostname = split_domain_port(request._get_raw_host())[0]
            region = _matching(all_regions(), hostname, request.get_port())
        setattr(request, REQUEST_ATTRIBUTE, region)
    return getattr(request, REQUEST_ATTRIBUTE)


def _matching(regions: tuple[Region, ...], hostname: str, port) -> Region | None:
    try:
        port = int(port)
    except (TypeError, ValueError):
        port = None
    ranked = sorted(
        (
            (
                0
                if region.hostname == hostname and region.port == port
                else 1
                if region.hostname == hostname and region.is_default
                else 2
                if region.is_default
                else 3,
                position,
                region,
            )
            for position, region in enumerate(regions)
            if region.hostname == hostname or region.is_default
        ),
        key=lambda item: item[:2],
    )
    if not ranked:
        return regions[0] if regions else None
    if len(ranked) == 1 or ranked[0][0] in (0, 1):
        return ranked[0][2]
    if ranked[0][0] == 2:
        # The default; but the only site of this host (on another port) before it.
        return ranked[len(ranked) == 2][2]
    return ranked[0][2]


# The region each host serves, for the metrics' labels: kept in the process and read
# again from the regions when the content version the request was served at moves on, or
# at most once a minute (the metrics are counted outside Django's request, where nothing
# should wait on the cache or the database).
HOST_KEYS_SECONDS = 60
_host_keys: dict[tuple[str, str], str] = {}
_host_keys_read = {"at": float("-inf"), "version": None}


def forget_hosts() -> None:
    _host_keys.clear()
    _host_keys_read["at"] = float("-inf")


def key_for_host(host: str, port: str = "", version: str | None = None) -> str:
    """The key of the region that `host` (a Host header) and `port` serve; "" without
    regions. `version`: the content version the request was served at, if known."""
    now = time.monotonic()
    moved_on = version is not None and version != _host_keys_read["version"]
    if moved_on or now - _host_keys_read["at"] > HOST_KEYS_SECONDS:
        _host_keys.clear()
        _host_keys_read.update(at=now, version=version or _host_keys_read["version"])
    hostname, header_port = split_domain_port(host)
    key = (hostname, header_port or port)
    if key not in _host_keys:
        if len(_host_keys) > 1000:  # hosts made up by clients: never an unbounded map
            _host_keys.clear()
        region = _matching(all_regions(), hostname, header_port or port)
        _host_keys[key] = region.key if region else ""
    return _host_keys[key]


def for_path(path: str) -> Region | None:
    """The region a page at `path` is in."""
    return next((r for r in all_regions() if any(path.startswith(p) for p in r.paths)), None)


def for_number(number: str) -> Region | None:
    """The region whose municipalities include `number`."""
    return next((r for r in all_regions() if number in r.numbers), None)


def site_for_path(path: str) -> int | None:
    """The site of the region a page at `path` is in; None outside every region."""
    region = for_path(path)
    return region.site_id if region else None


def site_for_number(number: str) -> int | None:
    """The site of the region whose municipalities include `number`."""
    region = for_number(number)
    return region.site_id if region else None


@receiver(post_save, sender=Site, dispatch_uid="regions_site_saved")
@receiver(post_delete, sender=Site, dispatch_uid="regions_site_deleted")
@receiver(post_save, sender="region_pages.RegionSettings", dispatch_uid="regions_look_saved")
def _site_changed(sender, instance, **kwargs) -> None:
    """A site's host, home page or look decides what every request of that host is
    served; a site's home page, which change feed its pages' events are in."""
    versions.bump()
    if sender is Site and kwargs.get("created") is not None:
        from .changes import assign_site

        assign_site(instance)
