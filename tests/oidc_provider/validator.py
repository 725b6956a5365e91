from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    """Standard claims from the user, plus `email_verified` and `groups` (scope "groups")."""

    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "groups": "groups"}

    def get_additional_claims(self, request):
        from .models import Claims

        user = request.user
        claims = Claims.objects.filter(user=user).first()
        return {
            "email": user.email,
            "email_verified": claims.email_verified if claims else True,
            "name": user.get_full_name(),
            "given_name": user.first_name,
            "family_name": user.last_name,
            "preferred_username": user.username,
            "groups": list(claims.groups) if claims else [],
        }
