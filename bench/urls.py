"""The app's own URLs, plus the bench's floor view (served only by the bench's gunicorn)."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("bench/constant", views.constant, name="bench-constant"),
    path("", include("config.urls")),
]
