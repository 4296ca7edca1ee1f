"""Public search page, autocomplete fragment, and the reusable CommuneField."""

import pytest
from django import forms

from communs.territoires.forms import CommuneField
from communs.territoires.models import Commune

pytestmark = pytest.mark.usefixtures("territoires_reference")


def test_search_page_without_javascript(client):
    response = client.get("/territoires/", {"q": "st etienne"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Référentiel territorial</h1>" in html
    assert "<caption>Communes correspondant à « st etienne »" in html
    assert "Saint-Étienne Métropole (244200770)" in html  # parents shown
    assert 'list="id_q-suggestions"' in html
    assert '<label for="id_q"' in html


def test_search_page_empty(client):
    response = client.get("/territoires/")
    assert response.status_code == 200
    assert "<table" not in response.content.decode()


def test_search_page_no_result(client):
    assert "Aucune commune ne correspond" in client.get("/territoires/", {"q": "zzzzzz"}).content.decode()


def test_suggestions_fragment(client):
    response = client.get("/territoires/suggestions/", {"field": "commune", "commune": "saint etien"})
    assert response.status_code == 200
    assert response.content.decode().startswith('<option value="Saint-Étienne (42218)">')
    assert client.get("/territoires/suggestions/", {"q": "42000"}).content.decode().count("<option") == 1


class AddressForm(forms.Form):
    commune = CommuneField()


@pytest.mark.parametrize("typed", ["42218", "42000", "Saint-Étienne (42218)", "saint-etienne", "St Étienne"])
def test_commune_field_resolves(typed):
    form = AddressForm({"commune": typed})
    assert form.is_valid(), form.errors
    assert isinstance(form.cleaned_data["commune"], Commune)
    assert form.cleaned_data["commune"].code == "42218"


def test_commune_field_unknown_names_what_was_typed():
    form = AddressForm({"commune": "Zzyzx"})
    assert not form.is_valid()
    assert form.errors["commune"] == [
        "« Zzyzx » ne correspond à aucune commune. Saisissez un nom, un code INSEE ou un code postal."
    ]


def test_commune_field_ambiguous():
    form = AddressForm({"commune": "Saint-Denis"})
    assert not form.is_valid()
    assert "désigne plusieurs communes" in form.errors["commune"][0]
    assert "Saint-Denis (93066)" in form.errors["commune"][0]


def test_commune_field_widget_renders_datalist():
    html = str(AddressForm()["commune"])
    assert 'list="id_commune-suggestions"' in html
    assert '<datalist id="id_commune-suggestions"></datalist>' in html
    assert 'hx-get="/territoires/suggestions/?field=commune"' in html


def test_commune_field_initial_commune_shows_label():
    form = AddressForm(initial={"commune": Commune.objects.get(code="35238")})
    assert 'value="Rennes (35238)"' in str(form["commune"])
