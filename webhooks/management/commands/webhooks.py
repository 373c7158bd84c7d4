"""`manage.py webhooks add|list|remove|rotate-secret`: the partners' webhooks from a shell.

The admin (Settings → Webhooks) is where a coordinator keeps them; this is for an
operator without it: a new install, a script, a partner's test endpoint. A webhook made
here is checked as the admin's form checks it (the model's validators), and its secret
is printed once, when it is made or replaced, to hand to the partner; `list` never
prints secrets, so its output may be pasted into a ticket.

The output is for operators and in English (translations are turned off, so the
model's validation messages are in English too).
"""

from argparse import ArgumentTypeError
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, no_translations

from wagtail.models import Site

from region_pages.regions import all_regions, by_key
from webhooks.models import EVENTS, Webhook

HAND_OVER = (
    "Hand this secret to the partner over a safe channel: it checks the signature of "
    "each delivery with it. It is shown here only now."
)


class Command(BaseCommand):
    help = "Add, list, remove a partner's webhook, or give it a new signing secret."

    def add_arguments(self, parser):
        # Django's parser hands its own class (and how it reports errors) to the subparsers.
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        add = actions.add_parser("add", help="add a webhook and print its secret")
        add.add_argument("--url", required=True, help="the partner's https:// address")
        add.add_argument("--name", default="", help="the partner (default: the address's host)")
        add.add_argument(
            "--region",
            default="",
            help="the region's key, e.g. ranaregionen (default: the default site's region)",
        )
        add.add_argument(
            "--event",
            dest="events",
            action="append",
            default=[],
            choices=EVENTS,
            metavar="EVENT",
            help="tell only of these changes, repeated for several (default: every change): "
            + ", ".join(EVENTS),
        )
        add.add_argument(
            "--lang",
            default="",
            choices=[code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES],
            help="tell only of the changes in this language (default: both)",
        )
        actions.add_parser("list", help="list the webhooks (without their secrets)")
        remove = actions.add_parser("remove", help="delete a webhook")
        remove.add_argument("pk", metavar="ID", type=int, help="its id (see list)")
        rotate = actions.add_parser("rotate-secret", help="give a webhook a new secret")
        rotate.add_argument("pk", metavar="ID", type=int, help="its id (see list)")
        rotate.add_argument(
            "--grace-hours",
            type=_hours,
            default=24,
            metavar="HOURS",
            help="sign with the old secret too for this long, while the partner switches "
            "(default: 24; 0: the old secret stops at once)",
        )

    @no_translations
    def handle(self, *args, action, **options):
        handler = {
            "add": self.add_webhook,
            "list": self.list_webhooks,
            "remove": self.remove_webhook,
            "rotate-secret": self.rotate_secret,
        }[action]
        handler(**options)

    def add_webhook(self, *, url, name, region, events, lang, **_options):
        site = _site(region)
        webhook = Webhook(
            name=name or urlsplit(url).hostname or url,
            url=url,
            site=site,
            events=sorted(set(events)),
            language_code=lang,
        )
        try:
            webhook.full_clean()
        except ValidationError as error:
            raise CommandError(_invalid(error)) from None
        webhook.save()
        self.stdout.write(f"Added webhook {webhook.pk} ({webhook.name}) for {_key(site)}.")
        self._print_secret(webhook)

    def list_webhooks(self, **_options):
        webhooks = Webhook.objects.order_by("pk")
        if not webhooks:
            self.stdout.write("No webhooks.")
            return
        keys = {region.site_id: region.key for region in all_regions()}
        for webhook in webhooks:
            self.stdout.write(
                "  ".join(
                    [
                        str(webhook.pk),
                        "active" if webhook.is_active else "off",
                        keys.get(webhook.site_id, f"site {webhook.site_id}"),
                        webhook.name,
                        webhook.url,
                        ",".join(webhook.events) or "every event",
                        webhook.language_code or "both languages",
                        f"told up to {webhook.delivered_through}",
                        f"failures {webhook.failures}",
                        webhook.last_result or "not tried yet",
                    ]
                )
            )

    def remove_webhook(self, *, pk, **_options):
        webhook = _webhook(pk)
        webhook.delete()
        self.stdout.write(f"Removed webhook {pk} ({webhook.name}, {webhook.url}).")

    def rotate_secret(self, *, pk, grace_hours, **_options):
        webhook = _webhook(pk)
        webhook.rotate_secret(timedelta(hours=grace_hours))
        if webhook.previous_secret_until:
            until = webhook.previous_secret_until.strftime("%Y-%m-%d %H:%M UTC")
            self.stdout.write(
                f"Webhook {webhook.pk} ({webhook.name}) has a new secret. Until {until} each "
                "delivery is signed with both, the old and the new; then with the new only."
            )
        else:
            self.stdout.write(
                f"Webhook {webhook.pk} ({webhook.name}) has a new secret; the old one no "
                "longer signs its deliveries."
            )
        self._print_secret(webhook)

    def _print_secret(self, webhook: Webhook) -> None:
        self.stdout.write(f"Secret: {webhook.secret}")
        self.stdout.write(HAND_OVER)


def _site(key: str) -> Site:
    """The site of the region `key`, or the default site's."""
    if key:
        region = by_key(key)
        if region is None:
            known = ", ".join(region.key for region in all_regions()) or "none yet"
            raise CommandError(f"No region {key!r}. Give --region one of: {known}.")
        return Site.objects.get(pk=region.site_id)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        raise CommandError("There is no default site: give --region.")
    return site


def _key(site: Site) -> str:
    """The site's region key, else its host (a site that is not a region's yet)."""
    return next((r.key for r in all_regions() if r.site_id == site.pk), site.hostname)


def _webhook(pk: int) -> Webhook:
    webhook = Webhook.objects.filter(pk=pk).first()
    if webhook is None:
        raise CommandError(f"No webhook {pk}: `manage.py webhooks list` shows their ids.")
    return webhook


def _invalid(error: ValidationError) -> str:
    """What was wrong with the webhook, field by field, and what to do about it."""
    options = {
        "url": "--url",
        "name": "--name",
        "site": "--region",
        "events": "--event",
        "language_code": "--lang",
    }
    problems = "; ".join(
        f"{options.get(field, field)}: {' '.join(messages)}"
        for field, messages in error.message_dict.items()
    )
    advice = " Give the partner's address, e.g. --url https://partner.example/hooks."
    return f"Not added: {problems}{advice if 'url' in error.message_dict else ''}"


def _hours(value: str) -> float:
    try:
        hours = float(value)
    except ValueError:
        hours = -1
    if not 0 <= hours <= 24 * 30:
        raise ArgumentTypeError(f"{value!r}: give hours from 0 to 720")
    return hours
