"""Filters that turn numbers and people into plain words on the one page."""

from decimal import Decimal

from django import template
from django.conf import settings

from common.money import to_money

register = template.Library()


@register.filter
def person(user) -> str:
    if not user:
        return ""
    return user.get_full_name() or user.get_username()


@register.filter
def duration(minutes) -> str:
    """90 → '1 hour 30 minutes'; 2880 → '2 days'."""
    if minutes in (None, ""):
        return ""
    minutes = int(minutes)
    days, rest = divmod(minutes, 60 * 24)
    hours, mins = divmod(rest, 60)
    parts = []
    for amount, unit in ((days, "day"), (hours, "hour"), (mins, "minute")):
        if amount:
            parts.append(f"{amount} {unit}{'s' if amount != 1 else ''}")
    return " ".join(parts) or "0 minutes"


@register.filter
def money(value) -> str:
    if value in (None, ""):
        return ""
    amount = Decimal(value)
    precise = amount != amount.quantize(Decimal("0.01"))
    text = f"{amount.normalize():,f}" if precise else f"{to_money(amount):,.2f}"
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(settings.PILOTDECK_CURRENCY)
    return f"{symbol}{text}" if symbol else f"{text} {settings.PILOTDECK_CURRENCY}"


@register.filter
def sentence_list(items) -> str:
    """['a', 'b', 'c'] → 'a, b and c'."""
    items = [str(item) for item in items or [] if str(item).strip()]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


@register.filter
def percent_list(items) -> str:
    return sentence_list([f"{item}%" for item in items or []])


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


WEB_SCHEMES = ("http://", "https://")


@register.filter
def web_url(text) -> str:
    """`text` if it is a web address (http or https), else "": only those may become links, so a
    reference like `javascript://…` is shown as text and never runs."""
    text = str(text or "").strip()
    return text if text.lower().startswith(WEB_SCHEMES) else ""
