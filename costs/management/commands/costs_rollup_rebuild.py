from django.core.management.base import BaseCommand

from costs.services import rollup_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the daily cost rollup from the ledger (all pilots, or --pilot ID ...). "
        "Idempotent: running it again gives the same rows."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--pilot", type=int, action="append", dest="pilots", help="A pilot id (repeatable)."
        )

    def handle(self, *args, pilots=None, **options):
        rows = rollup_rebuild(pilot_ids=pilots)
        scope = (
            f"pilot{'s' if len(pilots) > 1 else ''} {', '.join(map(str, pilots))}"
            if pilots
            else "every pilot"
        )
        self.stdout.write(self.style.SUCCESS(f"Rollup rebuilt for {scope}: {rows} rows."))
