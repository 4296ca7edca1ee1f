"""Forms of SIRANo (DSFR). They parse and validate input; services write."""

import json

from django import forms

from communs.core.forms import DsfrForm
from communs.core.uploads import PolicyFileField, UploadPolicy
from communs.sirano.engine.headers import FIELDS, check_mapping
from communs.sirano.engine.identifiers import PROGRAMMES
from communs.sirano.services import CSV_POLICY, EVIDENCE_POLICY, XLSX_POLICY


class _ImportPolicy(UploadPolicy):
    def validate(self, upload) -> None:
        (XLSX_POLICY if (upload.name or "").lower().endswith(".xlsx") else CSV_POLICY).validate(upload)


IMPORT_POLICY = _ImportPolicy(
    label="fichier CSV ou XLSX", extensions=frozenset({".csv", ".xlsx"}), max_bytes=XLSX_POLICY.max_bytes
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PublicFilterForm(DsfrForm):
    q = forms.CharField(label="Rechercher (identifiant, acronyme, titre, établissement)", required=False)
    programme = forms.ChoiceField(label="Programme", required=False)
    annee = forms.TypedChoiceField(label="Campagne", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, programmes=(), years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [("", "Tous")] + [(code, code) for code in programmes]
        self.fields["annee"].choices = [("", "Toutes")] + [(str(year), str(year)) for year in years]


class RequestForm(DsfrForm):
    """Declare the tranche's milestone (date + evidence) and request the tranche."""

    reached_on = forms.DateField(label="Date à laquelle le jalon a été atteint", widget=DateInput())

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in documents:
            self.fields[f"piece_{code}"] = PolicyFileField(EVIDENCE_POLICY, label=label, required=False)

    def uploads(self) -> dict:
        return {name.removeprefix("piece_"): value for name, value in self.cleaned_data.items()
                if name.startswith("piece_")}  # fmt: skip


class DecisionForm(DsfrForm):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[
            ("valider", "Valider la demande"),
            ("refuser", "Refuser la demande"),
            ("verser", "Enregistrer le versement"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Motif (obligatoire en cas de refus)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ResultsForm(DsfrForm):
    registry_id = forms.CharField(label="Identifiant de registre (NCT…, EU CT…)", required=False, max_length=60)
    results_posted_on = forms.DateField(
        label="Date de publication des résultats dans le registre", required=False, widget=DateInput()
    )


class ImportForm(DsfrForm):
    fichier = PolicyFileField(IMPORT_POLICY, label="Classeur historique (CSV ou XLSX, toutes les feuilles)")
    mapping = forms.CharField(
        label="Correspondance des colonnes (JSON, facultatif)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text='Laissez vide pour la correspondance proposée ; sinon {"En-tête": "champ"}. Champs : '
        + ", ".join(FIELDS),
    )
    appliquer = forms.BooleanField(label="Importer (sinon : vérification seule)", required=False)

    def clean_mapping(self):
        text = self.cleaned_data["mapping"].strip()
        if not text:
            return None
        try:
            mapping = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(f"JSON invalide, ligne {exc.lineno} : {exc.msg}.") from exc
        if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
            raise forms.ValidationError('Attendu : un objet {"En-tête": "champ"}.')
        problems = check_mapping(mapping)
        if problems:
            raise forms.ValidationError(problems)
        return mapping


PROGRAMME_CHOICES = [(code, code) for code in PROGRAMMES]
