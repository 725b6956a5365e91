"""Money and percent helpers: Decimal all the way, rounded half-up to cents at the edges."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
TENTH = Decimal("0.1")


def to_money(value) -> Decimal:
    if isinstance(value, float):
        raise TypeError("money must not pass through float")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """`part` as a percentage of `whole`, or None when there is no whole to compare against."""
    if not whole:
        return None
    if type(part) is int and type(whole) is int and part >= 0 and whole > 0:
        # Counts (most calls: every review week's rates): exact integer arithmetic, same result.
        return Decimal((2000 * part + whole) // (2 * whole)).scaleb(-1)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TENTH, rounding=ROUND_HALF_UP)
