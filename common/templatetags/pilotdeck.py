"""Filters that turn numbers and people into plain words on the one page."""

from django import template

from common.money import format_money

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
def midsentence(text) -> str:
    """Text a person typed as a sentence of its own, joined into one of ours: "A customer writes"
    → "a customer writes" ("It starts when a customer writes"). A first word that looks like a
    name or an acronym keeps its capital: two or more capitals ("SAP", "VIP customers"), a capital
    second letter ("CRM-export"), or "I"."""
    text = str(text or "").strip()
    if not text or not text[0].isupper():
        return text
    word = text.split(maxsplit=1)[0]
    letters = [char for char in word if char.isalpha()]
    if len(letters) > 1 and all(char.isupper() for char in letters):
        return text  # an acronym: "SAP", "VIP customers"
    if len(word) > 1 and word[1].isupper():
        return text  # "CRM-export", "PDFs"
    if word == "I" or word.startswith(("I'", "I’")):
        return text
    return text[0].lower() + text[1:]


@register.filter
def full_stop(text) -> str:
    """End a clause the way a sentence ends: "a ticket lands" → "a ticket lands."."""
    text = str(text or "").rstrip()
    return text if not text or text[-1] in ".!?…:;" else f"{text}."


@register.filter
def money(value) -> str:
    """A money total for people, rounded half-up to the cent: 1234.565 → €1,234.57."""
    return format_money(value)


@register.filter
def per_task_money(value) -> str:
    """A cost per completed task (or a limit on one), half-up to four places: €0.0200."""
    return format_money(value, per_task=True)


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
