"""Forms of SOS Ponts (DSFR)."""

from django import forms

from communs.core.forms import DsfrForm
from communs.core.uploads import UploadPolicy
from communs.sosponts.models import Outcome, Ouvrage, Sheet

JPEG = (b"\xff\xd8\xff",)
PNG = (b"\x89PNG\r\n\x1a\n",)
PHOTO = UploadPolicy(
    label="photo (JPEG ou PNG)",
    extensions=frozenset({".jpg", ".jpeg", ".png"}),
    max_bytes=8 * 2**20,
    signatures=JPEG + PNG,
)
MAX_PHOTOS = 5


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to MAX_PHOTOS photos, each checked (extension, size, leading bytes) before it is stored."""

    widget = MultiplePhotoInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(f"{MAX_PHOTOS} photos au plus.")
        cleaned = [super(PhotosField, self).clean(item, initial) for item in files]
        for upload in cleaned:
            PHOTO.validate(upload)
        return cleaned


class QuestionForm(DsfrForm):
    ouvrage = forms.ModelChoiceField(
        label="Quel ouvrage ?",
        queryset=Ouvrage.objects.none(),
        required=False,
        empty_label="Ouvrage non répertorié",
        help_text="Les ponts et murs de votre commune connus du programme national ponts.",
    )
    title = forms.CharField(label="Votre question en une phrase", max_length=200)
    body = forms.CharField(
        label="Ce que vous voyez",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
        help_text=(
            "Décrivez avec vos mots : où, quoi, est-ce que ça change (fissure qui s'agrandit, pierres qui tombent…)."
        ),
    )
    since = forms.CharField(
        label="Depuis quand ?", max_length=100, required=False, help_text="Par exemple : depuis la crue de janvier."
    )
    photos = PhotosField(
        label="Photos",
        required=False,
        help_text=f"Jusqu'à {MAX_PHOTOS} photos JPEG ou PNG de 8 Mo chacune au plus.",
    )

    def __init__(self, *args, communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ouvrage"].queryset = Ouvrage.objects.filter(commune__in=list(communes))


class AnswerForm(DsfrForm):
    quoi = forms.CharField(label="Quoi faire", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    quand = forms.CharField(label="Quand", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    comment = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    par_qui = forms.CharField(label="Par qui", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    sheets = forms.ModelMultipleChoiceField(
        label="Fiches ressources jointes",
        queryset=Sheet.objects.filter(current=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    publish = forms.BooleanField(
        label="Publier la question et la réponse, anonymisées, dans la base de connaissances", required=False
    )
    public_title = forms.CharField(
        label="Titre publié (sans nom de commune ni de personne)", max_length=200, required=False
    )
    public_body = forms.CharField(
        label="Question publiée (anonymisée)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
        required=False,
    )


class NoteForm(DsfrForm):
    text = forms.CharField(
        label="Note interne (jamais visible par la commune)", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class FollowUpForm(DsfrForm):
    outcome = forms.ChoiceField(label="Qu'avez-vous fait ?", choices=Outcome.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label="Précisions", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False
    )


class SheetForm(DsfrForm):
    slug = forms.SlugField(label="Identifiant de la fiche", max_length=80)
    title = forms.CharField(label="Titre", max_length=200)
    summary = forms.CharField(label="Résumé", max_length=300)
    body = forms.CharField(label="Contenu", widget=forms.Textarea(attrs={"rows": 12}), max_length=50_000)


class AdviceForm(DsfrForm):
    quoi = forms.CharField(label="Quoi", widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)
    quand = forms.CharField(label="Quand", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    comment = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    par_qui = forms.CharField(label="Par qui", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    validate = forms.BooleanField(label="Je valide ce conseil en tant qu'expert", required=False)
