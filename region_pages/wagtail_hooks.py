from wagtail import hooks

from .rich_text import LivePageLinkHandler


# After Wagtail's own registration (order 0), which this replaces for page links.
@hooks.register("register_rich_text_features", order=10)
def link_only_live_pages(features):
    features.register_link_type(LivePageLinkHandler)
