from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and sign-in"

    def ready(self) -> None:
        from django.contrib import admin

        from .forms import AdminPasswordForm

        # The admin's own sign-in form obeys PILOTDECK_LOCAL_LOGIN like the main one.
        admin.site.login_form = AdminPasswordForm
