from django.urls import path

from . import views

app_name = "leadership"

urlpatterns = [
    path("leadership/", views.dashboard, name="dashboard"),
    path("leadership/export/<slug:table>.csv", views.dashboard_csv, name="dashboard-csv"),
]
