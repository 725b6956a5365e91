"""Stream fresh tasks through the LiteLLM receiver of a running Pilotdeck, so the Live traffic
figures move: `manage.py stream_traffic --pilot "Support ticket first replies" --rate 2`.

It posts batches of LiteLLM `StandardLoggingPayload` objects (what LiteLLM's generic API logger
sends) over HTTP with a Pilotdeck token, once a second, until Ctrl-C or `--count` tasks.
"""

import json
import time
import urllib.error
import urllib.request
import uuid
from itertools import count as counter

from django.core.management.base import BaseCommand, CommandError
from knox.models import AuthToken

from pilots.models import Pilot

TASK_TYPES = ["shipping update", "password reset", "account question"]
TEAMS = ["Customer Support", "Customer Support", "Customer Support", "Returns desk"]
REASONS = ["order lookup failed", "no help-center article cited", "refund over limit"]


def payload(pilot: Pilot, n: int, now: float) -> dict:
    """One LiteLLM StandardLoggingPayload, as the generic API logger posts it."""
    seconds = 0.5 + (n * 37 % 23) / 10
    failed = n % 50 == 7
    requester = {
        "pilotdeck_pilot": pilot.pk,
        "task_type": TASK_TYPES[n % len(TASK_TYPES)],
        "prompt_version": pilot.prompt_version,
    }
    if n % 9 == 4:
        requester.update(outcome="handed_off", handoff_reason=REASONS[n % len(REASONS)])
    elif n % 25 == 11:
        requester["outcome"] = "skipped"
    return {
        "id": f"chatcmpl-stream-{uuid.uuid4().hex}",
        "trace_id": uuid.uuid4().hex,
        "call_type": "acompletion",
        "startTime": now - seconds,
        "endTime": now,
        "response_time": seconds,
        "model": pilot.model_name or "gpt-4o-mini",
        "model_group": pilot.model_name or "gpt-4o-mini",
        "prompt_tokens": 800 + n % 300,
        "completion_tokens": 90 + n % 60,
        "response_cost": 0.0 if failed else 0.03,
        "status": "failure" if failed else "success",
        "end_user": f"agent{n % 7 + 1}@example.com",
        "metadata": {
            "user_api_key_team_alias": TEAMS[n % len(TEAMS)],
            "requester_metadata": requester,
        },
    }


class Command(BaseCommand):
    help = (
        "Stream fresh tasks for a pilot through the LiteLLM receiver of a running Pilotdeck "
        "(over HTTP, with a token), so the Live traffic figures move."
    )

    def add_arguments(self, parser):
        parser.add_argument("--pilot", required=True, help="The pilot's id or exact name.")
        parser.add_argument("--rate", type=int, default=2, help="Tasks per second (default 2).")
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="Where Pilotdeck runs.")
        parser.add_argument("--token", help="A Pilotdeck API token (else one is made for --user).")
        parser.add_argument(
            "--user", default="tomas", help="Who the token is made for (default: tomas)."
        )
        parser.add_argument("--count", type=int, help="Stop after this many tasks.")

    def _pilot(self, ref: str) -> Pilot:
        found = Pilot.objects.filter(pk=int(ref)) if ref.isdigit() else None
        pilot = (found or Pilot.objects.filter(name=ref)).first()
        if pilot is None:
            raise CommandError(f"No pilot {ref!r}: give its id or exact name.")
        return pilot

    def _token(self, options) -> str:
        if options["token"]:
            return options["token"]
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']!r}: give --user or --token.")
        return AuthToken.objects.create(user)[1]

    def _post(self, endpoint: str, token: str, batch: list[dict]) -> dict:
        request = urllib.request.Request(
            endpoint,
            data=json.dumps(batch).encode(),
            headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            raise CommandError(f"Pilotdeck answered {error.code}: {error.read()[:500]!r}") from None
        except urllib.error.URLError as error:
            raise CommandError(f"Cannot reach {endpoint}: {error.reason}") from None

    def handle(self, *args, **options):
        pilot = self._pilot(options["pilot"])
        rate, limit = max(1, options["rate"]), options["count"]
        if limit is not None and limit < 1:
            raise CommandError("--count must be at least 1.")
        endpoint = options["url"].rstrip("/") + "/api/traffic/litellm"
        token = self._token(options)
        self.stdout.write(
            f"Streaming {rate} task(s)/s for {pilot.name} to {endpoint} (Ctrl-C stops)."
        )
        numbers, sent = counter(), 0
        try:
            while limit is None or sent < limit:
                size = rate if limit is None else min(rate, limit - sent)
                now = time.time()
                batch = [payload(pilot, next(numbers), now) for _ in range(size)]
                result = self._post(endpoint, token, batch)
                sent += size
                self.stdout.write(
                    f"sent {size}: {result['created']} stored, {result['refused']} refused"
                    + (f" ({result['errors'][0]['errors']})" if result["errors"] else "")
                )
                if limit is None or sent < limit:
                    time.sleep(max(0.0, 1 - (time.time() - now)))
        except KeyboardInterrupt:
            pass
        self.stdout.write(self.style.SUCCESS(f"Done: {sent} task(s) sent."))
