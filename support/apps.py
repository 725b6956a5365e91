from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "support"
    verbose_name = "Company guardrails and support"

    def ready(self):
        from pilots.forms import register_suggestions

        from . import panels  # noqa: F401  (registers the one-page panel and history source)
        from .selectors import approved_tool_names, data_class_names

        register_suggestions("tools", approved_tool_names)
        register_suggestions("data_sources", data_class_names)
