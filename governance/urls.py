from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("pilots/<int:pk>/rights/<slug:kind>/", views.decision_right_edit, name="right"),
    path("pilots/<int:pk>/changes/", views.change_propose, name="change-propose"),
    path("changes/<int:change_id>/<slug:action>/", views.change_action, name="change-action"),
    path("pilots/<int:pk>/rules/", views.rule_settings_edit, name="rule-settings"),
]
