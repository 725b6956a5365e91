"""Sign-in and sign-out: the password form, the identity provider's round trip, and sign-out
from both. Every refused provider sign-in is written to the audit trail with its reason."""

import requests
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect, resolve_url
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import View
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationRequestView, OIDCLogoutView

from audit.models import AuditEvent
from audit.services import audit_record
from pilots.models import PilotRole

from . import provider, services
from .backends import PATH, ProviderBackend
from .forms import PasswordSignInForm, local_login_off_message

# mozilla-django-oidc's setting names read from Pilotdeck's (config/settings/base.py).
RENAMED_SETTINGS = {"OIDC_RP_SCOPES": "PILOTDECK_OIDC_SCOPES"}
UNREACHABLE = (requests.RequestException, ValueError, ImproperlyConfigured)


class LoginView(auth_views.LoginView):
    form_class = PasswordSignInForm

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "provider_enabled": provider.enabled(),
            "provider_name": provider.display_name(),
            "local_login": provider.local_login_allowed(),
            "local_login_off_message": local_login_off_message(),
        }


class ProviderSignInStart(OIDCAuthenticationRequestView):
    """Sends the browser to the provider with a fresh state, nonce and PKCE challenge."""

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the endpoints are resolved per request, in get()

    @staticmethod
    def get_settings(attr, *args):
        return import_from_settings(RENAMED_SETTINGS.get(attr, attr), *args)

    def get(self, request):
        if not provider.enabled():
            raise Http404("Sign-in through an identity provider is not configured.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider.endpoint("PILOTDECK_OIDC_AUTHORIZATION_ENDPOINT")
        except UNREACHABLE:
            return refuse(request, "the provider could not be reached; try again in a minute")
        self.OIDC_RP_CLIENT_ID = provider.setting("PILOTDECK_OIDC_CLIENT_ID")
        return super().get(request)


def refuse(request, reason: str, username: str = ""):
    audit_record(
        kind=AuditEvent.Kind.SIGN_IN_FAILED,
        username=username,
        summary=f"Sign-in with {provider.display_name()} refused: {reason}"[:300],
        request=request,
    )
    messages.error(request, f"Sign-in with {provider.display_name()} was refused: {reason}.")
    return redirect(settings.LOGIN_URL)


@never_cache
@require_GET
def oidc_callback(request):
    """The provider's answer: the state must be one this browser started (it carries the nonce
    and the PKCE verifier), then the code is exchanged and the ID token checked."""
    if not provider.enabled():
        raise Http404("Sign-in through an identity provider is not configured.")
    states = request.session.get("oidc_states") or {}
    state = request.GET.get("state", "")
    started = states.pop(state, None) if state else None
    if started is not None:
        request.session["oidc_states"] = states  # used once: a replayed answer is refused
    if request.GET.get("error"):
        answer = request.GET.get("error_description") or request.GET["error"]
        return refuse(request, f"the provider answered “{answer[:120]}”")
    if started is None:
        return refuse(
            request, "the answer does not match a sign-in started in this browser (state)"
        )
    if not request.GET.get("code"):
        return refuse(request, "the provider sent no authorization code")
    try:
        claims, id_token = ProviderBackend().verified_claims(
            request,
            code=request.GET["code"],
            nonce=started.get("nonce"),
            code_verifier=started.get("code_verifier"),
        )
    except SuspiciousOperation as exc:
        reason = str(exc)
        if "Nonce" in reason:
            reason = "the ID token does not match the sign-in started in this browser (nonce)"
        return refuse(request, reason.rstrip("."))
    except UNREACHABLE:
        return refuse(request, "the provider did not accept the code or could not be reached")
    try:
        sign_in = services.person_sign_in(claims=claims)
    except services.SignInRefused as exc:
        return refuse(request, exc.reason, exc.username)
    next_url = request.session.pop("oidc_login_next", None) or resolve_url(
        settings.LOGIN_REDIRECT_URL
    )
    # audit.receivers.record_sign_in writes these with the sign-in.
    request.sso_sign_in = {
        "summary": f"Signed in with {provider.display_name()}"
        + (" (new person)" if sign_in.created else ""),
        "before": sign_in.before,
        "after": sign_in.after,
    }
    auth.login(request, sign_in.user, backend=PATH)
    request.session["oidc_id_token"] = id_token
    for kind in sign_in.full_lanes:
        messages.warning(
            request,
            f"Your group makes you a contact of the {PilotRole.Kind(kind).label} lane, but it "
            "already has a primary and a backup; an administrator must make room.",
        )
    return redirect(next_url)


class LogoutView(OIDCLogoutView):
    """Ends the Pilotdeck session and, for a session that came from the provider and a provider
    with an end-session endpoint, the provider's session too (accounts.provider.logout_url)."""
