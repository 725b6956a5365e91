"""Issue a kill-switch (status-only) token for a gateway: `manage.py killswitch_token alice gw`."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from common.errors import ApplicationError
from killswitch.services import status_token_create


class Command(BaseCommand):
    help = "Issue a token that can read pilot status and nothing else; prints it once."

    def add_arguments(self, parser):
        parser.add_argument("username", help="Whose view of the pilots the token reads with.")
        parser.add_argument("name", help="Which gateway holds it.")
        parser.add_argument("--pilot", type=int, action="append", dest="pilots", default=None)

    def handle(self, *args, username, name, pilots, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        try:
            _, plain = status_token_create(user=user, name=name, pilot_ids=pilots)
        except ApplicationError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(plain)
