from django.urls import path

from . import views

app_name = "costs"

urlpatterns = [
    path("finance/", views.dashboard, name="dashboard"),
    path("finance/export/<slug:table>.csv", views.dashboard_csv, name="dashboard-csv"),
    path("finance/import/", views.cost_import, name="import"),
    path("pilots/<int:pk>/costs/", views.ledger, name="ledger"),
    path("pilots/<int:pk>/costs/entries/", views.entry_add, name="entry-add"),
    path("pilots/<int:pk>/costs/volumes/", views.volume_set, name="volume-set"),
    path("costs/entries/<int:entry_id>/", views.entry_edit, name="entry-edit"),
    path("costs/entries/<int:entry_id>/delete/", views.entry_delete, name="entry-delete"),
]
