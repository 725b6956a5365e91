from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("start/", views.ProviderSignInStart.as_view(), name="oidc-start"),
    path("callback/", views.oidc_callback, name="oidc-callback"),
]
