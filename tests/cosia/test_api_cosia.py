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
