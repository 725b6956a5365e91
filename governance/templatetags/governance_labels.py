from django import template

from governance.rules.labels import rule_title as _rule_title

register = template.Library()


@register.filter
def rule_title(rule: str) -> str:
    """`spend_over_cap` → "Spend over the monthly cap"."""
    return _rule_title(rule)
