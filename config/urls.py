from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from traffic.urls import otlp_urlpatterns

urlpatterns = [
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", account_views.LogoutView.as_view(), name="logout"),
    path("accounts/oidc/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("config.api_urls")),
    path("", include("killswitch.urls")),
    path("otlp/", include((otlp_urlpatterns, "otlp"))),
    path("", include("traffic.urls")),
    path("", include("audit.urls")),
    path("", include("governance.urls")),
    path("", include("reviews.urls")),
    path("", include("costs.urls")),
    path("", include("support.urls")),
    path("", include("leadership.urls")),
    path("", include("pilots.urls")),
]
