from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"

    def ready(self):
        from pilots.services import register_resume_guard

        from . import panels  # noqa: F401  (registers the one-page panels and history sources)
        from .services.errors import open_stop_now_refusals

        register_resume_guard(open_stop_now_refusals)
