"""Mark failed the started jobs whose worker stopped sending heartbeats (``jobs_reap``)."""

from django.core.management.base import BaseCommand

from jobs.services import jobs_reap


class Command(BaseCommand):
    help = "Mark failed the running jobs whose worker died (no heartbeat for JOB_STALE_SECONDS)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-after",
            type=float,
            default=None,
            help="Seconds without a heartbeat after which a job is dead (JOB_STALE_SECONDS).",
        )

    def handle(self, *args, stale_after=None, **options):
        reaped = jobs_reap(stale_after=stale_after)
        self.stdout.write(
            f"Marked {len(reaped)} job(s) failed: {', '.join(map(str, reaped))}."
            if reaped
            else "No job has lost its worker."
        )
