"""Writing audit events. Values are made JSON-safe and secrets are masked before they are stored."""

from datetime import date, datetime
from decimal import Decimal

from .models import AuditEvent

SECRET_WORDS = ("secret", "password", "token", "digest", "salt", "key")
MASK = "••••"


def is_secret(field_name: str) -> bool:
    name = field_name.lower()
    return any(word in name for word in SECRET_WORDS) and name not in {"idempotency_key"}


def json_safe(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [json_safe(item) for item in value]
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def masked(values: dict) -> dict:
    return {
        name: (MASK if is_secret(name) and value not in ("", None) else json_safe(value))
        for name, value in values.items()
    }


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    kind: str,
    user=None,
    username: str = "",
    pilot_id: int | None = None,
    object_type: str = "",
    object_id="",
    summary: str = "",
    before: dict | None = None,
    after: dict | None = None,
    request=None,
) -> AuditEvent:
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return AuditEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or (user.get_username() if user else ""))[:150],
        pilot_id=pilot_id,
        object_type=object_type[:100],
        object_id=str(object_id or "")[:64],
        summary=summary[:300],
        before=masked(before or {}),
        after=masked(after or {}),
        ip=client_ip(request),
    )


def audit_bulk_write(
    *, user, object_type: str, counts_by_pilot: dict[int, dict], summary: str
) -> None:
    """One event per pilot for a bulk write (bulk inserts send no history signal): one query."""
    if not counts_by_pilot:
        return
    user = user if getattr(user, "is_authenticated", False) else None
    AuditEvent.objects.bulk_create(
        AuditEvent(
            kind=AuditEvent.Kind.BULK,
            user=user,
            username=user.get_username() if user else "",
            pilot_id=pilot_id,
            object_type=object_type,
            summary=summary[:300],
            after=masked(figures),
        )
        for pilot_id, figures in sorted(counts_by_pilot.items())
    )
