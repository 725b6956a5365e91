"""Raising an alert exactly once, and delivering it by e-mail and webhook with retries."""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from pilots.models import Pilot, PilotRole
from support.selectors import company_lane_list

from ..models import Alert, AlertDelivery, RuleSettings
from ..rules import Verdict
from ..rules.labels import figure_label, figure_value, rule_title

WEBHOOK_TIMEOUT_SECONDS = 10


def _recipients(pilot: Pilot, role_kinds: tuple[str, ...]) -> list[str]:
    """E-mail addresses of the primary and backup of each role kind, in order, once each; a
    company lane the pilot leaves empty is answered by the company's contacts for it."""
    addresses: list[str] = []
    roles = {
        role.kind: role
        for role in PilotRole.objects.filter(pilot=pilot, kind__in=role_kinds).select_related(
            "primary", "backup"
        )
    }
    missing_lanes = [kind for kind in role_kinds if kind in PilotRole.LANES and kind not in roles]
    lanes = (
        {lane.kind: lane for lane in company_lane_list().filter(kind__in=missing_lanes)}
        if missing_lanes
        else {}
    )
    for kind in role_kinds:
        holder = roles.get(kind) or lanes.get(kind)
        for person in (holder.primary, holder.backup) if holder else ():
            if person is not None and person.email and person.email not in addresses:
                addresses.append(person.email)
    return addresses


def _webhook(pilot: Pilot) -> tuple[str, str]:
    rule_settings = RuleSettings.objects.filter(pilot=pilot).first()
    if rule_settings and rule_settings.webhook_url:
        return (
            rule_settings.webhook_url,
            rule_settings.webhook_secret or settings.PILOTDECK_WEBHOOK_SECRET,
        )
    return settings.PILOTDECK_WEBHOOK_URL, settings.PILOTDECK_WEBHOOK_SECRET


def alert_raise(*, pilot: Pilot, verdict: Verdict, paused: bool) -> Alert | None:
    """Store the alert once per (pilot, rule, period) and plan its deliveries after commit.

    Returns None when the same breach was already alerted — also when another evaluation running
    at the same moment stored it first (the unique dedupe key decides, not memory).
    """
    key = f"{pilot.pk}:{verdict.rule}:{verdict.period}"
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                pilot=pilot,
                rule=verdict.rule,
                period=verdict.period,
                dedupe_key=key,
                message=verdict.message,
                next_step=verdict.next_step,
                figures=verdict.figures,
                paused_pilot=paused,
                blocks_expansion=verdict.blocks_expansion,
            )
    except IntegrityError:
        return None
    deliveries = [
        AlertDelivery(alert=alert, channel=AlertDelivery.Channel.EMAIL, target=address)
        for address in _recipients(pilot, verdict.notify)
    ]
    url, _ = _webhook(pilot)
    if url:
        deliveries.append(
            AlertDelivery(alert=alert, channel=AlertDelivery.Channel.WEBHOOK, target=url)
        )
    created = AlertDelivery.objects.bulk_create(deliveries)
    from ..tasks import alert_deliver_task  # the task module imports services: import late

    for delivery in created:
        transaction.on_commit(lambda pk=delivery.pk: alert_deliver_task.delay(pk))
    return alert


def webhook_body(alert: Alert) -> bytes:
    """Chat-compatible JSON: `text` for Slack/Mattermost-style hooks, the details beside it."""
    pilot = alert.pilot
    text = (
        f"Pilotdeck · {pilot.name}: {rule_title(alert.rule)}. {alert.message} "
        f"Next step: {alert.next_step}"
    )
    payload = {
        "text": text,
        "pilot": {"id": pilot.pk, "name": pilot.name, "status": pilot.status},
        "rule": alert.rule,
        "rule_title": rule_title(alert.rule),
        "period": alert.period,
        "figures": alert.figures,
        "next_step": alert.next_step,
        "paused_pilot": alert.paused_pilot,
        "raised_at": alert.raised_at.isoformat(),
    }
    return json.dumps(payload, sort_keys=True).encode()


def sign(body: bytes, secret: str, *, timestamp: int | None = None) -> str:
    """`t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`: the time is signed with the body, so
    a captured delivery cannot be replayed later (governance.webhooks.verify checks both)."""
    moment = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{moment}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={moment},v1={digest}"


def email_text(alert: Alert) -> tuple[str, str]:
    """The subject and body of an alert e-mail, written for people: the rule's title, figures
    with their labels, the next step."""
    # Headers take one line: a name typed with a line break must not break the e-mail.
    subject = " ".join(f"[Pilotdeck] {alert.pilot.name}: {rule_title(alert.rule)}".split())
    figures = "\n".join(
        f"  {figure_label(key)}: {figure_value(key, value)}" for key, value in alert.figures.items()
    )
    paused = "Pilotdeck paused the pilot.\n\n" if alert.paused_pilot else ""
    body = f"{alert.message}\n\n{paused}Figures:\n{figures}\n\nNext step: {alert.next_step}\n"
    return subject, body


def _send(delivery: AlertDelivery) -> None:
    alert = delivery.alert
    if delivery.channel == AlertDelivery.Channel.EMAIL:
        subject, body = email_text(alert)
        send_mail(subject, body, None, [delivery.target], fail_silently=False)
        return
    body = webhook_body(alert)
    _, secret = _webhook(alert.pilot)
    request = urllib.request.Request(
        delivery.target,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "X-Pilotdeck-Signature": sign(body, secret)},
    )
    with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS):
        pass  # urlopen raises HTTPError for any 4xx/5xx answer


def alert_deliver(*, delivery_id: int) -> AlertDelivery:
    """Send one delivery; on failure record it and raise so the task retries. Sent stays sent.

    The row lock is held while sending, so a duplicate task run waits and then sees `sent`.
    """
    failure = None
    with transaction.atomic():
        delivery = (
            AlertDelivery.objects.select_for_update()
            .select_related("alert__pilot")
            .get(pk=delivery_id)
        )
        if delivery.status == AlertDelivery.Status.SENT:
            return delivery
        delivery.attempts += 1
        try:
            _send(delivery)
        except Exception as error:  # any failure of the far end is recorded, then retried
            failure = f"{type(error).__name__}: {error}"[:2000]
            delivery.status = AlertDelivery.Status.FAILED
            delivery.last_error = failure
            delivery.save(update_fields=["status", "attempts", "last_error", "updated_at"])
        else:
            delivery.status = AlertDelivery.Status.SENT
            delivery.sent_at = timezone.now()
            delivery.last_error = ""
            delivery.save(
                update_fields=["status", "attempts", "last_error", "sent_at", "updated_at"]
            )
    if failure:
        raise DeliveryFailed(failure)
    return delivery


def alert_delivery_give_up(*, delivery_id: int) -> None:
    AlertDelivery.objects.filter(pk=delivery_id).exclude(status=AlertDelivery.Status.SENT).update(
        status=AlertDelivery.Status.GAVE_UP, updated_at=timezone.now()
    )


class DeliveryFailed(Exception):
    """A delivery failed this time; the task retries it with backoff."""
