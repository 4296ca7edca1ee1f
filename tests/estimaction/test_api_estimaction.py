"""/api/estimaction/: datasets, a territory's diagnosis, impacts of a given exposure."""

import pytest


def test_territory_diagnosis(client, computed_rennes):
    response = client.get("/api/estimaction/territories/commune/35238", {"parametres": "who2021"})
    assert response.status_code == 200
    body = response.json()
    assert body["total_population"] == pytest.approx(165)
    assert body["exposure"]["lden"]["65-70"] == pytest.approx(50, abs=0.01)
    assert body["parameters"]["key"] == "who2021"
    assert body["air"]["pm25"]["attributable_deaths"] > 0
    assert body["datasets"]["population"]["vintage"] == 2021
    # The test map is a road map: impacts and thresholds come per source type.
    assert list(body["noise"]) == ["road"] and body["noise"]["road"]["highly_annoyed"] > 0
    assert body["exposure_by_source"]["road"]["lden"]["65-70"] == pytest.approx(50, abs=0.01)
    assert body["above_thresholds"]["road"]["lden"]["threshold"] == 53


def test_territory_not_computed_is_404(client, computed_rennes):
    response = client.get("/api/estimaction/territories/commune/35281")
    assert response.status_code == 404
    assert "error" in response.json()


def test_datasets(client, computed_rennes):
    kinds = {row["kind"] for row in client.get("/api/estimaction/datasets").json()}
    assert kinds == {"population", "bruit", "pm25"}


@pytest.mark.django_db
def test_impacts_post_matches_the_acceptance_figures(client):
    payload = {
        "lden": {"55-60": 4000, "60-65": 3000, "65-70": 2000, "70-75": 800, ">=75": 200},
        "air": [{"pollutant": "pm25", "concentration": 12, "population": 6000, "baseline_death_rate": 0.01}],
        "ihd_incidence": 300,
    }
    body = client.post("/api/estimaction/impacts", payload, content_type="application/json").json()
    # 1,881.46 HA; PAF 7.198 % → 2.16 cases; PM2.5 SPF 5.59 deaths (hand arithmetic in test_engine_*)
    assert body["noise"]["highly_annoyed"] == pytest.approx(1881.46, abs=0.01)
    assert body["noise"]["ihd_attributable_cases"] == pytest.approx(2.16, abs=0.005)
    assert body["air"]["pm25"]["attributable_deaths"] == pytest.approx(5.59, abs=0.005)


@pytest.mark.django_db
def test_impacts_post_rejects_an_unknown_band(client):
    response = client.post("/api/estimaction/impacts", {"lden": {"42-47": 1}}, content_type="application/json")
    assert response.status_code == 400


@pytest.mark.django_db
def test_impacts_post_applies_the_curve_of_the_given_source(client):
    payload = {"lden": {"<55": 0, "60-65": 10000}, "source_type": "aircraft"}
    body = client.post("/api/estimaction/impacts", payload, content_type="application/json").json()
    # aircraft, 62.5 dB: −50.9693 + 1.0168·62.5 (63.55) + 0.0072·3906.25 (28.125) = 40.7057 % → 4,070.57 HA
    assert body["noise"]["highly_annoyed"] == pytest.approx(4070.57, abs=1e-3)
    assert body["noise"]["ihd_attributable_cases"] == 0
