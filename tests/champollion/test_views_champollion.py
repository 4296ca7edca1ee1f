"""Pages: search, establishment (nominative only within scope, audited), exports, edits, targeting, method."""

import pytest
from django.urls import reverse

from communs.core.models import AuditEvent
from tests.champollion.dsn_fixtures import CARENCE_SIRET

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspector(make_user):
    return make_user("insp35", grants=[("champollion", "inspecteur", "departement", "35")])


@pytest.fixture
def other_inspector(make_user):
    return make_user("insp44", grants=[("champollion", "inspecteur", "departement", "44")])


def test_pages_need_a_champollion_role(client, make_user, imported):
    home = client.get(reverse("champollion:home"), {"q": "logistique"})  # public landing page, no search
    assert home.status_code == 200
    assert "Se connecter" in home.content.decode() and "LOGISTIQUE" not in home.content.decode()
    assert client.get(reverse("champollion:ciblage")).status_code == 302  # to login
    client.force_login(make_user("nobody"))
    home = client.get(reverse("champollion:home"), {"q": "logistique"})
    assert "réservée aux agents" in home.content.decode() and "LOGISTIQUE" not in home.content.decode()
    assert client.get(reverse("champollion:ciblage")).status_code == 403
    assert client.get(reverse("champollion:etablissement", args=[CARENCE_SIRET])).status_code == 403
    assert client.get(reverse("champollion:methode")).status_code == 200  # public


def test_search_by_siren_and_name(client, inspector, imported):
    client.force_login(inspector)
    page = client.get(reverse("champollion:home"), {"q": CARENCE_SIRET[:9]})
    assert CARENCE_SIRET in page.content.decode()
    page = client.get(reverse("champollion:home"), {"q": "logistique"})
    assert "LOGISTIQUE DE BRETAGNE" in page.content.decode()
    exact = client.get(reverse("champollion:home"), {"q": CARENCE_SIRET})
    assert exact.status_code == 302


def test_establishment_page_in_scope_shows_contracts_and_audits(client, inspector, imported):
    client.force_login(inspector)
    html = client.get(reverse("champollion:etablissement", args=[CARENCE_SIRET])).content.decode()
    assert "MARTIN" in html  # nominative
    assert "delai_carence" in html
    assert "15/05/2024" in html
    assert "L1244-3-1" in html
    assert AuditEvent.objects.filter(action="champollion.contrat.view", actor__username="insp35").count() == 1


def test_establishment_page_out_of_scope_has_no_nominative_data(client, other_inspector, imported):
    client.force_login(other_inspector)
    response = client.get(reverse("champollion:etablissement", args=[CARENCE_SIRET]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "MARTIN" not in html and "DURAND" not in html
    assert "ne sont visibles que des agents" in html
    assert not AuditEvent.objects.filter(action="champollion.contrat.view").exists()
    assert client.get(reverse("champollion:export", args=[CARENCE_SIRET, "csv"])).status_code == 403


def test_exports_csv_and_xlsx(client, inspector, imported):
    client.force_login(inspector)
    csv_response = client.get(reverse("champollion:export", args=[CARENCE_SIRET, "csv"]))
    text = csv_response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("numero;nom;prenoms")
    assert "CDD2024001;MARTIN;JULIE" in text
    xlsx = client.get(reverse("champollion:export", args=[CARENCE_SIRET, "xlsx"]))
    assert xlsx.content[:2] == b"PK"
    assert AuditEvent.objects.filter(action="champollion.contrat.export").count() == 2


def test_calendar_form_reruns_rules(client, inspector, imported, django_capture_on_commit_callbacks):
    client.force_login(inspector)
    url = reverse("champollion:calendrier", args=[CARENCE_SIRET])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"weekdays": "mon-fri", "closed_dates": "", "holidays_closed": ""})
    assert response.status_code == 302 and "/taches/" in response["Location"]
    html = client.get(reverse("champollion:etablissement", args=[CARENCE_SIRET])).content.decode()
    assert "10/05/2024" in html  # first legal day of the mission with holidays open
    bad = client.post(url, {"weekdays": "lundi", "closed_dates": ""}, follow=True)
    assert "lundi" in bad.content.decode()


def test_targeting_list_shows_scoped_scores(client, inspector, imported):
    client.force_login(inspector)
    html = client.get(reverse("champollion:ciblage")).content.decode()
    assert CARENCE_SIRET in html
    assert "44300002100016" not in html  # Nantes (44) is outside département 35
    # Weights are named as in the score decomposition, never by their code identifiers.
    assert "precarity_rate" not in html and "findings_rate" not in html
    assert "Pondérations" in html


def test_workforce_chart_has_month_labels_axes_and_table(client, inspector, imported):
    client.force_login(inspector)
    html = client.get(reverse("champollion:etablissement", args=[CARENCE_SIRET])).content.decode()
    assert 'id="effectifs"' in html and "communs-chart__axis--x" in html and "communs-chart__axis--y" in html
    assert ">Mois (fin de mois)</text>" in html and ">Contrats en cours</text>" in html
    assert "/2024</text>" in html  # month tick labels
    assert "<caption>Contrats en cours en fin de mois</caption>" in html


def test_method_page_lists_every_rule_and_weight(client):
    html = client.get(reverse("champollion:methode")).content.decode()
    for text in ("delai_carence", "emploi_permanent", "L1251-36-1", "Constats par contrat", "ciblage-1.0"):
        assert text in html
