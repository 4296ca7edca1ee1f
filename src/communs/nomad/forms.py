"""Nomad forms: declarations, booking (one desk or a weekly series), guests, spaces import."""

from datetime import date, timedelta

from django import forms

from communs.core.uploads import PolicyFileField, UploadPolicy
from communs.nomad.models import Declaration

SPACES_POLICY = UploadPolicy(
    label="fichier d'espaces CSV", extensions=frozenset({".csv"}), max_bytes=2_000_000, text=True
)
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR")


class DeclarationForm(forms.Form):
    kind = forms.ChoiceField(label="Nature", choices=Declaration.Kind.choices)
    start = forms.DateField(label="Premier jour", widget=forms.DateInput(attrs={"type": "date"}))
    weeks = forms.IntegerField(
        label="Répéter chaque semaine pendant (semaines)",
        min_value=1,
        max_value=52,
        initial=1,
        help_text="1 : ce jour seulement",
    )
    exdates = forms.CharField(
        label="Sauf les jours (AAAA-MM-JJ, séparés par des virgules)", required=False, max_length=400
    )

    def rrule(self) -> str:
        weeks = self.cleaned_data["weeks"]
        if weeks <= 1:
            return ""
        return f"FREQ=WEEKLY;BYDAY={WEEKDAY_CODES[self.cleaned_data['start'].weekday() % 5]};COUNT={weeks}"

    def clean_start(self):
        start = self.cleaned_data["start"]
        if start.weekday() >= 5:
            raise forms.ValidationError("Choisissez un jour ouvré (lundi à vendredi).")
        return start


class BookingForm(forms.Form):
    desk = forms.IntegerField(widget=forms.HiddenInput)
    day = forms.DateField()
    key = forms.CharField(max_length=80, required=False)
    weeks = forms.IntegerField(min_value=1, max_value=12, required=False)


class GuestForm(forms.Form):
    first_name = forms.CharField(label="Prénom", max_length=100)
    last_name = forms.CharField(label="Nom", max_length=100)
    email = forms.EmailField(label="Adresse électronique")
    company = forms.CharField(label="Structure", max_length=200)
    expires = forms.DateField(
        label="Invitation valable jusqu'au",
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=lambda: date.today() + timedelta(days=14),
    )


class SpacesImportForm(forms.Form):
    file = PolicyFileField(SPACES_POLICY, label="Fichier CSV des espaces")
