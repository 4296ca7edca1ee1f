"""`{{ cents|euros }}`: an amount stored in integer cents, written for people ("150 000,00 €")."""

from decimal import Decimal

from django import template

from communs.core.numbers import format_number

register = template.Library()


@register.filter
def euros(cents):
    if cents is None or cents == "":
        return "—"
    return format_number(Decimal(int(cents)) / 100, 2, unit="€")
