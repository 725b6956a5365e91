"""Optimistic concurrency: a row's version is its `updated_at` to the microsecond.

Browser forms carry the version they were opened at; the API sends it as an ETag and takes it back
in If-Match. Services compare it under the row lock and raise `StaleEdit` when someone saved since.
"""

from django.utils import timezone

from .errors import StaleEdit


def version_of(instance) -> str:
    return str(int(instance.updated_at.timestamp() * 1_000_000))


def last_editor(instance) -> str:
    history = getattr(instance, "history", None)
    record = history.select_related("history_user").first() if history is not None else None
    user = getattr(record, "history_user", None)
    return (user.get_full_name() or user.get_username()) if user else "someone"


def check_version(current, expected: str | None) -> None:
    """Raise StaleEdit when `expected` is given and the locked `current` row has moved on."""
    if expected and expected != version_of(current):
        who = last_editor(current)
        when = timezone.localtime(current.updated_at)
        raise StaleEdit(
            f"Changed by {who} at {when:%H:%M:%S on %-d %b} since you opened it.",
            current=current,
            changed_by=who,
            changed_at=current.updated_at,
        )
