from django.urls import path

from . import views

app_name = "pilots"

urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("pilots/new/", views.pilot_create, name="create"),
    path("pilots/<int:pk>/", views.pilot_detail, name="detail"),
    path("pilots/<int:pk>/setup/<slug:step>/", views.pilot_wizard, name="wizard"),
    path("pilots/<int:pk>/sections/<slug:section>/", views.pilot_section, name="section"),
    path("pilots/<int:pk>/roles/<slug:kind>/", views.role_edit, name="role"),
    path("pilots/<int:pk>/status/", views.pilot_transition, name="transition"),
    path("pilots/<int:pk>/panels/<slug:name>/", views.pilot_panel, name="panel"),
]
