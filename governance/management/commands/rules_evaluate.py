from django.core.management.base import BaseCommand

from governance.services import pilots_evaluate
from governance.tasks import evaluate_all_pilots_task


class Command(BaseCommand):
    help = "Evaluate every active pilot's stop rules now (or --enqueue it for the Celery worker)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the sweep for the worker."
        )

    def handle(self, *args, enqueue: bool = False, **options):
        if enqueue:
            evaluate_all_pilots_task.delay()
            self.stdout.write("Stop-rule sweep queued for the worker.")
            return
        result = pilots_evaluate()
        self.stdout.write(
            f"Evaluated {result.pilots} active pilots: {len(result.alerts)} new alerts, "
            f"{len(result.paused)} paused."
        )
