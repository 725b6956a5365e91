"""One router for the whole API; each app registers its viewsets here."""

from django.urls import include, path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from knox import views as knox_views
from rest_framework import serializers
from rest_framework.authentication import BasicAuthentication
from rest_framework.routers import DefaultRouter

from costs.api.urls import register as register_costs
from governance.api.views import (
    AlertViewSet,
    ChangeViewSet,
    DecisionRightViewSet,
    RuleSettingsViewSet,
)
from killswitch.urls import api_urlpatterns as killswitch_api_urls
from leadership.api.urls import register as register_leadership
from pilots.api.authentication import TokenAuthentication
from pilots.api.views import PilotViewSet, RoleViewSet, TeamViewSet, UserViewSet
from reviews.api.urls import register as register_reviews
from support.api.urls import register as register_support
from traffic.urls import api_urlpatterns as traffic_api_urlpatterns


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`; shown once.")
    expiry = serializers.DateTimeField(allow_null=True)


@extend_schema(
    request=None,
    responses={
        200: TokenSerializer,
        401: OpenApiResponse(description="Wrong username or password"),
    },
    description="Authenticate with HTTP basic auth; answers a new token (stored hashed).",
)
class TokenLoginView(knox_views.LoginView):
    """POST with HTTP basic auth; answers a token (stored hashed) for `Authorization: Token …`."""

    authentication_classes = [BasicAuthentication]
    serializer_class = TokenSerializer

    def get_user_serializer_class(self):
        return None  # the answer is the token and its expiry, not the user


LOGOUT = extend_schema(
    request=None, responses={204: None, 401: OpenApiResponse(description="No token")}
)


@LOGOUT
class LogoutView(knox_views.LogoutView):
    authentication_classes = [TokenAuthentication]


@extend_schema(
    request=None,
    responses={204: None, 401: OpenApiResponse(description="No token")},
    description="Revoke every token of the signed-in user.",
)
class LogoutAllView(knox_views.LogoutAllView):
    authentication_classes = [TokenAuthentication]


router = DefaultRouter(trailing_slash=False)
router.register("pilots", PilotViewSet, basename="pilot")
router.register("roles", RoleViewSet, basename="role")
router.register("teams", TeamViewSet, basename="team")
router.register("users", UserViewSet, basename="user")
router.register("decision-rights", DecisionRightViewSet, basename="decision-right")
router.register("changes", ChangeViewSet, basename="change")
router.register("alerts", AlertViewSet, basename="alert")
router.register("rule-settings", RuleSettingsViewSet, basename="rule-settings")
register_reviews(router)
register_costs(router)
register_support(router)
register_leadership(router)

urlpatterns = [
    path("auth/login", TokenLoginView.as_view(), name="knox-login"),
    path("auth/logout", LogoutView.as_view(), name="knox-logout"),
    path("auth/logoutall", LogoutAllView.as_view(), name="knox-logoutall"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("", include(killswitch_api_urls)),
    *traffic_api_urlpatterns,
    path("", include(router.urls)),
]
