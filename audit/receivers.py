"""Where audit events come from: simple-history (every model people edit), sign-ins, denials."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from simple_history.signals import post_create_historical_record

from .models import AuditEvent
from .services import audit_record

KIND_BY_HISTORY_TYPE = {
    "+": AuditEvent.Kind.CREATED,
    "~": AuditEvent.Kind.CHANGED,
    "-": AuditEvent.Kind.DELETED,
}
SKIPPED_FIELDS = {"id", "created_at", "updated_at"}


def _fields(history_instance) -> list:
    return [
        field
        for field in history_instance.instance_type._meta.concrete_fields
        if field.name not in SKIPPED_FIELDS
    ]


@receiver(post_create_historical_record)
def record_change(sender, instance, history_instance, history_user=None, **kwargs):
    fields = _fields(history_instance)
    previous = history_instance.prev_record if history_instance.history_type == "~" else None
    before, after = {}, {}
    for field in fields:
        new = getattr(history_instance, field.attname, None)
        if previous is None:
            if history_instance.history_type == "-":
                before[field.attname] = new
            else:
                after[field.attname] = new
            continue
        old = getattr(previous, field.attname, None)
        if old != new:
            before[field.attname], after[field.attname] = old, new
    if history_instance.history_type == "~" and not after:
        return  # saved without a change
    model = history_instance.instance_type
    pilot_id = (
        instance.pk if model._meta.label == "pilots.Pilot" else getattr(instance, "pilot_id", None)
    )
    audit_record(
        kind=KIND_BY_HISTORY_TYPE[history_instance.history_type],
        user=history_user or history_instance.history_user,
        pilot_id=pilot_id,
        object_type=model._meta.label,
        object_id=instance.pk,
        summary=f"{model._meta.verbose_name}: {str(instance)[:200]}",
        before=before,
        after=after,
    )


@receiver(user_logged_in)
def record_sign_in(sender, request, user, **kwargs):
    # A sign-in through the identity provider says so, with the rights its groups changed
    # (accounts.views.oidc_callback).
    sso = getattr(request, "sso_sign_in", None) or {}
    audit_record(
        kind=AuditEvent.Kind.SIGN_IN,
        user=user,
        summary=sso.get("summary", "Signed in"),
        before=sso.get("before"),
        after=sso.get("after"),
        request=request,
    )


@receiver(user_logged_out)
def record_sign_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(
            kind=AuditEvent.Kind.SIGN_OUT, user=user, summary="Signed out", request=request
        )


@receiver(user_login_failed)
def record_failed_sign_in(sender, credentials, request=None, **kwargs):
    # `credentials` has the password scrubbed by Django; only the username is kept.
    audit_record(
        kind=AuditEvent.Kind.SIGN_IN_FAILED,
        username=str(credentials.get("username", ""))[:150],
        summary="Sign-in failed",
        request=request,
    )
