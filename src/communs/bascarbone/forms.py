"""Forms of État bas carbone (DSFR)."""

from django import forms

from communs.bascarbone.engine.beges import POSTS
from communs.bascarbone.engine.gwp import GWP_SETS
from communs.bascarbone.engine.imports import FORMATS
from communs.bascarbone.engine.uncertainty import PedigreeError, parse_scores, pedigree_relative_half_width
from communs.bascarbone.models import Action, FactorBase
from communs.core.forms import DsfrForm
from communs.core.uploads import ZIP, PolicyFileField, UploadPolicy

POST_CHOICES = [
    (post.code, f"{post.code} – {post.label}{' (obligatoire)' if post.mandatory else ''}") for post in POSTS
]

ACTIVITY_CSV = UploadPolicy(
    label="fichier CSV d'activités", extensions=frozenset({".csv", ".txt"}), max_bytes=20 * 2**20, text=True
)
ACTIVITY_XLSX = UploadPolicy(
    label="classeur XLSX d'activités", extensions=frozenset({".xlsx"}), max_bytes=20 * 2**20, signatures=ZIP
)


class ActivityFilePolicy(UploadPolicy):
    """CSV (text) or XLSX (zip): the policy of the file's own extension applies."""

    def validate(self, upload) -> None:
        policy = ACTIVITY_XLSX if (upload.name or "").lower().endswith(".xlsx") else ACTIVITY_CSV
        policy.validate(upload)


ACTIVITY_FILE = ActivityFilePolicy(
    label="fichier d'activités", extensions=frozenset({".csv", ".txt", ".xlsx"}), max_bytes=20 * 2**20
)


class ActivityForm(DsfrForm):
    post = forms.ChoiceField(label="Poste BEGES", choices=POST_CHOICES)
    factor_id = forms.ChoiceField(label="Facteur d'émission", help_text="Facteur de la base figée pour ce bilan.")
    quantity = forms.FloatField(
        localize=True, label="Quantité", min_value=0, help_text="Nombre positif, par exemple 1000 ou 1000,5."
    )
    unit = forms.CharField(
        label="Unité",
        max_length=30,
        help_text="Compatible avec celle du facteur : L, m3, kWh, kWh PCS, MWh, km, p.km, t, kg, €, k€, repas, unité…",
    )
    activity_uncertainty_pct = forms.FloatField(
        localize=True,
        label="Incertitude sur la donnée d'activité (± %, à 95 %)",
        min_value=0,
        max_value=500,
        required=False,
    )
    quality_scores = forms.CharField(
        label="Scores de qualité (matrice pedigree)",
        max_length=20,
        required=False,
        help_text=(
            "À défaut de pourcentage : cinq notes de 1 (meilleure) à 5 — fiabilité, complétude, représentativité "
            "temporelle, géographique, technologique — par exemple « 1,2,3,1,2 »."
        ),
    )
    amortization_years = forms.FloatField(
        localize=True,
        label="Durée d'amortissement (années)",
        min_value=0.1,
        required=False,
        help_text="Pour les immobilisations : les émissions sont réparties sur cette durée.",
    )
    label = forms.CharField(label="Libellé", max_length=255, required=False)

    def clean_quality_scores(self):
        text = self.cleaned_data["quality_scores"].strip()
        if not text:
            return None
        try:
            return parse_scores(text)
        except PedigreeError as exc:
            raise forms.ValidationError(str(exc)) from None

    def activity_uncertainty(self) -> float:
        """Relative 95 % half-width: the percentage if given, else the one implied by the pedigree scores."""
        pct = self.cleaned_data.get("activity_uncertainty_pct")
        if pct is not None:
            return pct / 100
        scores = self.cleaned_data.get("quality_scores")
        return pedigree_relative_half_width(scores) if scores else 0.0

    def __init__(self, *args, factors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["factor_id"].choices = [
            (f.factor_id, f"{f.name} — {f.total:g} {f.unit}" if not f.gas else f"{f.name} — PRG du bilan, par kg")
            for f in factors
        ]


class InventorySettingsForm(DsfrForm):
    factor_base = forms.ModelChoiceField(
        label="Base de facteurs figée pour ce bilan",
        queryset=FactorBase.objects.order_by("-created_at"),
        empty_label=None,
    )
    gwp_set = forms.ChoiceField(
        label="Jeu de PRG", choices=[(name, name) for name in GWP_SETS], help_text="AR5 par défaut (méthode BEGES v5)."
    )


class ImportForm(DsfrForm):
    file = PolicyFileField(ACTIVITY_FILE, label="Fichier d'activités")
    format = forms.ChoiceField(
        label="Format",
        choices=[("auto", "Détection automatique"), *FORMATS.items()],
        initial="auto",
        help_text="Reconnu d'après l'en-tête en détection automatique.",
    )


class ActionForm(DsfrForm):
    title = forms.CharField(label="Intitulé de l'action", max_length=200)
    post = forms.ChoiceField(label="Poste concerné", choices=POST_CHOICES)
    reduction_tco2e = forms.FloatField(localize=True, label="Réduction estimée (tCO2e par an)", min_value=0)
    due_year = forms.IntegerField(label="Échéance (année)", min_value=2000, max_value=2100)
    status = forms.ChoiceField(label="État", choices=Action.Status.choices, initial=Action.Status.PLANNED)


class TargetForm(DsfrForm):
    reference_year = forms.IntegerField(label="Année de référence", min_value=2000, max_value=2100)
    target_year = forms.IntegerField(label="Année cible", min_value=2000, max_value=2100)
    reduction_pct = forms.FloatField(localize=True, label="Réduction visée (%)", min_value=0, max_value=100)

    def clean(self):
        data = super().clean()
        if data.get("reference_year") and data.get("target_year") and data["target_year"] <= data["reference_year"]:
            self.add_error("target_year", "L'année cible doit suivre l'année de référence.")
        return data
