"""Partners' API keys from the command line: `issue`, `list`, `revoke` (the same as the
admin's Settings → API keys)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from partners.models import ApiKey


class Command(BaseCommand):
    help = "Issue, list and revoke partners' API keys."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        issue = actions.add_parser("issue", help="Issue a key; it is shown once.")
        issue.add_argument("name", help="Who uses it, for example 'Visit Helgeland'.")
        issue.add_argument(
            "--per-minute", type=int, help="Its share: requests a minute (else the default)."
        )
        actions.add_parser("list", help="The keys, without their secret values.")
        revoke = actions.add_parser("revoke", help="Stop a key from working.")
        revoke.add_argument("id", type=int)

    def handle(self, *args, action, **options):
        getattr(self, action)(**options)

    def issue(self, name, per_minute=None, **options):
        api_key = ApiKey(name=name)
        if per_minute is not None:
            api_key.requests_per_minute = per_minute
        key = api_key.issue()
        try:
            api_key.full_clean()
        except ValidationError as error:
            messages = "; ".join(
                f"{field}: {' '.join(e)}" for field, e in error.message_dict.items()
            )
            raise CommandError(f"Not issued: {messages}") from None
        api_key.save()
        self.stdout.write(
            f"Issued key {api_key.pk} for {name} ({api_key.requests_per_minute} a minute):"
        )
        self.stdout.write(key)
        self.stdout.write("Give it to the partner now: it is not shown again.")

    def list(self, **options):
        for api_key in ApiKey.objects.all():
            state = "active" if api_key.is_active else "revoked"
            self.stdout.write(
                f"{api_key.pk}\t{state}\t{api_key.prefix}…\t{api_key.requests_per_minute}/min\t"
                f"{api_key.name}"
            )

    def revoke(self, id, **options):
        updated = ApiKey.objects.filter(pk=id).first()
        if updated is None:
            raise CommandError(f"There is no API key {id}: see `manage.py apikeys list`.")
        updated.is_active = False
        updated.save(update_fields=["is_active"])
        self.stdout.write(f"Revoked key {id} ({updated.name}).")
