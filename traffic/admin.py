from django.contrib import admin

from .models import Connection, ModelPrice, SourceLink


@admin.register(SourceLink)
class SourceLinkAdmin(admin.ModelAdmin):
    list_display = ["kind", "value", "pilot"]
    list_filter = ["kind"]
    search_fields = ["value", "pilot__name"]


@admin.register(ModelPrice)
class ModelPriceAdmin(admin.ModelAdmin):
    list_display = ["model", "effective_from", "input_per_million", "output_per_million"]
    search_fields = ["model"]


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    list_display = ["pilot", "origin", "last_seen_at", "received", "refused"]
    readonly_fields = ["last_errors"]
