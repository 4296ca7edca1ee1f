"""Pages of État bas carbone: dashboard, entry, import and its report, exports, scopes (HTML)."""

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communs.bascarbone import services
from communs.bascarbone.engine.inventory import ActivityLine
from communs.bascarbone.models import Activity, ActivityImport
from tests.bascarbone.factories import CorrespondentFactory, build_tree
from tests.bascarbone.paths import DATA

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return build_tree()


@pytest.fixture
def spe(make_user, tree):
    user = make_user("spe-35")
    CorrespondentFactory(user=user, entity=tree["prefecture-35"])
    return user


@pytest.fixture
def filled(spe, tree):
    inventory = services.get_or_create_inventory(spe, tree["prefecture-35"], 2025)
    services.add_activity(spe, inventory, ActivityLine("1.2", "gazole-routier", 1000, "L"))
    services.add_activity(spe, inventory, ActivityLine("2.1", "electricite-france", 10000, "kWh"))
    services.add_activity(spe, inventory, ActivityLine("1.4", "r410a", 2, "kg"))
    return inventory


def test_pages_require_login(client):
    response = client.get(reverse("bascarbone:home"))
    assert response.status_code == 302


def test_home_lists_the_correspondent_entity(client, spe):
    client.force_login(spe)
    response = client.get(reverse("bascarbone:home"))
    assert response.status_code == 200
    assert "Préfecture d&#x27;Ille-et-Vilaine" in response.content.decode()


def test_dashboard_shows_totals_chart_and_table(client, spe, filled):
    client.force_login(spe)
    response = client.get(reverse("bascarbone:dashboard", args=["prefecture-35", 2025]))
    html = response.content.decode()
    assert response.status_code == 200
    # 3160 + 520 + 3848 = 7528 kg = 7.528 t, ± 1.2 t: two significant digits of the uncertainty
    # → one decimal, "7,5 tCO2e" (decimal comma, no-break space before the unit).
    assert 'id="total">7,5\u00a0tCO2e<' in html
    assert "± 1,2\u00a0tCO2e (± 15,5\u00a0%)" in html
    # The chart: bars with machine numbers, both axes, the table.
    widths = re.findall(r'<rect class="communs-chart__mark"[^>]* width="([^"]+)"', html)
    assert len(widths) == 3 and all(float(w) > 0 for w in widths)
    assert ">Émissions (tCO2e)</text>" in html and "<caption>Émissions par poste (tCO2e)</caption>" in html
    assert 'role="img"' in html and "<svg" in html
    assert "Bilan réglementaire par poste" in html
    assert "jeu de PRG AR5" in html


def test_dashboard_monte_carlo_on_request(client, spe, filled):
    client.force_login(spe)
    response = client.get(reverse("bascarbone:dashboard", args=["prefecture-35", 2025]), {"monte_carlo": "1"})
    assert "Monte Carlo (10\u202f000 tirages)" in response.content.decode()


def test_dashboard_outside_scope_is_403(client, spe, tree):
    client.force_login(spe)
    assert client.get(reverse("bascarbone:dashboard", args=["region-53", 2025])).status_code == 403
    assert client.get(reverse("bascarbone:entry", args=["prefecture-29", 2025])).status_code == 403


def test_cgdd_reads_the_state_but_cannot_enter(client, make_user, filled):
    cgdd = make_user("cgdd", grants=[("bascarbone", "cgdd", "national", "")])
    client.force_login(cgdd)
    response = client.get(reverse("bascarbone:dashboard", args=["etat", 2025]))
    assert response.status_code == 200
    assert 'id="total">7,5\u00a0tCO2e<' in response.content.decode()
    assert client.get(reverse("bascarbone:entry", args=["etat", 2025])).status_code == 403
    post = client.post(reverse("bascarbone:actions", args=["etat"]), {"add_action": "1"})
    assert post.status_code == 403


def test_entry_form_creates_a_line(client, spe, tree):
    client.force_login(spe)
    url = reverse("bascarbone:entry", args=["ddtm-35", 2025])
    assert client.get(url, {"poste": "1.2"}).status_code == 200
    response = client.post(
        f"{url}?poste=1.2",
        {"post": "1.2", "factor_id": "gazole-routier", "quantity": "1000,5", "unit": "L", "label": "Flotte"},
    )
    assert response.status_code == 302
    line = Activity.objects.get()
    assert (line.quantity, line.inventory.entity.code) == (1000.5, "ddtm-35")


def test_entry_form_shows_unit_error(client, spe, tree):
    client.force_login(spe)
    response = client.post(
        reverse("bascarbone:entry", args=["ddtm-35", 2025]),
        {"post": "1.2", "factor_id": "gazole-routier", "quantity": "10", "unit": "kWh"},
    )
    assert response.status_code == 200
    assert "incompatible" in response.content.decode()
    assert not Activity.objects.exists()


def test_delete_line(client, spe, filled):
    client.force_login(spe)
    line = Activity.objects.filter(post="1.4").get()
    assert client.post(reverse("bascarbone:activity_delete", args=[line.pk])).status_code == 302
    assert not Activity.objects.filter(pk=line.pk).exists()


def test_import_rejected_file_shows_row_report(client, spe, tree):
    client.force_login(spe)
    upload = SimpleUploadedFile("cartes.csv", (DATA / "cartes_carburant.csv").read_bytes(), "text/csv")
    response = client.post(
        reverse("bascarbone:import", args=["prefecture-35", 2025]), {"file": upload, "format": "auto"}
    )
    report = ActivityImport.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("bascarbone:import_report", args=[report.pk])).content.decode()
    assert "Fichier refusé" in page
    assert "Kérosène" in page
    assert not Activity.objects.exists()


def test_import_accepted_file(client, spe, tree):
    client.force_login(spe)
    upload = SimpleUploadedFile(
        "deplacements.csv",
        b"origine,origine_lat,origine_lon,destination,destination_lat,destination_lon,mode\nA,48.1,-1.67,B,48.84,2.32,train\n",
    )
    client.post(reverse("bascarbone:import", args=["prefecture-35", 2025]), {"file": upload, "format": "travel"})
    report = ActivityImport.objects.get()
    assert report.status == "accepted"
    assert "Fichier importé" in client.get(reverse("bascarbone:import_report", args=[report.pk])).content.decode()


def test_import_refuses_binary_disguised_as_csv(client, spe, tree):
    client.force_login(spe)
    upload = SimpleUploadedFile("a.csv", b"\x00\x01\x02binary")
    response = client.post(
        reverse("bascarbone:import", args=["prefecture-35", 2025]), {"file": upload, "format": "auto"}
    )
    assert response.status_code == 200
    assert not ActivityImport.objects.exists()


def test_csv_export_has_gwp_set_and_figures(client, spe, filled):
    client.force_login(spe)
    response = client.get(reverse("bascarbone:export_csv", args=["prefecture-35", 2025]))
    text = response.content.decode("utf-8-sig")
    header, *rows = [line.split(";") for line in text.strip().splitlines()]
    assert header[:4] == ["entite", "annee", "jeu_prg", "version_facteurs"]
    post_14 = next(row for row in rows if row[5] == "1.4")
    assert post_14[2] == "AR5"
    assert float(post_14[header.index("total_tco2e")]) == pytest.approx(3.848)  # 2 kg R410A × 1924
    total = next(row for row in rows if row[4] == "total")
    assert float(total[header.index("total_tco2e")]) == pytest.approx(7.528)


def test_xlsx_export(client, spe, filled):
    client.force_login(spe)
    response = client.get(reverse("bascarbone:export_xlsx", args=["prefecture-35", 2025]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook["BEGES"]["A2"].value.startswith("Jeu de PRG : AR5")
    meta = {row[0].value: row[1].value for row in workbook["Métadonnées"].iter_rows()}
    assert meta["Jeu de PRG"] == "AR5"


def test_printable_report_and_action_plan(client, spe, filled):
    client.force_login(spe)
    assert (
        "Tableau réglementaire"
        in client.get(reverse("bascarbone:report", args=["prefecture-35", 2025])).content.decode()
    )
    url = reverse("bascarbone:actions", args=["prefecture-35"])
    response = client.post(
        url,
        {
            "add_action": "1",
            "action-title": "Véhicules électriques",
            "action-post": "1.2",
            "action-reduction_tco2e": "2,5",
            "action-due_year": "2027",
            "action-status": "planned",
        },
    )
    assert response.status_code == 302
    assert "Véhicules électriques" in client.get(url).content.decode()


def test_method_page_is_public_and_explains_the_worked_example(client):
    response = client.get(reverse("bascarbone:method"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 580 kg" in html
    assert "R410A = 1\u202f924" in html


def test_entry_with_quality_scores_sets_the_activity_uncertainty(client, spe, tree):
    client.force_login(spe)
    response = client.post(
        reverse("bascarbone:entry", args=["ddtm-35", 2025]),
        {
            "post": "4.2",
            "factor_id": "ordinateur-portable",
            "quantity": "10",
            "unit": "unité",
            "quality_scores": "2,3,4,1,5",
        },
    )
    assert response.status_code == 302
    # Pedigree (2,3,4,1,5) → GSD95 2.0545 → ± (2.0545 − 1/2.0545) / 2 = 78.4 %.
    assert Activity.objects.get().activity_uncertainty == pytest.approx(0.7839, abs=1e-3)


def test_generic_template_imports_cleanly(client, spe, tree):
    client.force_login(spe)
    template = client.get(reverse("bascarbone:import_template")).content
    upload = SimpleUploadedFile("modele.csv", template)
    client.post(reverse("bascarbone:import", args=["prefecture-35", 2025]), {"file": upload, "format": "auto"})
    report = ActivityImport.objects.get()
    assert (report.status, report.imported, report.format) == ("accepted", 3, "generic")


def test_inventory_settings_form_changes_the_gwp_set(client, spe, filled):
    client.force_login(spe)
    response = client.post(
        reverse("bascarbone:inventory_settings", args=["prefecture-35", 2025]),
        {"settings-factor_base": filled.factor_base_id, "settings-gwp_set": "AR6"},
    )
    assert response.status_code == 302
    filled.refresh_from_db()
    assert filled.gwp_set == "AR6"
