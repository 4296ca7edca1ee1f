"""CoSIA statistics with bad polygons or bodies, and many heavy anonymous requests (issue 24, rows 4,
6 and 10): 400/422 naming what is wrong, never a 500; identical requests share one job; anonymous
jobs are rate-limited."""

import json

import pytest
import shapely
from django.test import Client

from communs.core.models import Job
from communs.cosia import services
from communs.cosia.engine.geometry import geometry_to_geojson
from communs.cosia.engine.synthetic import DEMO_ORIGIN
from communs.cosia.models import Export

pytestmark = pytest.mark.usefixtures("ingested")


def _post(client, body: str | bytes, content_type="application/json"):
    return client.post("/api/cosia/stats?vintage=2024", body, content_type=content_type)


def _square(side_m: float) -> dict:
    x0, top = DEMO_ORIGIN
    cx, cy = x0 + 60, top - 60
    return geometry_to_geojson(shapely.box(cx - side_m / 2, cy - side_m / 2, cx + side_m / 2, cy + side_m / 2))


def test_world_sized_polygon_is_422(client):
    world = {"type": "Polygon", "coordinates": [[[-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]]]}
    response = _post(client, json.dumps(world))
    assert response.status_code == 422
    assert "hors de l'emprise de la France" in response.json()["error"]["message"]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_coordinates_are_refused(client, literal):
    body = (
        '{"type": "Polygon", "coordinates": [[[-1.70, 48.10], [-1.60, 48.10], '
        f"[{literal}, 48.12], [-1.70, 48.12], [-1.70, 48.10]]]}}"
    )
    response = _post(client, body)
    assert response.status_code in (400, 422), response.content
    assert response.json()["error"]["message"]


def test_utf16_body_is_read_or_refused_clearly(client):
    response = _post(client, json.dumps(_square(20)).encode("utf-16"))
    assert response.status_code == 200, response.content
    assert response.json()["total_ha"] == pytest.approx(0.04, abs=1e-3)
    response = _post(client, b"\xff\xfe\x00{not json")
    assert response.status_code == 400


def test_bowtie_is_refused_not_half_counted(client):
    square = _square(200)["coordinates"][0]  # 5 positions: corners in order, closed
    a, b, c, d, _ = square
    bowtie = {"type": "Polygon", "coordinates": [[a, c, b, d, a]]}
    response = _post(client, json.dumps(bowtie))
    assert response.status_code == 422
    assert "se recoupe" in response.json()["error"]["message"]


def test_too_many_vertices_is_refused(client, monkeypatch):
    from communs.cosia.engine import geometry

    monkeypatch.setattr(geometry, "MAX_VERTICES", 1_000)
    x0, top = DEMO_ORIGIN
    circle = geometry_to_geojson(shapely.Point(x0 + 60, top - 60).buffer(50, quad_segs=300))
    assert len(circle["coordinates"][0]) > geometry.MAX_VERTICES
    response = _post(client, json.dumps(circle))
    assert response.status_code == 422
    assert "sommets" in response.json()["error"]["message"]


def test_identical_heavy_requests_share_one_job(client, django_capture_on_commit_callbacks):
    body = json.dumps(_square(9_000))  # 8,100 ha: above the synchronous threshold
    ids = {_post(Client(REMOTE_ADDR=f"10.0.0.{n}"), body).json()["id"] for n in range(10)}
    assert len(ids) == 1
    assert Job.objects.filter(kind="cosia.stats").count() == 1


def test_anonymous_heavy_requests_are_rate_limited(client):
    anonymous = Client(REMOTE_ADDR="10.0.0.99")
    codes = [_post(anonymous, json.dumps(_square(9_000 + 100 * n))).status_code for n in range(10)]
    assert codes[: services.ANONYMOUS_JOBS_PER_HOUR] == [202] * services.ANONYMOUS_JOBS_PER_HOUR
    assert set(codes[services.ANONYMOUS_JOBS_PER_HOUR :]) == {429}
    refused = _post(anonymous, json.dumps(_square(12_000)))
    assert "Trop de demandes" in refused.json()["error"]["message"]
    assert Job.objects.filter(kind="cosia.stats").count() == services.ANONYMOUS_JOBS_PER_HOUR


def test_anonymous_export_post_is_401_even_with_csrf_checks():
    response = Client(enforce_csrf_checks=True).post(
        "/api/cosia/exports", json.dumps({"territory": "demo"}), content_type="application/json"
    )
    assert response.status_code == 401
    assert not Export.objects.exists()
