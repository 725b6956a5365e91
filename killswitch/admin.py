"""Kill-switch tokens in the admin: see which gateway holds which, set an expiry, revoke (delete).

Tokens are issued by `manage.py killswitch_token` (the plain token is printed once); the admin
never shows more than the first characters. A revoked token is refused within
PILOTDECK_STATUS_TOKEN_SECONDS, the time a web process remembers a token it verified."""

from django.contrib import admin

from .models import StatusToken


@admin.register(StatusToken)
class StatusTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "token_key", "user", "every_pilot", "created", "expiry"]
    list_filter = ["every_pilot"]
    search_fields = ["name", "token_key", "user__username"]
    fields = ["name", "token_key", "user", "every_pilot", "pilot_ids", "created", "expiry"]
    readonly_fields = ["token_key", "user", "every_pilot", "pilot_ids", "created"]

    def has_add_permission(self, request):
        return False
