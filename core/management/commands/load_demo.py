"""Load demonstration data so `make run` opens on something to look at (idempotent)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create demo users, a group, plugins and entrypoints (safe to run again)."

    def handle(self, *args, **options):
        from core.demo import load_demo

        for line in load_demo():
            self.stdout.write(line)
