"""The nightly check of the external links in published pages (`manage.py check_links`).

The links are read from each live page's published revision (rich text's `href`s and
address fields), each address once however many pages have it. The check is bounded and
polite: at most `LINK_CHECK_LIMIT` addresses a run (another share each night where there
are more) and `LINK_CHECK_PER_HOST` of one host,
one request at a time to a host (a few hosts at once), `HEAD` first and `GET` only when
the server does not take `HEAD`, with its own User-Agent naming the site. Redirects are
not followed: a link that answers with one works (the reader's browser follows it), and
the next host could be anywhere. Requests go only to public addresses
(`region_pages.outbound`).

A link is broken when its server answers 404, 410 or another 4xx or 5xx (except 429, "too
many requests", which says nothing about the link), or does not answer: an unknown host, a
refused connection, a timeout. The broken links are kept (`BrokenLink`) with their first
failure, and each officer sees their own pages' on the dashboard.
"""

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.client import HTTPException
from threading import Lock
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import HTTPRedirectHandler, Request

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wagtail.models import Page

from region_pages import outbound

from .models import BrokenLink

USER_AGENT = "Ranaregionen-Linkcheck/1.0"
HOSTS_AT_ONCE = 4
# Answers that say nothing about the link itself.
NOT_A_VERDICT = {429}
_HREF = re.compile(r"""href=["'](https?://[^"'\s<>]+)["']""", re.I)
_ADDRESS = re.compile(r"^https?://\S+$", re.I)


def links_in(content) -> Iterator[str]:
    """The external addresses in a revision's content (its JSON, StreamField bodies as
    JSON text inside it): rich text's links and fields that hold an address."""
    if isinstance(content, str):
        text = content.strip()
        if text[:1] in "[{" and ('"type"' in text or "href" in text):
            try:
                yield from links_in(json.loads(text))
                return
            except ValueError:
                pass
        if _ADDRESS.match(text):
            yield text
        else:
            yield from _HREF.findall(text)
    elif isinstance(content, list):
        for item in content:
            yield from links_in(item)
    elif isinstance(content, dict):
        for key, value in content.items():
            if key not in ("type", "id", "url_path"):
                yield from links_in(value)


def published_links() -> dict[str, set[int]]:
    """Every external address in live pages, with the pages that have it. One query."""
    found: dict[str, set[int]] = defaultdict(set)
    rows = (
        Page.objects.live()
        .exclude(live_revision=None)
        .values_list("pk", "live_revision__content")
        .order_by("path")
    )
    for page_id, content in rows:
        for url in links_in(content):
            found[url].add(page_id)
    return found


@dataclass(frozen=True)
class Result:
    url: str
    status: int | None  # what the server answered, None for no answer
    problem: str  # "" when the link works

    @property
    def broken(self) -> bool:
        return bool(self.problem)


class _NoRedirects(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 3xx answer is the result


def check_one(url: str, timeout: float) -> Result:
    headers = {"User-Agent": f"{USER_AGENT} (+{settings.SITE_BASE_URL})"}
    status = None
    for method in ("HEAD", "GET"):
        try:
            opener = outbound.opener_for(
                url, _NoRedirects, allow_private=settings.LINK_CHECK_ALLOW_PRIVATE_ADDRESSES
            )
            request = Request(url, method=method, headers=headers)  # noqa: S310 - http(s) only
            with opener.open(request, timeout=timeout) as answer:
                answer.read(1024)
                return Result(url, answer.status, "")
        except HTTPError as error:
            status = error.code
            if method == "HEAD" and status in (403, 405, 501):
                continue  # some servers take GET only
            if status < 400 or status in NOT_A_VERDICT:
                return Result(url, status, "")
            return Result(url, status, f"HTTP {status}")
        except outbound.Refused as refused:
            return Result(url, None, str(refused)[:200])
        except (URLError, OSError, HTTPException, ValueError) as error:
            reason = getattr(error, "reason", error)
            return Result(url, None, f"{type(reason).__name__}: {reason}"[:200])
    return Result(url, status, f"HTTP {status}")


def check_all(
    urls: Iterable[str],
    *,
    limit: int,
    per_host: int,
    timeout: float,
    progress: Callable[[int, int], None] | None = None,
) -> list[Result]:
    """Check up to `limit` addresses, at most `per_host` of each host, one at a time per
    host and `HOSTS_AT_ONCE` hosts at once."""
    by_host: dict[str, list[str]] = defaultdict(list)
    chosen = 0
    # Where there are more than `limit`, another share each day (in an order that changes
    # with the date), so that every address is checked over a few nights.
    today = timezone.localdate().isoformat()
    for url in sorted(
        set(urls), key=lambda url: hashlib.sha256(f"{today} {url}".encode()).digest()
    ):
        host = (urlsplit(url).hostname or "").lower()
        if chosen < limit and len(by_host[host]) < per_host:
            by_host[host].append(url)
            chosen += 1
    results: list[Result] = []
    counted = Lock()
    finished = [0]

    def host_run(host_urls: list[str]) -> list[Result]:
        done = []
        for url in host_urls:
            done.append(check_one(url, timeout))
            with counted:
                finished[0] += 1
                if progress is not None:
                    progress(finished[0], chosen)
        return done

    with ThreadPoolExecutor(max_workers=HOSTS_AT_ONCE) as pool:
        for done in pool.map(host_run, by_host.values()):
            results.extend(done)
    return results


def record(results: list[Result], pages_by_url: dict[str, set[int]], now=None) -> int:
    """Keep the broken links of the checked addresses (a link that works again is dropped;
    one still broken keeps the time of its first failure). The number now broken."""
    now = now or timezone.now()
    checked = [result.url for result in results]
    with transaction.atomic():
        before = {
            (link.page_id, link.url): link.broken_since
            for link in BrokenLink.objects.filter(url__in=checked)
        }
        BrokenLink.objects.filter(url__in=checked).delete()
        broken = [
            BrokenLink(
                page_id=page_id,
                url=result.url,
                status_code=result.status,
                problem=result.problem,
                broken_since=before.get((page_id, result.url), now),
                checked_at=now,
            )
            for result in results
            if result.broken
            for page_id in sorted(pages_by_url.get(result.url, ()))
        ]
        BrokenLink.objects.bulk_create(broken)
        # Links no longer in any live page are not broken links of the site any more.
        BrokenLink.objects.exclude(url__in=list(pages_by_url)).delete()
    return len(broken)


def broken_links_for(user) -> list[BrokenLink]:
    """The broken links in the pages `user` may edit."""
    links = BrokenLink.objects.select_related("page", "page__locale").order_by("page__path", "url")
    return [link for link in links if link.page.permissions_for_user(user).can_edit()]
