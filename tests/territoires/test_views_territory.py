"""The territory pages: Rennes gathers the panels of CoSIA, Estim'Action and PILOTE with the very
figures of each service's own page; permissions stay the services'; a commune no service knows
gets no panel; CSV and comparison."""

import csv
import io

import pytest
from django.urls import reverse

from communs.core.models import AuditEvent

RENNES = reverse("territoires:territory", kwargs={"level": "commune", "code": "35238"})


def panels_of(response) -> dict:
    return {shown.panel.service: shown.data for shown in response.context["panels"]}


def figures_of(data) -> dict:
    return {figure.key: figure.value for figure in data.figures}


def test_rennes_shows_the_services_figures_as_their_own_pages(client, make_user, rennes_everywhere):
    agent = make_user("agent-35-pilote")
    client.force_login(agent)
    response = client.get(RENNES)
    assert response.status_code == 200
    panels = panels_of(response)
    assert {"cosia", "estimaction", "pilote"} <= set(panels)

    # CoSIA: the map page computes Rennes' statistics itself; the panel reads the stored job result.
    cosia = client.get(reverse("cosia:home"), {"territoire": "35238", "millesime": 2024}).context["statistics"]
    cosia_before = client.get(reverse("cosia:home"), {"territoire": "35238", "millesime": 2021}).context["statistics"]
    figures = figures_of(panels["cosia"])
    assert figures["surface_classee"] == pytest.approx(cosia["total_ha"])
    assert "part_non_classe" not in figures  # no unclassified pixel in either vintage: no figure
    for group in (g for g in cosia["groups"] if g["share"]):
        assert figures[f"part_{group['group']}"] == pytest.approx(100 * group["share"])
        before = next(g for g in cosia_before["groups"] if g["group"] == group["group"])
        assert figures[f"evolution_{group['group']}"] == pytest.approx(100 * (group["share"] - before["share"]))
    chart = panels["cosia"].chart
    page_classes = [c for c in cosia["classes"] if c["area_ha"]]
    assert chart.categories == tuple(c["name"] for c in page_classes)
    assert chart.values == tuple(c["pct"] for c in page_classes)

    # Estim'Action: the dashboard's figures with its default options.
    dashboard = client.get(reverse("estimaction:territory", kwargs={"level": "commune", "code": "35238"})).context
    figures = figures_of(panels["estimaction"])
    assert figures["population"] == dashboard["result"].total_population == 165  # tests/estimaction/files.py
    road = next(block for block in dashboard["noise_blocks"] if block["source"] == "road")
    assert figures["fortement_genees_road"] == road["impacts"]["highly_annoyed"]
    assert figures["cardiopathie_route"] == road["impacts"]["ihd_attributable_cases"]
    for air in dashboard["air_rows"]:
        assert figures[f"deces_{air['pollutant']}"] == air["attributable_deaths"]
    assert panels["estimaction"].chart.values == tuple(round(r["population"], 1) for r in road["tables"][0]["rows"])

    # PILOTE: the département's page of the service, chantier by chantier.
    rows = client.get(reverse("pilote:territoire", kwargs={"code": "DEPT-35"})).context["rows"]
    figures = figures_of(panels["pilote"])
    assert figures["chantiers"] == len(rows)
    assert figures["alertes"] == sum(len(row.alerts) for row in rows)
    for row in rows:
        if row.ta is not None:
            assert figures[f"avancement_{row.chantier.code}"] == row.ta
    assert figures["avancement_renovation"] == pytest.approx(50)  # see synthesis_data.pilote_values

    html = response.content.decode()
    for data in panels.values():
        assert data.source and data.as_of is not None
        assert f'href="{data.link}"'.replace("&", "&amp;") in html
        assert data.source.replace("'", "&#x27;") in html


def test_anonymous_visitors_see_public_panels_only(client, rennes_everywhere):
    from communs.bascarbone.models import Entity

    Entity.objects.create(code="prefecture-35", name="Préfecture d'Ille-et-Vilaine", region="53", departement="35")
    for url in (RENNES, reverse("territoires:territory", kwargs={"level": "departement", "code": "35"})):
        response = client.get(url)
        services = set(panels_of(response))
        assert "champollion" not in services and "bascarbone" not in services
        assert "Champollion" not in response.content.decode().split("<main")[1].split("</main>")[0]
    # PILOTE shows anonymous visitors its open data only: published indicators.
    pilote = panels_of(client.get(RENNES))["pilote"]
    assert pilote.link == reverse("pilote:open_data")
    assert "chantiers" not in figures_of(pilote)
    assert not AuditEvent.objects.filter(action="champollion.territoire.view").exists()


def test_an_inspector_of_35_sees_counts_for_35_only_and_each_view_is_audited(client, make_user, rennes_everywhere):
    inspector = make_user("inspectrice", grants=[("champollion", "inspecteur", "departement", "35")])
    client.force_login(inspector)
    departement = panels_of(
        client.get(reverse("territoires:territory", kwargs={"level": "departement", "code": "35"}))
    )
    # Hand count (synthesis_data.champollion_findings): 2 establishments in 35 with 1 + 2 findings, all "carence".
    figures = figures_of(departement["champollion"])
    assert (figures["etablissements"], figures["constats"], figures["constats_delai_carence"]) == (2, 3, 3)
    assert figures["constats_duree_maximale"] == 0
    commune = client.get(RENNES)
    assert figures_of(panels_of(commune)["champollion"])["etablissements"] == 2
    assert "Entreprise secrète" not in commune.content.decode()
    assert "12345678900000" not in commune.content.decode()
    paris = client.get(reverse("territoires:territory", kwargs={"level": "departement", "code": "75"}))
    assert "champollion" not in panels_of(paris)
    events = AuditEvent.objects.filter(action="champollion.territoire.view", actor=inspector)
    assert sorted(events.values_list("object_id", "departement")) == [
        ("commune:35238", "35"),
        ("departement:35", "35"),
    ]


def test_a_bascarbone_correspondent_sees_the_state_services_of_their_departement(
    client, make_user, territoires_reference
):
    from communs.bascarbone.models import Entity

    Entity.objects.create(code="prefecture-35", name="Préfecture d'Ille-et-Vilaine", region="53", departement="35")
    Entity.objects.create(code="prefecture-29", name="Préfecture du Finistère", region="53", departement="29")
    client.force_login(make_user("corr", grants=[("bascarbone", "correspondant", "departement", "35")]))
    url = reverse("territoires:territory", kwargs={"level": "departement", "code": "35"})
    assert figures_of(panels_of(client.get(url))["bascarbone"])["entites"] == 1
    other = reverse("territoires:territory", kwargs={"level": "departement", "code": "29"})
    assert "bascarbone" not in panels_of(client.get(other))


def test_a_commune_no_service_knows_gets_no_panel(client, territoires_reference):
    response = client.get(reverse("territoires:territory", kwargs={"level": "commune", "code": "42218"}))
    assert response.status_code == 200
    assert response.context["panels"] == []
    html = response.content.decode()
    assert "territoires-panel" not in html
    assert "Aucun service de Communs n'a encore de données pour ce territoire." in html
    assert "Saint-Étienne" in html and "Loire" in html


def test_unknown_territories_are_404(client, territoires_reference):
    assert client.get("/territoires/commune/99999/").status_code == 404
    assert client.get("/territoires/canton/35/").status_code == 404


def test_the_csv_has_one_row_per_figure_with_unit_source_and_date(client, rennes_everywhere):
    page = panels_of(client.get(RENNES))
    response = client.get(reverse("territoires:territory_csv", kwargs={"level": "commune", "code": "35238"}))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["cle"] == "population" and rows[0]["valeur"] == "230890"
    figures = [row for row in rows[1:]]
    assert len(figures) == sum(len(data.figures) for data in page.values())
    estimaction = [row for row in figures if row["service"] == "estimaction"]
    assert estimaction[0]["unite"] == "habitants"
    assert all(row["source"] and row["date"] for row in figures)
    assert {row["service"] for row in figures} == set(page)


def test_the_outline_and_neighbours_come_from_the_imported_contours(client, territoires_reference):
    from communs.territoires.services import import_contours
    from tests.territoires.synthesis_data import MINI_CONTOURS

    without = client.get(RENNES)
    assert without.context["identity"].neighbours is None
    assert "contour de ce territoire n'a pas été importé" in without.content.decode()
    import_contours(MINI_CONTOURS, level="commune")
    response = client.get(RENNES)
    identity = response.context["identity"]
    assert [n.code for n in identity.neighbours] == ["35051"]  # the hand-made triangle touches the square
    html = response.content.decode()
    assert '<path d="M' in html and "Contour de Rennes et de ses voisins" in html
    # Every coordinate written into the SVG is a machine number (dot decimal).
    assert "," not in identity.outline["territory"]


def test_comparison_of_a_commune_with_its_departement(client, rennes_everywhere):
    url = reverse("territoires:compare", kwargs={"level": "commune", "code": "35238"})
    response = client.get(url)  # by default: the commune's département
    assert response.status_code == 200
    assert response.context["other"].ref.code == "35"
    pairs = {pair.service: pair for pair in response.context["pairs"]}
    estimaction = pairs["estimaction"]
    assert estimaction.first is not None and estimaction.second is None  # département not computed here
    assert [name for name, _ in estimaction.chart["series"]] == ["Rennes", "Ille-et-Vilaine"]
    pilote = pairs["pilote"]
    assert pilote.first.data.figures == pilote.second.data.figures  # a commune shows its département's PILOTE
    chosen = client.get(url, {"niveau": "commune", "code": "42218"})
    assert chosen.context["other"].ref.name == "Saint-Étienne"
    assert client.get(url, {"niveau": "commune", "code": "99999"}).context["error"]


def test_the_search_page_links_every_level_to_its_territory_page(client, territoires_reference):
    html = client.get(reverse("territoires:index"), {"q": "rennes"}).content.decode()
    assert f'href="{RENNES}"' in html
    assert 'href="/territoires/epci/243500139/"' in html
    html = client.get(reverse("territoires:index"), {"q": "bretagne"}).content.decode()
    assert 'href="/territoires/region/53/"' in html
