"""Estim'Action pages: search, dashboard, options, exports, report, compute, data management, method."""

import io
import re

import pytest
from django.urls import reverse

from communs.core.roles import grant_role
from communs.estimaction.models import Dataset, TerritoryResult
from tests.estimaction import files

DASHBOARD = "/estimaction/commune/35238/"


@pytest.mark.usefixtures("territoires_reference")
def test_home_searches_territories(client):
    response = client.get(reverse("estimaction:home"), {"q": "rennes"})
    assert response.status_code == 200
    assert DASHBOARD.encode() in response.content
    assert b"/estimaction/epci/243500139/" in response.content  # Rennes Métropole


def test_dashboard_shows_bands_impacts_sources_and_the_data_date(client, computed_rennes):
    response = client.get(DASHBOARD)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Données à jour au" in html
    assert 'role="img"' in html and "<table>" in html
    assert "Producteur test" in html and "2021" in html
    # 50 people in Lden 65-70 out of 165 → 30,3 %
    assert "30,3\u00a0%" in html
    # Bars are drawn with machine numbers (the bug was width="380,0"), with axes and the table.
    widths = re.findall(r'<rect class="communs-chart__mark"[^>]* width="([^"]+)"', html)
    assert widths and all("," not in w and float(w) > 0 for w in widths)
    assert "communs-chart__axis--x" in html and ">Habitants</text>" in html
    assert "PM2,5" in html and "ne s'additionnent jamais" in html


def test_threshold_switch(client, computed_rennes):
    who = client.get(DASHBOARD).content.decode()
    regulatory = client.get(DASHBOARD, {"seuils": "regulatory"}).content.decode()
    assert "53 dB(A)" in who and "68 dB(A)" not in who
    assert "68 dB(A)" in regulatory
    # 68 dB: 50 people in 65-70 × (70 − 68)/5 = 20 people above the regulatory value
    assert ">20<" in regulatory


def test_exports(client, computed_rennes):
    csv_response = client.get("/estimaction/commune/35238/export.csv")
    text = csv_response.content.decode()
    assert text.splitlines()[0] == "rubrique,indicateur,libellé,valeur,unité,source"
    # The indicator column names the source type: the test map is a road map (TYPESOURCE R).
    assert "exposition bruit,road lden,65-70 dB,50.0" in text
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(client.get("/estimaction/commune/35238/export.xlsx").content))
    assert workbook.active["A1"].value == "rubrique"


def test_printable_report_is_stamped_with_data_versions(client, computed_rennes):
    html = client.get("/estimaction/commune/35238/rapport/").content.decode()
    assert "Versions des données" in html
    assert "millésime 2021" in html and "spf2021-v1" in html


def test_not_computed_territory_offers_compute_within_scope(client, computed_rennes, make_user):
    url = "/estimaction/commune/35281/"
    assert "Connectez-vous" in client.get(url).content.decode()
    outsider = make_user("agent29")
    grant_role(outsider, "estimaction", "agent", "departement", "29")
    client.force_login(outsider)
    assert "hors de votre périmètre" in client.get(url).content.decode()
    assert client.post(url + "calcul/").status_code == 403
    agent = make_user("agent35")
    grant_role(agent, "estimaction", "agent", "departement", "35")
    client.force_login(agent)
    assert "Calculer maintenant" in client.get(url).content.decode()
    assert client.post(url + "calcul/").status_code == 302
    assert TerritoryResult.objects.get(code="35281").total_population == pytest.approx(15)


def test_unknown_territory_is_404(client, territoires_reference):
    assert client.get("/estimaction/commune/99999/").status_code == 404
    assert client.get("/estimaction/planete/1/").status_code == 404


def test_data_page_public_list_and_manager_import_job(
    client, computed_rennes, make_user, tmp_path, django_capture_on_commit_callbacks
):
    page = client.get(reverse("estimaction:data")).content.decode()
    assert "Population carroyée" in page and "Importer" not in page
    assert client.post(reverse("estimaction:data")).status_code == 403
    manager = make_user("manager")
    grant_role(manager, "estimaction", "gestionnaire", "national")
    client.force_login(manager)
    newer = files.write_grid_csv(tmp_path / "grid2022.csv", [(files.CELLS[0][0], "35238", 200), *files.CELLS[1:]])
    with newer.open("rb") as handle, django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("estimaction:data"),
            {
                "kind": "population",
                "file": handle,
                "name": "Filosofi 2022",
                "producer": "INSEE",
                "vintage": 2022,
                "coverage": "35",
            },
        )
    assert response.status_code == 302
    assert Dataset.objects.get(name="Filosofi 2022").status == "en-vigueur"
    page = client.get(response["Location"]).content.decode()
    # What changed: Rennes gained 100 people
    assert "Territoires dont l&#x27;exposition a changé" in page or "exposition a changé" in page
    assert "Rennes" in page
    dashboard_html = client.get(DASHBOARD).content.decode()
    assert "Ce qui a changé" in dashboard_html and "2021 → 2022" in dashboard_html


def test_upload_with_wrong_format_is_refused(client, computed_rennes, make_user, tmp_path):
    manager = make_user("manager")
    grant_role(manager, "estimaction", "gestionnaire", "national")
    client.force_login(manager)
    fake = tmp_path / "cbs.gpkg"
    fake.write_text("pas un geopackage")
    with fake.open("rb") as handle:
        response = client.post(
            reverse("estimaction:data"),
            {"kind": "bruit", "file": handle, "name": "x", "producer": "x", "vintage": 2022, "coverage": "x"},
        )
    assert response.status_code == 200
    assert "ne correspond pas" in response.content.decode()


def test_method_page_lists_every_formula(client):
    html = client.get(reverse("estimaction:method")).content.decode()
    for expected in ("78,927", "19,4312", "PAF", "(RR − 1)/RR", "Chen &amp; Hoek 2020", "0,02", "0,07"):
        assert expected in html, expected


def test_dashboard_and_export_show_rail_with_the_rail_curve(client, computed_rennes, tmp_path):
    files.add_rail_map_and_recompute_rennes(tmp_path)
    html = client.get("/estimaction/commune/35238/").content.decode()
    assert "Voie ferrée" in html and "SNCF Réseau, millésime 2022" in html
    assert "fonction donnée pour la route seulement" in html
    text = client.get("/estimaction/commune/35238/export.csv").content.decode()
    # Rail, Lden 65-70 (midpoint 67.5) for the 100 people of cell 1:
    # %HA = 38.1596 − 2.05538·67.5 (138.73815) + 0.0285·4556.25 (129.853125) = 29.274575 % → 29.275 HA
    # Ln 60-65 (62.5) for the 50 people of cell 2:
    # %HSD = 67.5406 − 3.1852·62.5 (199.075) + 0.0391·3906.25 (152.734375) = 21.199975 % → 10.600 HSD
    # DALY = 29.274575 × 0.02 + 10.5999875 × 0.07 = 0.5854915 + 0.7419991 = 1.327
    assert "impacts bruit,rail,personnes fortement gênées,29.275" in text
    assert "impacts bruit,rail,personnes fortement perturbées dans leur sommeil,10.6," in text
    assert "impacts bruit,rail,années de vie en bonne santé perdues (DALY),1.327" in text
    assert "impacts bruit,rail,cas de cardiopathie" not in text  # IHD: road only
    assert "exposition bruit,rail lden,65-70 dB,100.0,habitants,SNCF Réseau 2022" in text


def test_manager_imports_a_rail_map_declared_in_the_form(
    client, computed_rennes, make_user, tmp_path, django_capture_on_commit_callbacks
):
    manager = make_user("manager")
    grant_role(manager, "estimaction", "gestionnaire", "national")
    client.force_login(manager)
    # No TYPESOURCE in the file and a neutral name: the form's declaration makes it a rail map.
    path = files.write_rail_file(tmp_path / "cbs_2022.gpkg", typesource="")
    with path.open("rb") as handle, django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("estimaction:data"),
            {
                "kind": "bruit",
                "source_type": "rail",
                "file": handle,
                "name": "CBS fer 2022",
                "producer": "SNCF Réseau",
                "vintage": 2022,
                "coverage": "35",
            },
        )
    assert response.status_code == 302
    rail = Dataset.objects.get(name="CBS fer 2022")
    assert rail.source_types == ["rail"] and rail.status == "en-vigueur"
    # The road map stays in force beside it.
    assert Dataset.objects.get(name="cbs.gpkg").status == "en-vigueur"
    page = client.get(reverse("estimaction:data")).content.decode()
    assert "Cartes de bruit stratégiques (CNIG) — voie ferrée" in page
    assert set(TerritoryResult.objects.get(code="35238").exposure["sources"]) == {"road", "rail"}


def test_method_page_lists_thresholds_per_source_and_why_industry_has_no_impact(client):
    html = client.get(reverse("estimaction:method")).content.decode()
    # Rail regulatory values (arrêté du 4 avril 2006, art. 7: conventional lines 73 / 65) and the rail curve.
    for expected in ("voies ferrées conventionnelles", "38,1596", "2,05538", "bruit industriel"):
        assert expected in html, expected
