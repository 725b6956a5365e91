from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def ms(value) -> str:
    """A response time: "640 ms", "1.2 s"; "—" without tasks."""
    if value is None:
        return "—"
    if value < 1000:
        return f"{value} ms"
    return f"{Decimal(value) / 1000:.1f} s"


@register.filter
def pct(value) -> str:
    return "—" if value is None else f"{value}%"


@register.filter
def minutes(value) -> str:
    return "—" if value is None else f"{value} min"
