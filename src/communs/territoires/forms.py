"""A reusable DSFR commune field with autocomplete, for every service's forms.

The widget is a DSFR text input tied to a `<datalist>` that HTMX fills from
`territoires:suggestions` as the user types. Without JavaScript the same field still works:
`clean()` accepts an INSEE code, a postcode that designates a single commune, an exact name, or
"Nom (code)" as the suggestions offer it, and returns a `Commune`.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from communs.core.forms import DsfrForm
from communs.territoires import selectors
from communs.territoires.models import Commune


class CommuneInput(forms.TextInput):
    template_name = "territoires/widgets/commune_input.html"

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        datalist_id = f"{widget_attrs.get('id') or name}-suggestions"
        widget_attrs.update(
            {
                "list": datalist_id,
                # HTMX appends this input's own name=value to the URL; `field` tells the view which one to read.
                "hx-get": f"{reverse('territoires:suggestions')}?field={name}",
                "hx-trigger": "input changed delay:250ms",
                "hx-target": f"#{datalist_id}",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        )
        context["widget"]["datalist_id"] = datalist_id
        return context

    def format_value(self, value):
        if isinstance(value, Commune):
            return value.label
        return super().format_value(value)


class CommuneField(forms.Field):
    """A commune typed by name, code or postcode; cleans to a `Commune`."""

    widget = CommuneInput
    default_error_messages = {
        "unknown": "« %(value)s » ne correspond à aucune commune. Saisissez un nom, un code INSEE ou un code postal.",
        "ambiguous": (
            "« %(value)s » désigne plusieurs communes, par exemple %(examples)s. "
            "Choisissez dans la liste ou précisez le code INSEE."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Commune")
        kwargs.setdefault("help_text", "Nom, code INSEE ou code postal, par exemple « Saint-Étienne » ou « 42000 ».")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value.label if isinstance(value, Commune) else value

    def to_python(self, value):
        if isinstance(value, Commune):
            return value
        text = (value or "").strip()
        if not text:
            return None
        commune = selectors.resolve_commune(text)
        if commune is not None:
            return commune
        candidates = selectors.search_communes(text, limit=3, include_arrondissements=False)
        if len(candidates) > 1:
            examples = ", ".join(f"« {c.label} »" for c in candidates)
            raise ValidationError(
                self.error_messages["ambiguous"], code="ambiguous", params={"value": text, "examples": examples}
            )
        if len(candidates) == 1:
            return candidates[0]
        raise ValidationError(self.error_messages["unknown"], code="unknown", params={"value": text})


class CommuneSearchForm(DsfrForm):
    """The public search page's form (GET): free text, with the same autocomplete."""

    q = forms.CharField(
        label="Rechercher une commune",
        help_text="Nom, code INSEE ou code postal, par exemple « St-Étienne », « 75056 » ou « 42000 ».",
        max_length=100,
        required=False,
        widget=CommuneInput(attrs={"type": "search"}),
    )


class CompareForm(DsfrForm):
    """The territory to compare with (GET): a level and a code (SIREN for an EPCI)."""

    niveau = forms.ChoiceField(
        label="Niveau",
        choices=[("commune", "Commune"), ("epci", "EPCI"), ("departement", "Département"), ("region", "Région")],
    )
    code = forms.CharField(
        label="Code",
        help_text="Code INSEE (commune, département, région) ou SIREN (EPCI), par exemple « 35 ».",
        max_length=9,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()
