"""Money in integer cents: Decimal in, Decimal out, never a float in between.

An award of 500 000,00 € is 50 000 000 cents. Amounts typed by people ("500 000,00 €",
"500000.00", "1.234,56") are parsed to cents with half-up rounding to the cent; NaN, infinities
and non-numbers are refused with a message that says what was read.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


class AmountError(ValueError):
    pass


def to_cents(amount: Decimal | int | str) -> int:
    """`Decimal("150000.005")` → 15000001 (half-up to the cent). Refuses NaN and infinities."""
    try:
        number = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    except InvalidOperation as exc:
        raise AmountError(f"montant « {amount} » illisible") from exc
    if not number.is_finite():
        raise AmountError(f"montant « {amount} » non fini")
    return int((number * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_cents(cents: int) -> Decimal:
    """15000000 → Decimal("150000.00")."""
    return (Decimal(cents) / 100).quantize(CENT)


def format_cents(cents: int) -> str:
    """15000000 → "150000.00" (for JSON and CSV: a decimal string with two decimals)."""
    return f"{from_cents(cents):f}"


_SPACES = re.compile(r"[\s\u00a0\u202f']")


def parse_amount(text: str | int | float | Decimal | None) -> int:
    """An amount as people write it in spreadsheets → cents.

    "500 000,00 €", "500000.00", "1.234.567,89", "1,234,567.89", 500000 (a number cell) are read;
    a float cell is read through its shortest repr (XLSX numbers are binary floats).
    """
    if text is None or text == "":
        raise AmountError("montant absent")
    if isinstance(text, bool):
        raise AmountError(f"montant « {text} » illisible")
    if isinstance(text, float):
        if text != text or text in (float("inf"), float("-inf")):
            raise AmountError("montant non fini")
        return to_cents(Decimal(repr(text)))
    if isinstance(text, int | Decimal):
        return to_cents(text)
    cleaned = _SPACES.sub("", str(text)).replace("€", "").replace("EUR", "").replace("eur", "")
    if "," in cleaned and "." in cleaned:
        # The last separator is the decimal one: "1.234,56" or "1,234.56".
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif "," in cleaned:
        cleaned = cleaned.replace(",", ".") if cleaned.count(",") == 1 else cleaned.replace(",", "")
    elif cleaned.count(".") > 1:
        cleaned = cleaned.replace(".", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        raise AmountError(f"montant « {text} » illisible")
    return to_cents(Decimal(cleaned))
