"""Forms of the platform pages, rendered with the DSFR."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from dsfr.forms import DsfrBaseForm


class DsfrForm(DsfrBaseForm):
    """Base of every form in the suite.

    DSFR now marks optional fields rather than required ones (settings.DSFR_MARK_OPTIONAL_FIELDS
    is True). django-dsfr 3.6 warns on every render while that setting is transitional; we
    give the form context the value directly so the warning does not flood the logs.
    """

    def get_context(self):
        context = forms.Form.get_context(self)
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context


class LoginForm(AuthenticationForm, DsfrForm):
    username = forms.CharField(
        label="Identifiant",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "autofocus": True}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": "Identifiant ou mot de passe incorrect. Les deux champs tiennent compte des majuscules.",
        "inactive": "Ce compte est désactivé.",
    }


class TokenCreateForm(DsfrForm):
    name = forms.CharField(
        label="Nom du jeton",
        max_length=100,
        help_text="Pour vous souvenir de son usage, par exemple « script de suivi hebdomadaire ».",
    )
    expires_in_days = forms.TypedChoiceField(
        label="Durée de validité",
        coerce=int,
        choices=[(30, "30 jours"), (90, "90 jours"), (365, "1 an"), (0, "Sans expiration")],
        initial=90,
    )
