"""Écosphères forms (DSFR)."""

from django import forms

from communs.core.forms import DsfrForm as DsfrBaseForm
from communs.ecospheres.engine import bouquets as rules
from communs.ecospheres.engine.kinds import KINDS
from communs.ecospheres.models import HarvestSource

LEVELS = [("region", "Région"), ("departement", "Département"), ("epci", "EPCI (SIREN)"), ("commune", "Commune")]
AVAILABILITY_CHOICES = [(key, label) for key, label in rules.LABELS.items()]


class TerritoryFields(DsfrBaseForm):
    territory_level = forms.ChoiceField(label="Niveau du territoire", choices=LEVELS)
    territory_code = forms.CharField(
        label="Code du territoire", max_length=9, help_text="Code INSEE (35, 53, 35238) ou SIREN d'EPCI (243500139)."
    )


class BouquetForm(TerritoryFields):
    title = forms.CharField(label="Titre", max_length=200)
    use_case = forms.CharField(label="Cas d'usage", max_length=200)
    description = forms.CharField(label="Description", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    themes = forms.CharField(label="Thèmes", required=False, help_text="Séparés par des virgules.")


class BouquetMetaForm(DsfrBaseForm):
    title = forms.CharField(label="Titre", max_length=200)
    use_case = forms.CharField(label="Cas d'usage", max_length=200)
    description = forms.CharField(label="Description", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    themes = forms.CharField(label="Thèmes", required=False, help_text="Séparés par des virgules.")


class CloneForm(TerritoryFields):
    pass


class GroupForm(DsfrBaseForm):
    name = forms.CharField(label="Nom du groupe", max_length=200)


class ItemForm(DsfrBaseForm):
    title = forms.CharField(label="Titre de la donnée", max_length=300, required=False)
    dataset = forms.CharField(
        label="Jeu de données du catalogue", required=False, help_text="Identifiant court (slug) du jeu de données."
    )
    url = forms.URLField(label="Lien (si la donnée n'est qu'un lien)", required=False, assume_scheme="https")
    purpose = forms.CharField(label="À quoi sert cette donnée", widget=forms.Textarea(attrs={"rows": 2}))
    availability = forms.ChoiceField(label="Disponibilité", choices=AVAILABILITY_CHOICES)
    group = forms.TypedChoiceField(label="Groupe", coerce=int, required=False, empty_value=None)

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", "Sans groupe")] + [(g.pk, g.name) for g in groups]


class ItemStatusForm(DsfrBaseForm):
    availability = forms.ChoiceField(label="Disponibilité", choices=AVAILABILITY_CHOICES)


class CommentForm(DsfrBaseForm):
    text = forms.CharField(label="Votre commentaire", widget=forms.Textarea(attrs={"rows": 3}), max_length=3000)


class SourceForm(DsfrBaseForm):
    name = forms.CharField(label="Nom", max_length=100)
    kind = forms.ChoiceField(label="Type", choices=list(KINDS.items()))
    url = forms.CharField(label="Adresse (URL, fichier ou dossier)", max_length=500)
    schedule = forms.ChoiceField(label="Calendrier", choices=HarvestSource.Schedule.choices)
    grace_days = forms.IntegerField(label="Délai de grâce avant archivage (jours)", min_value=0, initial=7)
