"""Drafts for partners' own frontends.

An editor opens a page's saved draft in a partner's frontend (the page editor's preview,
mode "Partner's site", when `PARTNER_PREVIEW_URL` is set): the partner's page receives a
short-lived token, signed and scoped to that page and revision, and asks the API for the
page with `Authorization: Preview <token>`. Only that request sees the draft: the token
expires in `PARTNER_PREVIEW_SECONDS`, answers carrying it are never cached (`no-store`,
and the response cache passes requests that carry credentials), and nothing of it goes
into the change feed. Without a valid token the API serves what is published, as always.
"""

import time

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from wagtail.models import Page, Revision

from .problems import Problem

SALT = "region_pages.api.preview"
SCHEME = "preview"
CACHE_CONTROL = "no-store, private"

now = time.time  # the clock the expiry is read against (a test moves it)


def issue(page: Page, revision: Revision) -> str:
    """A token for `revision` of `page`, valid for PARTNER_PREVIEW_SECONDS."""
    expires = int(now()) + settings.PARTNER_PREVIEW_SECONDS
    return signing.dumps({"p": page.pk, "r": revision.pk, "e": expires}, salt=SALT, compress=True)


def presented(request) -> str | None:
    """The token of an `Authorization: Preview <token>` header, if there is one."""
    scheme, _sep, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return token.strip() if scheme.lower() == SCHEME and token.strip() else None


def revision_for(token: str, page_id: int) -> Revision:
    """The revision a valid token for `page_id` names; a 401 problem for any other."""
    try:
        claims = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise refused(_("This preview token is not one the site gave out.")) from None
    if claims.get("p") != page_id:
        raise refused(_("This preview token is for another page."))
    if claims.get("e", 0) <= now():
        raise refused(_("This preview token has expired: open the preview again in the admin."))
    revision = Revision.page_revisions.filter(pk=claims.get("r"), object_id=str(page_id)).first()
    if revision is None:
        raise refused(_("The draft this preview token was for is gone."))
    return revision


def refused(detail: str) -> Problem:
    return Problem(401, "preview-token-refused", _("Preview not allowed"), detail)


def partner_address(page: Page) -> str | None:
    """Where the partner's frontend shows `page`'s latest saved draft, with a new token;
    None when no partner frontend is configured or the page has no saved revision."""
    template = settings.PARTNER_PREVIEW_URL
    revision = Page.objects.get(pk=page.pk).latest_revision if page.pk else None
    if not template or revision is None:
        return None
    return template.format(
        token=issue(page, revision), page_id=page.pk, lang=page.locale.language_code
    )
