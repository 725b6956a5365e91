from django.urls import path

from . import ofrep, views

api_urlpatterns = [
    path("pilot-status", views.bulk_status, name="pilot-status-bulk"),
    path("pilot-status/<int:pk>", views.pilot_status, name="pilot-status-fast"),
]

urlpatterns = [
    path("ofrep/v1/evaluate/flags", ofrep.BulkEvaluateView.as_view(), name="ofrep-bulk"),
    path("ofrep/v1/evaluate/flags/<str:key>", ofrep.EvaluateView.as_view(), name="ofrep-flag"),
]
