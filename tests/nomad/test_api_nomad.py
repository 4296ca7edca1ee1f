"""The Nomad API: status codes of a booking (201, 200 replay, 409 taken, 422 not bookable), declarations,
availability and the catering forecast (managers only)."""

from datetime import timedelta

from django.utils import timezone

from communs.core.tokens import create_token
from tests.nomad.conftest import tuesday_after


def auth(user):
    return {"authorization": f"Bearer {create_token(user, 'test')[1]}"}


def test_booking_statuses(nomad, client):
    day = tuesday_after(timezone.localdate()).isoformat()
    alice, bob = auth(nomad["alice"]), auth(nomad["bob"])
    body = {"desk": "A1-02", "date": day, "idempotency_key": "abc"}
    first = client.post("/api/nomad/bookings", body, content_type="application/json", headers=alice)
    assert first.status_code == 201 and first.json()["desk"] == "A1-02"
    replay = client.post("/api/nomad/bookings", body, content_type="application/json", headers=alice)
    assert replay.status_code == 200 and replay.json()["id"] == first.json()["id"]
    taken = client.post(
        "/api/nomad/bookings", {"desk": "A1-02", "date": day}, content_type="application/json", headers=bob
    )
    assert taken.status_code == 409 and "déjà réservé" in taken.json()["error"]["message"]
    refused = client.post(
        "/api/nomad/bookings", {"desk": "A1-01", "date": day}, content_type="application/json", headers=bob
    )
    assert refused.status_code == 422 and "titulaire présent" in refused.json()["error"]["message"]
    mine = client.get("/api/nomad/bookings", headers=alice).json()
    assert [row["id"] for row in mine] == [first.json()["id"]]
    cancelled = client.post(f"/api/nomad/bookings/{first.json()['id']}/cancel", headers=bob)
    assert cancelled.status_code == 403
    cancelled = client.post(f"/api/nomad/bookings/{first.json()['id']}/cancel", headers=alice)
    assert cancelled.json()["status"] == "annulee"


def test_declaration_and_availability(nomad, client):
    first = tuesday_after(timezone.localdate())
    owner = auth(nomad["owner"])
    body = {"kind": "teletravail", "start": first.isoformat(), "rrule": "FREQ=WEEKLY;COUNT=2"}
    created = client.post("/api/nomad/declarations", body, content_type="application/json", headers=owner)
    assert created.status_code == 201
    assert created.json()["dates"] == [first.isoformat(), (first + timedelta(weeks=1)).isoformat()]
    bad = client.post(
        "/api/nomad/declarations", body | {"rrule": "FREQ=NEVER"}, content_type="application/json", headers=owner
    )
    assert bad.status_code == 422 and "rrule" in bad.json()["error"]["message"]
    rows = client.get(
        f"/api/nomad/desks/A1-01/availability?start={first.isoformat()}&end={(first + timedelta(days=1)).isoformat()}",
        headers=auth(nomad["alice"]),
    ).json()
    assert [(row["bookable"], row["reason"]) for row in rows] == [
        (True, "titulaire en télétravail"),
        (False, "titulaire présent"),
    ]


def test_catering_forecast_is_for_managers(nomad, client):
    from communs.nomad.models import Site

    site = Site.objects.get()
    url = f"/api/nomad/sites/{site.pk}/catering?start={tuesday_after(timezone.localdate()).isoformat()}"
    assert client.get(url, headers=auth(nomad["alice"])).status_code == 403
    response = client.get(url, headers=auth(nomad["manager"]))
    assert response.status_code == 200
    assert set(response.json()[0]) == {"date", "expected_present", "ratio", "meals", "low", "high"}
