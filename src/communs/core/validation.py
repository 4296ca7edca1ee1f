"""Numbers and documents entering the suite through forms and the API: the Django and Ninja faces
of `communs.guards` (which engines use directly).

- `FiniteFloat` / `bounded_float(minimum, maximum)`: pydantic types for Ninja schemas refusing NaN,
  ±infinity and values beyond the quantity's plausible range (422 naming the field);
- `FiniteFloatField`: the form field doing the same;
- `GuardedParser`: the API's JSON body parser, refusing NaN/Infinity constants and documents nested
  deeper than `communs.guards.limits.MAX_JSON_DEPTH` (400 saying so).
"""

from typing import Annotated

from django import forms
from django.core.exceptions import ValidationError
from ninja.parser import Parser
from pydantic import Field

from communs.guards.finite import MAX_MAGNITUDE, NumberError, finite_number
from communs.guards.limits import loads_json


def bounded_float(minimum: float = -MAX_MAGNITUDE, maximum: float = MAX_MAGNITUDE):
    """A pydantic float type refusing NaN, ±infinity and values outside [minimum, maximum]."""
    return Annotated[float, Field(allow_inf_nan=False, ge=minimum, le=maximum)]


FiniteFloat = bounded_float()


class FiniteFloatField(forms.FloatField):
    """Django's FloatField already refuses NaN and infinity; this one also refuses implausible magnitudes."""

    def __init__(self, *, plausible_min: float | None = None, plausible_max: float | None = None, **kwargs):
        self.plausible_min, self.plausible_max = plausible_min, plausible_max
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        try:
            finite_number(value, minimum=self.plausible_min, maximum=self.plausible_max)
        except NumberError as exc:
            raise ValidationError(exc.reason, code="implausible") from None


class GuardedParser(Parser):
    def parse_body(self, request):
        return loads_json(request.body, source="corps de la requête")
