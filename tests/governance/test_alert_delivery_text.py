"""Alert deliveries a person reads and a receiver can trust: e-mails name the rule and its figures
in words, and a webhook signature covers a timestamp so a captured delivery cannot be replayed."""

import json
import time

import pytest
from django.core import mail

from governance.models import Alert
from governance.services.alerts import email_text, sign, webhook_body
from governance.webhooks import verify
from reviews import services as review_services
from reviews.models import ErrorEntry

pytestmark = pytest.mark.django_db
SECRET = "shared-secret"


def stop_now_alert(pilot, people, capture) -> Alert:
    with capture(execute=True):
        review_services.error_report(
            pilot=pilot,
            by=people["reviewer"],
            what_went_wrong="Pasted another customer's address.",
            severity=ErrorEntry.Severity.STOP_NOW,
        )
    return Alert.objects.get()


def test_an_alert_email_names_the_rule_and_figures_for_people(
    pilot, people, django_capture_on_commit_callbacks
):
    alert = stop_now_alert(pilot, people, django_capture_on_commit_callbacks)
    subject, body = email_text(alert)
    assert subject == f"[Pilotdeck] {pilot.name}: Stop-now error reported"
    assert "Open stop-now errors: 1" in body
    assert f"Latest error: #{alert.figures['latest_error']}" in body
    assert "Pilotdeck paused the pilot." in body
    for raw in ("stop now error", "stop_now_error", "open_stop_now_errors", "latest_error"):
        assert raw not in subject and raw not in body
    assert mail.outbox[0].subject == subject


def test_the_page_names_the_rule_for_people(
    pilot, people, client_for, django_capture_on_commit_callbacks
):
    stop_now_alert(pilot, people, django_capture_on_commit_callbacks)
    html = client_for(people["stopper"]).get(f"/pilots/{pilot.pk}/").content.decode()
    assert "Stop-now error reported" in html and "rule stop_now_error" not in html


def test_a_signed_delivery_verifies_and_a_replay_or_a_changed_body_does_not(
    pilot, people, django_capture_on_commit_callbacks
):
    alert = stop_now_alert(pilot, people, django_capture_on_commit_callbacks)
    body = webhook_body(alert)
    assert json.loads(body)["rule_title"] == "Stop-now error reported"
    now = int(time.time())
    header = sign(body, SECRET, timestamp=now)
    assert header.startswith(f"t={now},v1=")
    assert verify(header, body, SECRET, now=now + 60)
    assert not verify(header, body, SECRET, now=now + 301)  # replayed six minutes later
    assert not verify(header, body + b" ", SECRET, now=now)
    assert not verify(header, body, "another secret", now=now)
    # The old body-only signature is refused: the time must be signed too.
    assert not verify("sha256=" + header.split("v1=")[1], body, SECRET, now=now)
