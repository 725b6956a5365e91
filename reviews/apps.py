from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"

    def ready(self):
        from . import panels  # noqa: F401  (registers the one-page panels and history sources)
