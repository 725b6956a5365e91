from django.contrib import admin

from .models import ProviderIdentity


@admin.register(ProviderIdentity)
class ProviderIdentityAdmin(admin.ModelAdmin):
    list_display = ("user", "subject", "issuer", "created_at")
    search_fields = ("user__username", "user__email", "subject")
    raw_id_fields = ("user",)
