from django import template
from django.conf import settings

from .. import fragments
from .. import structured_data as _structured_data

register = template.Library()


@register.tag
def page_fragment(parser, token):
    """`{% page_fragment page "content" %}…{% endpage_fragment %}`: a part of a public
    page (`region_pages.fragments.PARTS`), rendered once per content version and address.
    Nothing per reader may be inside."""
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a page and a part's name")
    nodelist = parser.parse(("endpage_fragment",))
    parser.delete_first_token()
    return PageFragmentNode(
        nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2])
    )


class PageFragmentNode(template.Node):
    def __init__(self, nodelist, page, name):
        self.nodelist, self.page, self.name = nodelist, page, name

    def render(self, context):
        return fragments.render(
            context, self.page.resolve(context), self.name.resolve(context), self.nodelist
        )


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
