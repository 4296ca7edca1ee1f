"""CoSIA forms (DSFR): territory choice, export request, use case submission and moderation."""

from django import forms
from django.core.exceptions import ValidationError

from communs.core.forms import DsfrForm
from communs.core.uploads import PolicyFileField, UploadPolicy
from communs.cosia import selectors
from communs.cosia.models import ExportFormat, UseCaseTheme
from communs.territoires import selectors as territoires
from communs.territoires.forms import CommuneField, CommuneInput

IMAGE_POLICY = UploadPolicy(
    label="image (PNG ou JPEG)",
    extensions=frozenset({".png", ".jpg", ".jpeg"}),
    max_bytes=3 * 1024 * 1024,
    signatures=(b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"),
)


def resolve_territory_code(text: str) -> str:
    """A territory typed as a CoSIA zone code or name, an INSEE code, « Nom (code) » or a commune name."""
    text = (text or "").strip()
    if not text:
        raise ValidationError("Saisissez un territoire.")
    zone = selectors.get_zone(text) or selectors.list_zones().filter(name__iexact=text).first()
    if zone is not None:
        return zone.code
    if text.isdigit() and len(text) == 9:
        return text  # EPCI SIREN
    if len(text) in (2, 3) and territoires.get_departement(text.upper()):
        return text.upper()
    commune = territoires.resolve_commune(text)
    if commune is None:
        raise ValidationError(f"« {text} » ne correspond à aucun territoire connu.")
    return commune.code


class TerritoryForm(DsfrForm):
    territoire = forms.CharField(
        label="Territoire",
        help_text="Commune (nom ou code INSEE), code de département, SIREN d'EPCI, ou « demo ».",
        widget=CommuneInput(),
        max_length=120,
    )
    millesime = forms.TypedChoiceField(label="Millésime", coerce=int, required=False)

    def __init__(self, *args, vintages: list[int] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["millesime"].choices = [(v, str(v)) for v in vintages]

    def clean_territoire(self):
        return resolve_territory_code(self.cleaned_data["territoire"])


class ExportForm(DsfrForm):
    territoire = forms.CharField(widget=forms.HiddenInput)
    millesime = forms.IntegerField(widget=forms.HiddenInput)
    format = forms.ChoiceField(
        label="Format", choices=ExportFormat.choices, widget=forms.RadioSelect, initial=ExportFormat.GEOTIFF
    )


class UseCaseForm(DsfrForm):
    title = forms.CharField(label="Titre", max_length=200)
    commune = CommuneField(
        label="Commune concernée", required=False, help_text="Facultatif si le cas d'usage porte sur un département."
    )
    departement = forms.ChoiceField(label="Département", required=False)
    territory_label = forms.CharField(label="Territoire (libellé affiché)", max_length=200)
    theme = forms.ChoiceField(label="Thème", choices=UseCaseTheme.choices)
    description = forms.CharField(label="Description", widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)
    links = forms.CharField(
        label="Liens",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Une adresse https:// par ligne.",
        max_length=2000,
    )
    data_used = forms.CharField(
        label="Données utilisées", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    image = PolicyFileField(IMAGE_POLICY, label="Image", required=False, help_text="PNG ou JPEG, 3 Mo au plus.")
    image_alt = forms.CharField(label="Texte alternatif de l'image", required=False, max_length=250)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = [("", "—")] + [
            (d.code, f"{d.code} — {d.nom}") for d in territoires.list_departements()
        ]

    def clean_links(self):
        links = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        bad = [link for link in links if not link.startswith("https://")]
        if bad:
            raise ValidationError(f"Adresse refusée (https:// attendu) : {bad[0]}")
        return "\n".join(links)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("commune") and not cleaned.get("departement"):
            raise ValidationError("Indiquez une commune ou un département.")
        if cleaned.get("image") and not cleaned.get("image_alt"):
            self.add_error("image_alt", "Décrivez l'image pour les personnes qui ne la voient pas.")
        return cleaned


class ModerationForm(DsfrForm):
    decision = forms.ChoiceField(
        label="Décision", choices=[("publish", "Publier"), ("reject", "Refuser")], widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Motif (obligatoire en cas de refus)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )


class GalleryFilterForm(DsfrForm):
    theme = forms.ChoiceField(label="Thème", required=False, choices=[("", "Tous")] + UseCaseTheme.choices)
    departement = forms.CharField(label="Département (code)", required=False, max_length=3)
