"""`manage.py publish_scheduled`: Wagtail's command, saying what it did.

Wagtail's own command publishes what is due and unpublishes what has expired, silently.
This one runs it and then lists, from the log of actions, each page (or other object) it
published or unpublished, so that the scheduler's log (cron, a systemd timer) tells the
coordinator what went live and when. `--dryrun` is Wagtail's listing, unchanged.
"""

from django.utils import timezone

from wagtail.management.commands.publish_scheduled import Command as WagtailCommand
from wagtail.models import ModelLogEntry, PageLogEntry

from observability import context

PUBLISHED = "wagtail.publish.scheduled"
UNPUBLISHED = "wagtail.unpublish.scheduled"


class Command(WagtailCommand):
    help = "Publish what is scheduled and unpublish what has expired, and list what was done."

    def handle(self, *args, **options):
        if options.get("dryrun"):
            return super().handle(*args, **options)
        started = timezone.now()
        with context.ensured():
            super().handle(*args, **options)
        done = {PUBLISHED: [], UNPUBLISHED: []}
        for model in (PageLogEntry, ModelLogEntry):
            entries = model.objects.filter(action__in=done, timestamp__gte=started)
            for entry in entries.order_by("timestamp"):
                done[entry.action].append(f"{entry.label} (id {entry.object_id})")
        if not any(done.values()):
            self.stdout.write("Nothing was due.")
            return
        for action, heading in ((PUBLISHED, "Published"), (UNPUBLISHED, "Unpublished (expired)")):
            if done[action]:
                self.stdout.write(f"{heading}: {len(done[action])}")
                for line in done[action]:
                    self.stdout.write(f"  {line}")
