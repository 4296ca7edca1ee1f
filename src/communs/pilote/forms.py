"""Forms of PILOTE (DSFR). They parse and validate input; services write."""

from django import forms

from communs.core.forms import DsfrForm
from communs.core.uploads import ZIP, PolicyFileField, UploadPolicy
from communs.pilote import selectors
from communs.pilote.models import CommentKind, Indicator, MeteoKind, Metric

CSV_POLICY = UploadPolicy(label="fichier CSV", extensions=frozenset({".csv"}), max_bytes=20 * 1024 * 1024, text=True)
XLSX_POLICY = UploadPolicy(
    label="classeur XLSX", extensions=frozenset({".xlsx"}), max_bytes=20 * 1024 * 1024, signatures=ZIP
)


class ImportPolicy(UploadPolicy):
    """CSV (text) or XLSX (zip): the policy of the file's extension applies."""

    def validate(self, upload) -> None:
        name = (upload.name or "").lower()
        (XLSX_POLICY if name.endswith(".xlsx") else CSV_POLICY).validate(upload)


IMPORT_POLICY = ImportPolicy(
    label="fichier CSV ou XLSX", extensions=frozenset({".csv", ".xlsx"}), max_bytes=20 * 1024 * 1024
)


class DashboardFilterForm(DsfrForm):
    q = forms.CharField(label="Rechercher un chantier ou un indicateur", required=False)
    ministere = forms.ChoiceField(label="Ministère", required=False)
    axe = forms.ChoiceField(label="Axe", required=False)
    statut = forms.ChoiceField(label="Statut", required=False)
    niveau = forms.ChoiceField(
        label="Alertes du niveau",
        required=False,
        choices=[("", "Du territoire choisi"), ("NAT", "National"), ("REG", "Régional"), ("DEPT", "Départemental")],
    )
    territoire = forms.ChoiceField(label="Territoire", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ministere"].choices = [("", "Tous")] + [(m.code, m.nom) for m in selectors.ministeres()]
        self.fields["axe"].choices = [("", "Tous")] + [(a, a) for a in selectors.axes()]
        self.fields["statut"].choices = [("", "Tous"), *selectors.statut_choices()]
        self.fields["territoire"].choices = selectors.territory_choices()


def _indicator_choices():
    return [
        (i.code, f"{i.chantier.nom} — {i.nom}")
        for i in Indicator.objects.select_related("chantier").order_by("chantier__nom", "nom")
    ]


class ValueForm(DsfrForm):
    indicateur = forms.ChoiceField(label="Indicateur")
    territoire = forms.ChoiceField(label="Territoire")
    date = forms.DateField(label="Date de la valeur", widget=forms.DateInput(attrs={"type": "date"}))
    metrique = forms.ChoiceField(label="Valeur saisie", choices=Metric.choices)
    valeur = forms.DecimalField(
        label="Valeur", max_digits=20, decimal_places=6, required=False, help_text="Vide : valeur inconnue."
    )
    motif = forms.CharField(label="Motif de la modification", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicateur"].choices = _indicator_choices()
        self.fields["territoire"].choices = selectors.territory_choices()

    def clean_indicateur(self):
        return Indicator.objects.select_related("chantier__ministere").get(code=self.cleaned_data["indicateur"])

    def clean(self):
        from communs.pilote.services import value_problems

        data = super().clean()
        indicator, when = data.get("indicateur"), data.get("date")
        if indicator is not None and when is not None and "valeur" not in self.errors:
            value = data.get("valeur")
            fields = {"date": "date", "value": "valeur"}
            for field, message in value_problems(
                indicator, data.get("metrique", "va"), when, None if value is None else float(value)
            ):
                self.add_error(fields[field], message)
        return data


class ProposalForm(ValueForm):
    motif = forms.CharField(label="Motif et source de la correction", widget=forms.Textarea(attrs={"rows": 3}))
    valeur = forms.DecimalField(label="Valeur proposée", max_digits=20, decimal_places=6)


class ImportForm(DsfrForm):
    fichier = PolicyFileField(
        IMPORT_POLICY,
        label="Fichier CSV ou XLSX",
        help_text=(
            "Colonnes : indicator, territory (NAT-FR, REG-53, DEPT-35), date (AAAA-MM-JJ), metric (vi, va, vc), value."
        ),
    )
    mode = forms.ChoiceField(
        label="En cas d'erreur",
        choices=[("tout", "N'importer aucune ligne (tout ou rien)"), ("partiel", "Importer les lignes valides")],
        initial="tout",
        widget=forms.RadioSelect,
    )


class CommentForm(DsfrForm):
    territoire = forms.ChoiceField(label="Territoire")
    kind = forms.ChoiceField(label="Type de commentaire", choices=CommentKind.choices)
    text = forms.CharField(label="Commentaire", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territoire"].choices = selectors.territory_choices()


class MeteoForm(DsfrForm):
    territoire = forms.ChoiceField(label="Territoire")
    meteo = forms.ChoiceField(label="Météo", choices=MeteoKind.choices)
    synthese = forms.CharField(
        label="Synthèse des résultats", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territoire"].choices = selectors.territory_choices()


class DecisionForm(DsfrForm):
    decision = forms.ChoiceField(label="Décision", choices=[("accepter", "Accepter"), ("refuser", "Refuser")])
    commentaire = forms.CharField(label="Réponse", required=False, widget=forms.Textarea(attrs={"rows": 2}))
