from django import template
from django.conf import settings

from .. import structured_data as _structured_data

register = template.Library()


@register.simple_tag(takes_context=True)
def structured_data(context, page):
    """The page as schema.org JSON-LD (region_pages.structured_data)."""
    items = _structured_data.describe(
        page, context["request"], municipalities=context.get("municipalities") or ()
    )
    return _structured_data.json_ld(items)


@register.inclusion_tag("region_pages/includes/map.html")
def item_map(markers, label, map_id="map"):
    """The items' markers on a map (see `region_pages.maps`), or nothing without markers."""
    return {
        "markers": markers,
        "label": label,
        "map_id": map_id,
        "marker_script_id": f"{map_id}-markers",
        "tiles": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
    }
