from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from traffic.urls import otlp_urlpatterns

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
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
