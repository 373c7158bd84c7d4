from django import template

from .. import structured_data as _structured_data

register = template.Library()


@register.simple_tag(takes_context=True)
def structured_data(context, page):
    """The page as schema.org JSON-LD (region_pages.structured_data)."""
    items = _structured_data.describe(
        page, context["request"], municipalities=context.get("municipalities") or ()
    )
    return _structured_data.json_ld(items)
