"""Money as people read it, in pages, emails and admin lists alike."""

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

CENT = Decimal("0.01")
MAX_DIGITS = 100


def usd(value) -> str:
    """Dollars with thousands separators; cents only when there are any: 1200 → $1,200, 1200.5 → $1,200.50.

    Anything that isn't a finite amount (None, "", text, NaN, infinities) or has over 100 digits shows nothing.
    """
    try:
        amount = Decimal(str(value))
        if not amount.is_finite():
            return ""
        # Room for absurdly large amounts too (the default 28 digits would refuse 1e26).
        amount = amount.quantize(CENT, rounding=ROUND_HALF_UP, context=Context(prec=MAX_DIGITS))
    except (InvalidOperation, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if amount == amount.to_integral_value():
        return f"{sign}${amount:,.0f}"
    return f"{sign}${amount:,.2f}"
