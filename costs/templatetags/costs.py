"""Filters for cost figures: totals in cents, costs per task to four places (both half-up, the
one rule in common.money), the gap in words."""

from decimal import Decimal

from django import template

from common.money import format_money

register = template.Library()


@register.filter
def cents(value) -> str:
    """A total, rounded half-up to cents: 1234.5678 → $1,234.57."""
    return format_money(value)


@register.filter
def per_task(value) -> str:
    """A cost per completed task, always four places (half-up) so a column lines up:
    $0.3315, $0.0200; 'no completed tasks' when there were none (None)."""
    if value in (None, ""):
        return "no completed tasks"
    return format_money(value, per_task=True)


@register.filter
def bar_width(value) -> str:
    """A percent for a CSS bar: clamped to 0–100, with a dot as the decimal separator."""
    if value in (None, ""):
        return "0"
    return f"{max(Decimal('0'), min(Decimal(value), Decimal('100'))):f}"


@register.filter
def multiple(value) -> str:
    """Decimal('2.00') → '2', Decimal('1.50') → '1.5'."""
    if value in (None, ""):
        return ""
    return f"{Decimal(value).normalize():f}"


@register.filter
def seconds(value) -> str:
    """90 → '90 seconds'; 150 → '2.5 minutes'."""
    if value in (None, ""):
        return ""
    value = Decimal(value)
    if value < 120:
        return f"{value.quantize(Decimal('1'))} second{'s' if value != 1 else ''}"
    return f"{(value / 60).quantize(Decimal('0.1')).normalize():f} minutes"
