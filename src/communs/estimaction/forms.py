"""Forms of Estim'Action: territory search, dashboard options (GET) and dataset import."""

from django import forms
from django.utils import timezone

from communs.core.forms import DsfrForm
from communs.core.uploads import NETCDF, SQLITE, TIFF, PolicyFileField, UploadPolicy
from communs.estimaction.engine.parameters import AIR_PARAMETER_SETS, SOURCE_LABELS, THRESHOLD_LABELS
from communs.estimaction.models import DatasetKind

DATASET_POLICY = UploadPolicy(
    label="jeu de données (CSV, GeoPackage, GeoTIFF ou NetCDF)",
    extensions=frozenset({".csv", ".gpkg", ".tif", ".tiff", ".nc"}),
    max_bytes=500 * 1024 * 1024,
    signatures=(),
)
SIGNATURES = {".gpkg": SQLITE, ".tif": TIFF, ".tiff": TIFF, ".nc": NETCDF}
EXTENSIONS = {
    DatasetKind.POPULATION: {".csv", ".gpkg"},
    DatasetKind.NOISE: {".gpkg"},
    DatasetKind.PM25: {".tif", ".tiff", ".nc"},
    DatasetKind.NO2: {".tif", ".tiff", ".nc"},
}


class TerritorySearchForm(DsfrForm):
    q = forms.CharField(
        label="Rechercher un territoire",
        help_text="Commune, EPCI ou département : nom ou code, par exemple « Rennes », « 243500139 » ou « 35 ».",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class OptionsForm(DsfrForm):
    parametres = forms.ChoiceField(
        label="Paramètres des fonctions air",
        choices=[(key, value.label) for key, value in AIR_PARAMETER_SETS.items()],
        required=False,
    )
    seuils = forms.ChoiceField(label="Seuils de comparaison", choices=list(THRESHOLD_LABELS.items()), required=False)
    incidence = forms.FloatField(
        label="Incidence des cardiopathies ischémiques (pour 100 000 habitants et par an)",
        help_text="300 par défaut (Directive (UE) 2020/367) ; remplacez-la par l'incidence locale si elle est connue.",
        min_value=0,
        max_value=100_000,
        required=False,
    )
    monte_carlo = forms.BooleanField(
        label="Intervalle Monte-Carlo (2 000 tirages) pour l'air", required=False, initial=False
    )


class DatasetImportForm(DsfrForm):
    kind = forms.ChoiceField(label="Type de données", choices=DatasetKind.choices)
    file = PolicyFileField(DATASET_POLICY, label="Fichier")
    name = forms.CharField(label="Nom affiché", max_length=200)
    producer = forms.CharField(
        label="Producteur", max_length=200, help_text="Par exemple INSEE, Cerema, Atmo Bretagne."
    )
    vintage = forms.IntegerField(label="Millésime", min_value=1990, max_value=2100)
    coverage = forms.CharField(label="Couverture", max_length=200, help_text="Par exemple « Ille-et-Vilaine (35) ».")
    source_url = forms.URLField(label="Adresse de la source", required=False, assume_scheme="https")
    source_type = forms.ChoiceField(
        label="Type de source (cartes de bruit)",
        choices=[("", "Lu dans le fichier (champ TYPESOURCE, sinon nom du fichier, sinon route)")]
        + [(key, label) for key, label in SOURCE_LABELS.items()],
        required=False,
        help_text="Les cartes de bruit stratégiques sont publiées par type de source ; une carte de voie ferrée "
        "ne remplace pas une carte routière.",
    )

    def clean(self):
        cleaned = super().clean()
        upload, kind = cleaned.get("file"), cleaned.get("kind")
        if upload and kind:
            suffix = "." + upload.name.rsplit(".", 1)[-1].lower()
            if suffix not in EXTENSIONS[kind]:
                self.add_error(
                    "file",
                    f"« {upload.name} » : format {suffix} inattendu pour ce type "
                    f"({', '.join(sorted(EXTENSIONS[kind]))}).",
                )
            elif suffix in SIGNATURES:
                upload.seek(0)
                head = upload.read(16)
                upload.seek(0)
                if not head.startswith(SIGNATURES[suffix]):
                    self.add_error("file", f"« {upload.name} » : le contenu ne correspond pas à un fichier {suffix}.")
        if cleaned.get("vintage") and cleaned["vintage"] > timezone.now().year + 1:
            self.add_error("vintage", "Millésime dans le futur.")
        return cleaned
