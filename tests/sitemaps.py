"""Reading the XML sitemap as a search engine does: the index, then each page it lists."""

from collections.abc import Callable
from urllib.parse import urlsplit

import defusedxml.ElementTree as ET

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap_pages(get: Callable[[str], bytes]) -> list:
    """The parsed pages of the sitemap; `get` answers a path with the response's body."""
    index = ET.fromstring(get("/sitemap.xml"))
    assert index.tag == f"{{{NS}}}sitemapindex"
    return [ET.fromstring(get(urlsplit(loc.text).path)) for loc in index.iter(f"{{{NS}}}loc")]


def sitemap_text(get: Callable[[str], bytes]) -> str:
    """Every page of the sitemap, as one text to look for addresses in."""
    return "\n".join(ET.tostring(page, encoding="unicode") for page in sitemap_pages(get))
