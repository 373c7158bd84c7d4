"""Links in rich text lead only to pages a reader can open.

Wagtail writes a link to a page as the page's address whether or not the page is live,
so a link to a draft, an unpublished or a restricted page leads to a 404 or a login. The
handler here links only live, public pages (in the reader's language where that version
is live); any other link keeps its text without an address, on the site and in the API,
until the page is published. The publishing pipeline re-announces the linking pages when
a page they link to is published, unpublished, moved or deleted.
"""

from django.utils.html import escape

from wagtail.models import Page
from wagtail.rich_text.pages import PageLinkHandler


class LivePageLinkHandler(PageLinkHandler):
    @classmethod
    def get_many(cls, attrs_list: list[dict]) -> list[Page | None]:
        ids = [attrs.get("id") for attrs in attrs_list]
        pages = Page.objects.filter(id__in=ids).live().public().defer_streamfields().specific()
        by_id = {str(page.id): page for page in pages}
        return [by_id.get(str(page_id)) for page_id in ids]

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        return [
            f'<a href="{escape(page.localized.url)}">' if page else "<a>"
            for page in cls.get_many(attrs_list)
        ]
