"""Champollion forms (DSFR)."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from communs.champollion.engine.calendars import parse_weekdays
from communs.core.forms import DsfrForm

NATURE_CHOICES = [("", "Toutes"), ("01", "CDI (01)"), ("02", "CDD (02)"), ("03", "Intérim (03)")]


class SearchForm(DsfrForm):
    q = forms.CharField(label="SIRET, SIREN ou raison sociale", max_length=100, required=False)


class ContractFilterForm(DsfrForm):
    nature = forms.ChoiceField(label="Nature du contrat", choices=NATURE_CHOICES, required=False)
    poste = forms.CharField(label="Poste contient", max_length=120, required=False)


class CalendarForm(DsfrForm):
    weekdays = forms.CharField(
        label="Jours d'ouverture", help_text="Par exemple mon-fri, mon-sat ou mon,wed,fri.", max_length=40
    )
    closed_dates = forms.CharField(
        label="Jours de fermeture",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Dates AAAA-MM-JJ séparées par des espaces ou des virgules.",
    )
    holidays_closed = forms.BooleanField(label="Fermé les jours fériés", required=False)

    def clean_weekdays(self):
        value = self.cleaned_data["weekdays"].strip().lower()
        try:
            parse_weekdays(value)
        except ValueError as exc:
            raise ValidationError(f"« {value} » : jours attendus parmi mon, tue, wed, thu, fri, sat, sun.") from exc
        return value

    def clean_closed_dates(self):
        out = []
        for item in self.cleaned_data["closed_dates"].replace(",", " ").split():
            try:
                out.append(date.fromisoformat(item))
            except ValueError as exc:
                raise ValidationError(f"« {item} » n'est pas une date AAAA-MM-JJ.") from exc
        return out


class MergeForm(DsfrForm):
    source = forms.ChoiceField(label="Poste à fusionner")
    target = forms.ChoiceField(label="Dans le poste")

    def __init__(self, *args, postes=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(p, p) for p in postes]
        self.fields["source"].choices = choices
        self.fields["target"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("source") and data.get("source") == data.get("target"):
            raise ValidationError("Choisissez deux postes différents.")
        return data


class CorrectEndForm(DsfrForm):
    contrat = forms.TypedChoiceField(label="Contrat", coerce=int)
    corrected_end = forms.DateField(
        label="Date de fin corrigée",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Laisser vide pour annuler une correction.",
    )
    reason = forms.CharField(label="Motif de la correction", max_length=200)

    def __init__(self, *args, contracts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contrat"].choices = [
            (c.pk, f"{c.numero} — {c.poste} — début {c.start:%d/%m/%Y}") for c in contracts
        ]
