"""Forms of Recens'smart pages (the questionnaire pages themselves are built from the engine)."""

from django import forms

from communs.core.forms import DsfrForm
from communs.core.uploads import ZIP, PolicyFileField, UploadPolicy

QUESTIONNAIRE_POLICY = UploadPolicy(
    label="questionnaire (Lunatic JSON ou XLSForm)",
    extensions=frozenset({".json", ".xlsx"}),
    max_bytes=5 * 1024 * 1024,
)
UNITS_POLICY = UploadPolicy(
    label="fichier CSV d'unités", extensions=frozenset({".csv"}), max_bytes=20 * 1024 * 1024, text=True
)


class AccessCodeForm(DsfrForm):
    code = forms.CharField(
        label="Code d'accès",
        help_text="Il figure sur le courrier reçu, par exemple ABCD-EFGH-JKLM. Majuscules et tirets facultatifs.",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class QuestionnaireUploadForm(DsfrForm):
    file = PolicyFileField(
        QUESTIONNAIRE_POLICY,
        label="Fichier du questionnaire",
        help_text="Lunatic JSON (généré par Eno depuis Pogues) ou XLSForm (.xlsx). 5 Mo au maximum.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.name.lower().endswith(".xlsx") and not upload.read(4).startswith(ZIP):
            raise forms.ValidationError(f"« {upload.name} » n'est pas un classeur XLSX valide.")
        upload.seek(0)
        return upload


class CampaignForm(DsfrForm):
    label = forms.CharField(label="Libellé de la campagne", max_length=200)
    departement = forms.CharField(
        label="Département (code INSEE)",
        required=False,
        max_length=3,
        help_text="Laisser vide pour une campagne nationale. Exemple : 35.",
    )
    opens_on = forms.DateField(label="Ouverture", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label="Clôture", required=False, widget=forms.DateInput(attrs={"type": "date"}))


class UnitsUploadForm(DsfrForm):
    file = PolicyFileField(
        UNITS_POLICY,
        label="Fichier CSV des unités enquêtées",
        help_text="Colonnes : identifiant (obligatoire), libelle, courriel ; séparateur « ; » ou « , ».",
    )


class ResumeEmailForm(DsfrForm):
    email = forms.EmailField(
        label="Adresse électronique",
        help_text="Format attendu : nom@domaine.fr. L'adresse sert à cet envoi seulement ; elle n'est pas conservée.",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
