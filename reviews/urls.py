"""Weekly review samples and the error log in the browser."""

from django.urls import path, register_converter

from . import views
from .weeks import IsoWeekConverter

app_name = "reviews"
register_converter(IsoWeekConverter, "isoweek")

urlpatterns = [
    path("pilots/<int:pk>/reviews/", views.week_current, name="current"),
    path("pilots/<int:pk>/reviews/<isoweek:week>/", views.week_page, name="week"),
    path(
        "pilots/<int:pk>/reviews/<isoweek:week>/samples/", views.sample_create, name="sample-create"
    ),
    path("pilots/<int:pk>/reviews/<isoweek:week>/notes/", views.week_notes, name="week-notes"),
    path("pilots/<int:pk>/reviews/<isoweek:week>/close/", views.week_close, name="week-close"),
    path("pilots/<int:pk>/reviews/<isoweek:week>/queue/", views.queue_page, name="queue"),
    path("pilots/<int:pk>/reviews/<isoweek:week>/queue/draw/", views.queue_draw, name="queue-draw"),
    path("queue/<int:item_id>/score/", views.queue_score, name="queue-score"),
    path("queue/<int:item_id>/skip/", views.queue_skip, name="queue-skip"),
    path("samples/<int:sample_id>/delete/", views.sample_delete, name="sample-delete"),
    path("samples/<int:sample_id>/edit/", views.sample_edit, name="sample-edit"),
    path("pilots/<int:pk>/errors/", views.error_log, name="errors"),
    path("pilots/<int:pk>/errors/new/", views.error_new, name="error-new"),
    path("pilots/<int:pk>/errors/report/", views.error_report, name="report"),
    path("errors/<int:entry_id>/", views.error_detail, name="error"),
    path("errors/<int:entry_id>/<slug:part>/", views.error_edit, name="error-edit"),
]
