from django.core.management.base import BaseCommand

from demo.company import DEMO_PASSWORD, load_demo_company


class Command(BaseCommand):
    help = "Load the demo company (idempotent: running it again adds nothing) and print the demo logins."

    def handle(self, *args, **options):
        users, created = load_demo_company()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo company {'loaded' if created else 'already present; nothing added'}."
            )
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, (name, role) in users.items():
            self.stdout.write(f"  {username:<8} {name:<18} {role}")
