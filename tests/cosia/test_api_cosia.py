"""CoSIA API: statistics by code and by posted GeoJSON, comparison, tiles, export jobs."""

import json

import pytest
import shapely

from communs.cosia import services
from communs.cosia.engine.geometry import geometry_to_geojson
from communs.cosia.engine.synthetic import DEMO_ORIGIN
from communs.cosia.models import Download, Export

pytestmark = pytest.mark.usefixtures("ingested")


def test_stats_by_code(client):
    body = client.get("/api/cosia/stats", {"territory": "demo", "vintage": 2024}).json()
    assert body["territory"]["code"] == "demo" and body["vintage"] == 2024
    assert len(body["classes"]) == 17
    assert body["total_ha"] == pytest.approx(sum(c["area_ha"] for c in body["classes"]), abs=1e-3)
    assert body["total_ha"] == pytest.approx(body["territory"]["area_ha"], abs=1e-3)  # no nodata in the demo


def test_stats_by_posted_geojson(client):
    # A 20 m × 20 m square in the demo raster's top-left corner = 0.04 ha.
    x0, top = DEMO_ORIGIN
    square = geometry_to_geojson(shapely.box(x0, top - 20, x0 + 20, top))
    response = client.post("/api/cosia/stats?vintage=2024", json.dumps(square), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["total_ha"] == pytest.approx(0.04, abs=1e-4)


def test_posted_point_is_refused(client):
    response = client.post(
        "/api/cosia/stats", json.dumps({"type": "Point", "coordinates": [-1.6, 48.1]}), content_type="application/json"
    )
    assert response.status_code == 422
    assert "Point" in response.json()["error"]["message"]


def test_unknown_territory_is_404(client):
    assert client.get("/api/cosia/stats", {"territory": "35238"}).status_code == 404


def test_compare(client):
    body = client.get("/api/cosia/compare", {"territory": "demo", "before": 2021, "after": 2024}).json()
    assert body["before"] == 2021 and len(body["matrix_ha"]) == 17
    assert any(change["to"] == "Bâtiment" for change in body["changes"])  # the new estate


def test_nomenclature_and_vintages(client):
    assert client.get("/api/cosia/nomenclature").json()["classes"][15]["colour"] == "#b08290"
    assert [v["vintage"] for v in client.get("/api/cosia/vintages").json()] == [2024, 2021]


def test_tile_endpoint(client):
    response = client.get("/api/cosia/tiles/2024/3/0/0.png")  # below the minimum zoom: empty tile
    assert response["Content-Type"] == "image/png"


def test_export_job_by_api(client, make_user, django_capture_on_commit_callbacks):
    user = make_user("api-user")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/cosia/exports", json.dumps({"territory": "demo", "format": "gpkg"}), content_type="application/json"
        )
    assert response.status_code == 202, response.content
    export_id = response.json()["id"]
    status = client.get(f"/api/cosia/exports/{export_id}").json()
    assert status["state"] == "succeeded" and status["download_url"]
    download = client.get(status["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"PK")  # a zip
    # Consuming streaming_content already closed the response (the test client does it with the
    # request_finished signal muted); closing it again would fire that signal and, on PostgreSQL,
    # close the test's database connection.
    assert Download.objects.filter(user=user, export_id=export_id).count() == 1


def test_export_requires_authentication(client):
    response = client.post("/api/cosia/exports", json.dumps({"territory": "demo"}), content_type="application/json")
    assert response.status_code == 401
    assert not Export.objects.exists()


def test_exports_of_others_are_hidden(client, make_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = services.request_export(make_user("owner"), "demo", 2024, "geotiff")
    client.force_login(make_user("other"))
    assert client.get(f"/api/cosia/exports/{export.pk}").status_code == 404
    assert client.get(f"/api/cosia/exports/{export.pk}/download").status_code == 404


def _square_around_the_demo(side_m: float) -> dict:
    """A square of `side_m` metres centred on the 120 m demo rasters (GeoJSON, WGS 84)."""
    x0, top = DEMO_ORIGIN
    cx, cy = x0 + 60, top - 60
    return geometry_to_geojson(shapely.box(cx - side_m / 2, cy - side_m / 2, cx + side_m / 2, cy + side_m / 2))


def test_posted_polygon_just_below_the_threshold_is_computed_at_once(client):
    # Threshold: 2 × 10⁹ px × 0.04 m² = 8 × 10⁷ m² = 8,000 ha. 8,900 m square = 79,210,000 m² = 7,921 ha.
    response = client.post(
        "/api/cosia/stats?vintage=2024", json.dumps(_square_around_the_demo(8_900)), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["territory"]["area_ha"] == pytest.approx(7_921, abs=0.5)  # WGS 84 round trip


def test_posted_polygon_above_the_threshold_runs_as_a_job(client, django_capture_on_commit_callbacks):
    # 9,000 m square = 81,000,000 m² = 8,100 ha > 8,000 ha → 202 and a job. It holds the whole demo raster:
    # 600 × 600 px × 0.04 m² = 14,400 m² = 1.44 ha classified; the rest of the square has no raster at all.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/cosia/stats?vintage=2024",
            json.dumps(_square_around_the_demo(9_000)),
            content_type="application/json",
        )
    assert response.status_code == 202, response.content
    accepted = response.json()
    assert accepted["state"] == "pending" and accepted["result"] is None
    assert accepted["page_url"].endswith(f"/cosia/statistiques/{accepted['id']}/")
    status = client.get(accepted["status_url"].removeprefix("http://testserver"))
    assert status.status_code == 200
    body = status.json()
    assert body["state"] == "succeeded" and body["percent"] == 100
    result = body["result"]
    assert result["total_ha"] == pytest.approx(1.44, abs=1e-4)
    assert result["territory"]["code"] == "geojson" and result["vintage"] == 2024
    assert result["territory"]["area_ha"] == pytest.approx(8_100, abs=0.5)


def test_large_territory_by_code_runs_as_a_job(client, django_capture_on_commit_callbacks):
    x0, top = DEMO_ORIGIN
    big = geometry_to_geojson(shapely.box(x0 - 4_500, top - 4_500, x0 + 4_500, top + 4_500))  # 8,100 ha
    services.save_zone("grande-zone", "Grande zone", json.dumps(big), departement="35", source="test")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/api/cosia/stats", {"territory": "grande-zone", "vintage": 2021})
    assert response.status_code == 202
    body = client.get(f"/api/cosia/stats/jobs/{response.json()['id']}").json()
    assert body["state"] == "succeeded"
    assert body["result"]["territory"]["label"] == "Grande zone" and body["result"]["vintage"] == 2021
    # The square's corner (x0, top) is the rasters' top-left corner: the whole 1.44 ha raster is inside.
    assert body["result"]["total_ha"] == pytest.approx(1.44, abs=1e-4)


def test_large_territory_without_coverage_starts_no_job(client):
    from communs.core.models import Job

    response = client.post(
        "/api/cosia/stats?vintage=2019", json.dumps(_square_around_the_demo(9_000)), content_type="application/json"
    )
    assert response.status_code == 404
    assert not Job.objects.filter(kind="cosia.stats").exists()


def test_stats_job_status_of_an_unknown_or_foreign_job_is_404(client):
    from communs.core.jobs import start_job

    assert client.get("/api/cosia/stats/jobs/00000000-0000-0000-0000-000000000000").status_code == 404
    other = start_job("cosia.ingest", paths=[], departement="35", vintage=2024)  # not a statistics job
    assert client.get(f"/api/cosia/stats/jobs/{other.pk}").status_code == 404


def test_posted_polygon_larger_than_a_departement_is_refused(client):
    # 101 km square = 10,201 km² = 1,020,100 ha > 1,000,000 ha (Gironde, the largest, is ≈ 997,600 ha).
    response = client.post(
        "/api/cosia/stats", json.dumps(_square_around_the_demo(101_000)), content_type="application/json"
    )
    assert response.status_code == 422
    assert "découpez la zone" in response.json()["error"]["message"]
