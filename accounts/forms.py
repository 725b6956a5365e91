"""Password sign-in, in the main form and the admin's: refused before any password is checked when
PILOTDECK_LOCAL_LOGIN=0, except for the break-glass administrator (PILOTDECK_BREAK_GLASS_USERNAME)."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from audit.models import AuditEvent
from audit.services import audit_record

from . import provider


def local_login_off_message() -> str:
    return (
        f"Password sign-in is switched off: sign in with {provider.display_name()}. "
        "Only the break-glass administrator may use a password."
    )


class LocalLoginMixin:
    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if username and not provider.may_use_password(username):
            audit_record(
                kind=AuditEvent.Kind.SIGN_IN_FAILED,
                username=username[:150],
                summary="Password sign-in refused: local sign-in is switched off",
                request=self.request,
            )
            raise forms.ValidationError(local_login_off_message(), code="local_login_off")
        return super().clean()


class PasswordSignInForm(LocalLoginMixin, AuthenticationForm):
    pass


class AdminPasswordForm(LocalLoginMixin, AdminAuthenticationForm):
    pass
