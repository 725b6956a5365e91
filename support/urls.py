from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("guardrails/", views.guardrails, name="guardrails"),
    path("guardrails/tools/new/", views.tool_edit, name="tool-new"),
    path("guardrails/tools/<int:tool_id>/", views.tool_edit, name="tool-edit"),
    path("guardrails/tools/<int:tool_id>/delete/", views.tool_delete, name="tool-delete"),
    path("can-i-use/", views.can_i_use, name="can-i-use"),
    path("use-cases/", views.use_case_list, name="use-cases"),
    path("use-cases/new/", views.use_case_new, name="use-case-new"),
    path("use-cases/<int:pk>/", views.use_case_detail, name="use-case"),
    path("use-cases/<int:pk>/decide/", views.use_case_decide, name="use-case-decide"),
    path("pilots/<int:pk>/data-sources/", views.data_source_classify, name="data-source-classify"),
]
