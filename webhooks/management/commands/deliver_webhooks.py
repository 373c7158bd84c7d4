"""`manage.py deliver_webhooks [--loop] [--interval 2]`: tell the partners' webhooks what
changed (webhooks.delivery). Once, or, with --loop, every few seconds until stopped (the
compose service `webhooks` runs it so)."""

import signal
import threading

from django.core.management.base import BaseCommand

from webhooks.delivery import deliver_due


class Command(BaseCommand):
    help = "Post the change feed's new events to the partners' webhooks."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep delivering until stopped")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between passes")

    def handle(self, *args, loop=False, interval=2.0, **options):
        stop = threading.Event()
        if loop:
            for name in (signal.SIGTERM, signal.SIGINT):
                signal.signal(name, lambda *_: stop.set())
        while True:
            delivered = deliver_due()
            if delivered or not loop:
                self.stdout.write(f"Delivered {delivered} message(s).")
            if not loop or stop.wait(interval):
                return
