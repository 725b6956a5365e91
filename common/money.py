"""Money and percent helpers: Decimal all the way, rounded half-up at the edges.

One rule for every money figure Pilotdeck shows — pages, CSV files, the API, alert figures and
e-mails: totals (spend, caps, costs) are rounded half-up to the cent, costs per completed task
half-up to four places. Arithmetic happens on the exact amounts; only the figure shown is rounded,
so a total is the exact sum rounded (never a sum of rounded cells), the same on every surface.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from rest_framework import serializers

MONEY_ROUNDING = ROUND_HALF_UP
CENT = Decimal("0.01")
PER_TASK_PLACES = Decimal("0.0001")
TENTH = Decimal("0.1")
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


def _decimal(value) -> Decimal:
    if isinstance(value, float):
        raise TypeError("money must not pass through float")
    return Decimal(value)


def to_money(value) -> Decimal:
    """A total to the cent, half-up: 30.025 → 30.03."""
    return _decimal(value).quantize(CENT, rounding=MONEY_ROUNDING)


def to_per_task(value) -> Decimal:
    """A cost per completed task to four places, half-up: 0.33155 → 0.3316."""
    return _decimal(value).quantize(PER_TASK_PLACES, rounding=MONEY_ROUNDING)


def money_text(value, *, per_task: bool = False) -> str:
    """A money figure as a plain decimal string (CSV cells, alert figures): '1234.57', or ''
    for None. No thousands separator and no symbol, so a spreadsheet or a tool reads a number."""
    if value in (None, ""):
        return ""
    return f"{(to_per_task if per_task else to_money)(value):f}"


def format_money(value, *, per_task: bool = False) -> str:
    """A money figure for people (pages, alert messages, e-mails): '€1,234.57', '€0.0200'; ''
    for None. The currency is settings.PILOTDECK_CURRENCY."""
    if value in (None, ""):
        return ""
    amount = (to_per_task if per_task else to_money)(value)
    text = f"{amount:,.4f}" if per_task else f"{amount:,.2f}"
    symbol = SYMBOLS.get(settings.PILOTDECK_CURRENCY)
    if symbol:
        return f"-{symbol}{text[1:]}" if text.startswith("-") else f"{symbol}{text}"
    return f"{text} {settings.PILOTDECK_CURRENCY}"


def with_currency(label: str) -> str:
    """A column or field name with the company currency: 'Model/API spend (EUR)'."""
    return f"{label} ({settings.PILOTDECK_CURRENCY})"


# --- The API: the same rule as a serializer field ----------------------------------------------

MONEY_HELP = "Decimal string, exactly two places, rounded half-up (the company currency)."
PER_TASK_HELP = "Decimal string, exactly four places, rounded half-up (the company currency)."


class MoneyField(serializers.DecimalField):
    """A money total in the API: a string with exactly two places, rounded half-up."""

    def __init__(self, *, help_text: str = "", **kwargs):
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("read_only", True)
        help_text = f"{help_text} {MONEY_HELP}".strip()
        super().__init__(decimal_places=2, rounding=MONEY_ROUNDING, help_text=help_text, **kwargs)


class PerTaskMoneyField(serializers.DecimalField):
    """A cost per completed task in the API: a string with exactly four places, rounded half-up."""

    def __init__(self, *, help_text: str = "", **kwargs):
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("read_only", True)
        help_text = f"{help_text} {PER_TASK_HELP}".strip()
        super().__init__(decimal_places=4, rounding=MONEY_ROUNDING, help_text=help_text, **kwargs)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """`part` as a percentage of `whole`, or None when there is no whole to compare against."""
    if not whole:
        return None
    if type(part) is int and type(whole) is int and part >= 0 and whole > 0:
        # Counts (most calls: every review week's rates): exact integer arithmetic, same result.
        return Decimal((2000 * part + whole) // (2 * whole)).scaleb(-1)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TENTH, rounding=MONEY_ROUNDING)
