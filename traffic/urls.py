from django.urls import path

from .api import LiteLLMReceiverView, OTLPTracesView, TaskBulkView, TaskPickUpView
from .views import connections

api_urlpatterns = [
    path("tasks/bulk", TaskBulkView.as_view(), name="task-bulk"),
    path("traffic/litellm", LiteLLMReceiverView.as_view(), name="traffic-litellm"),
    path("pilots/<int:pk>/tasks/<str:source_id>", TaskPickUpView.as_view(), name="task-pick-up"),
]
otlp_urlpatterns = [path("v1/traces", OTLPTracesView.as_view(), name="otlp-traces")]
app_name = "traffic"
urlpatterns = [path("pilots/<int:pk>/connections/", connections, name="connections")]
