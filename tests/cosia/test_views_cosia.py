"""CoSIA pages: map and statistics panel, tiles, exports with logged downloads, product page."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from communs.cosia import services
from communs.cosia.models import Download, Export

pytestmark = pytest.mark.usefixtures("ingested")


def test_map_page_without_territory(client):
    response = client.get(reverse("cosia:home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("data-class-toggle") == 17  # one legend toggle per class
    assert "maplibre-gl-csp.js" in body and 'id="cosia-map-config"' in body
    assert "<script>" not in body  # no inline script (CSP)


def test_map_page_with_the_demo_territory_shows_the_statistics_table(client):
    response = client.get(reverse("cosia:home"), {"territoire": "demo", "millesime": 2024})
    assert response.status_code == 200
    stats = response.context["statistics"]
    expected = services.statistics(services.resolve_territory("demo"), 2024)
    assert stats["total_ha"] == expected["total_ha"] > 0
    body = response.content.decode()
    assert 'id="stats-table"' in body and "Commune de démonstration" in body
    assert response.context["comparison"]["before"] == 2021
    config = response.context["map_config"]
    assert config["territory"]["type"] in ("Polygon", "MultiPolygon")
    assert config["tiles"].endswith("/cosia/tuiles/2024/{z}/{x}/{y}.png")


def test_map_page_allows_the_ign_base_map_in_its_csp(client):
    response = client.get(reverse("cosia:home"))
    policy = response.headers["Content-Security-Policy"]
    assert "https://data.geopf.fr" in policy
    assert "blob:" not in policy.split("script-src")[1].split(";")[0]  # the worker is a static file


def test_unknown_territory_is_a_form_error(client):
    response = client.get(reverse("cosia:home"), {"territoire": "zzzz-inconnu"})
    assert response.context["form"].errors["territoire"]
    assert response.context["statistics"] is None


@pytest.mark.usefixtures("territoires_reference")
def test_commune_without_contour_explains_what_to_do(client):
    response = client.get(reverse("cosia:home"), {"territoire": "35238"})  # Rennes: no contour imported
    assert "importez les contours" in response.context["error"]


def test_tile_is_a_png_and_cached(client):
    from morecantile import tms
    from pyproj import Transformer

    lon, lat = Transformer.from_crs(2154, 4326, always_xy=True).transform(350_060, 6_789_940)
    tile = tms.get("WebMercatorQuad").tile(lon, lat, 17)
    url = reverse("cosia:tile", args=[2024, tile.z, tile.x, tile.y])
    first = client.get(url)
    second = client.get(url)
    assert first["Content-Type"] == "image/png" and first.content.startswith(b"\x89PNG")
    assert (first["X-Tile-Cache"], second["X-Tile-Cache"]) == ("miss", "hit")
    hidden = client.get(url, {"masquer": "1,2"})
    assert hidden["X-Tile-Cache"] == "miss" and hidden.content != first.content


def test_export_needs_sign_in(client):
    response = client.post(
        reverse("cosia:export_create"), {"territoire": "demo", "millesime": 2024, "format": "geotiff"}
    )
    assert response.status_code == 302 and "/connexion/" in response["Location"]
    assert not Export.objects.exists()


@pytest.mark.parametrize(("fmt", "member"), [("geotiff", ".tif"), ("gpkg", ".gpkg"), ("shp", ".shp")])
def test_export_job_then_logged_download(client, make_user, django_capture_on_commit_callbacks, fmt, member):
    user = make_user("geomaticienne")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("cosia:export_create"), {"territoire": "demo", "millesime": 2024, "format": fmt}
        )
    export = Export.objects.get()
    assert response["Location"] == reverse("cosia:export_detail", args=[export.pk])
    assert export.job.state == "succeeded", export.job.error
    page = client.get(response["Location"]).content.decode()
    assert reverse("cosia:export_download", args=[export.pk]) in page
    download = client.get(reverse("cosia:export_download", args=[export.pk]))
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    # Consuming streaming_content already closed the response (the test client does it with the
    # request_finished signal muted); closing it again would fire that signal and, on PostgreSQL,
    # close the test's database connection.
    names = archive.namelist()
    assert any(n.endswith(member) for n in names) and "metadata.json" in names
    assert json.loads(archive.read("metadata.json"))["vintage"] == 2024
    logged = Download.objects.get()
    assert (logged.user, logged.export) == (user, export)


def test_someone_elses_export_is_not_found(client, make_user, django_capture_on_commit_callbacks):
    owner, other = make_user("owner"), make_user("other")
    with django_capture_on_commit_callbacks(execute=True):
        export = services.request_export(owner, "demo", 2024, "geotiff")
    client.force_login(other)
    assert client.get(reverse("cosia:export_download", args=[export.pk])).status_code == 404
    assert client.get(reverse("cosia:export_detail", args=[export.pk])).status_code == 404
    assert not Download.objects.exists()


def test_product_page(client):
    response = client.get(reverse("cosia:product"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "#ce7079" in body and "Vigne" in body and "Fiabilité" in body
    assert [row.vintage for row in response.context["coverage"]] == [2024, 2021]


def test_large_territory_runs_as_a_job_then_shows_the_table(client, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(services, "SYNC_PIXEL_LIMIT", 1000)  # the demo commune becomes "large"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("cosia:home"), {"territoire": "demo", "millesime": 2024})
    assert response.status_code == 302 and "/cosia/statistiques/" in response["Location"]
    page = client.get(response["Location"])
    assert page.context["job"].state == "succeeded"
    assert 'id="stats-table"' in page.content.decode()
    expected = services.statistics(services.resolve_territory("demo"))
    assert page.context["statistics"]["total_ha"] == expected["total_ha"]
