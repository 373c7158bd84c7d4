"""The translation editor shows only what its user may do.

wagtail-localize's editor is a React app fed with a JSON of its links and permissions; it
offers "Convert to alias page" whenever it has the link. For someone who may not publish
the page (a translator), the link is taken out, so the button is not offered; the view
behind it refuses them anyway (`editorial.localize_guards`).
"""

import json

from django import template

register = template.Library()


@register.filter
def actions_for(props: str, page_perms) -> str:
    """The editor's props without the links to actions `page_perms` do not allow."""
    if page_perms is None or page_perms.can_publish():
        return props
    data = json.loads(props)
    data.get("links", {})["convertToAliasUrl"] = None
    return json.dumps(data)
