"""Signing in through the identity provider: the code for tokens, the tokens checked, the claims.

mozilla-django-oidc does the protocol (token request with the PKCE verifier, the ID token's
signature against the provider's keys, the nonce, expiry); this subclass reads its configuration
at sign-in (accounts.provider) instead of at start-up, also checks the token's audience and issuer,
and hands the claims to accounts.services — the callback view calls it directly, so it never sits
in Django's password sign-in chain (`authenticate` always answers None).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import absolutify

from . import provider

PATH = "accounts.backends.ProviderBackend"


class ProviderBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # Loaded for every session and every password sign-in: it must not need the provider.
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        return None  # only accounts.views.oidc_callback signs people in this way

    def get_user(self, user_id):
        return ModelBackend.get_user(self, user_id)  # an inactive person's session ends

    def _configure(self) -> None:
        self.OIDC_OP_TOKEN_ENDPOINT = provider.endpoint("PILOTDECK_OIDC_TOKEN_ENDPOINT")
        self.OIDC_OP_USER_ENDPOINT = provider.endpoint(
            "PILOTDECK_OIDC_USERINFO_ENDPOINT", required=False
        )
        self.OIDC_RP_CLIENT_ID = provider.setting("PILOTDECK_OIDC_CLIENT_ID")
        self.OIDC_RP_CLIENT_SECRET = provider.setting("PILOTDECK_OIDC_CLIENT_SECRET")
        self.OIDC_RP_SIGN_ALGO = provider.setting("PILOTDECK_OIDC_SIGN_ALGO") or "RS256"
        # RS*/ES* tokens are checked against the provider's published keys; HS* with the secret.
        self.OIDC_OP_JWKS_ENDPOINT = provider.endpoint(
            "PILOTDECK_OIDC_JWKS_ENDPOINT", required=self.OIDC_RP_SIGN_ALGO[:2] in {"RS", "ES"}
        )
        self.OIDC_RP_IDP_SIGN_KEY = None

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was issued to another client.")
        expected = provider.issuer().rstrip("/")
        if expected and str(payload.get("iss", "")).rstrip("/") != expected:
            raise SuspiciousOperation("The ID token names another issuer.")
        return payload

    def verified_claims(self, request, *, code: str, nonce: str, code_verifier: str | None):
        """The provider's claims about who signed in (ID token, then userinfo) and the raw ID token.

        Raises SuspiciousOperation for a token that fails a check (signature, nonce, audience,
        issuer) and requests' errors when the provider refuses the code or cannot be reached."""
        self.request = request
        self._configure()
        payload = {
            "client_id": self.OIDC_RP_CLIENT_ID,
            "client_secret": self.OIDC_RP_CLIENT_SECRET,
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": absolutify(request, reverse("accounts:oidc-callback")),
        }
        if code_verifier is not None:
            payload["code_verifier"] = code_verifier
        token_info = self.get_token(payload)
        id_token = token_info.get("id_token")
        if not id_token:
            raise SuspiciousOperation("The provider sent no ID token.")
        claims = self.verify_token(id_token, nonce=nonce)
        if self.OIDC_OP_USER_ENDPOINT and token_info.get("access_token"):
            userinfo = self.get_userinfo(token_info["access_token"], id_token, claims)
            if userinfo.get("sub", claims.get("sub")) != claims.get("sub"):
                raise SuspiciousOperation("The userinfo answer is about somebody else.")
            claims = {**claims, **userinfo}
        return claims, id_token
