"""Nomad pages: my week, booking from the plan and the list, declarations, favourites, ICS, check-in,
guests, and the managers' pages (import, occupancy, catering) with their permissions."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from communs.nomad.models import Booking, Declaration, Desk, Favourite
from tests.nomad.conftest import SPACES, tuesday_after


def test_book_from_the_list_then_cancel(nomad, client, desk):
    client.force_login(nomad["alice"])
    day = tuesday_after(timezone.localdate())
    floor = desk("A1-02").zone.floor
    page = client.get(f"/nomad/reserver/?etage={floor.pk}&jour={day.isoformat()}&poste=A1-02")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'aria-label="Poste A1-02, libre : poste partagé, zone Équipe achats"' in html
    assert "indisponible — titulaire présent" in html  # A1-01, owner present
    key = page.context["key"]
    response = client.post("/nomad/reserver/", {"desk": desk("A1-02").pk, "day": day.isoformat(), "key": key})
    assert response.status_code == 302
    client.post("/nomad/reserver/", {"desk": desk("A1-02").pk, "day": day.isoformat(), "key": key})  # double submit
    booking = Booking.objects.get(user=nomad["alice"])
    week = client.get(f"/nomad/?semaine={day.isoformat()}").content.decode()
    assert "Poste A1-02" in week
    client.post(f"/nomad/reservation/{booking.pk}/annuler/")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_recurring_booking_books_each_week(nomad, client, desk):
    client.force_login(nomad["alice"])
    day = tuesday_after(timezone.localdate())
    client.post("/nomad/reserver/", {"desk": desk("B0-01").pk, "day": day.isoformat(), "key": "s", "weeks": 4})
    days = list(Booking.objects.filter(user=nomad["alice"]).values_list("day", flat=True).order_by("day"))
    assert days == [day + timedelta(weeks=n) for n in range(4)]
    assert len(set(Booking.objects.values_list("series", flat=True))) == 1


def test_declare_from_my_week_and_refusal_shown(nomad, client):
    client.force_login(nomad["owner"])
    day = tuesday_after(timezone.localdate())
    client.post("/nomad/declarer/", {"kind": "teletravail", "start": day.isoformat(), "weeks": 3, "exdates": ""})
    declaration = Declaration.objects.get()
    assert declaration.rrule == "FREQ=WEEKLY;BYDAY=TU;COUNT=3"
    response = client.post(
        "/nomad/declarer/", {"kind": "absence", "start": day.isoformat(), "weeks": 1, "exdates": ""}, follow=True
    )
    assert "déjà déclaré" in response.content.decode()
    client.post(f"/nomad/declaration/{declaration.pk}/retirer/")
    declaration.refresh_from_db()
    assert declaration.withdrawn_at is not None


def test_favourite_ics_and_check_in(nomad, client, desk):
    client.force_login(nomad["alice"])
    client.post(f"/nomad/favori/{desk('B0-01').pk}/", {"next": "/nomad/reserver/"})
    assert Favourite.objects.filter(user=nomad["alice"], desk=desk("B0-01")).exists()
    today = timezone.localdate()
    checkin = client.get(f"/nomad/validation/{desk('B0-01').qr_token}/")
    assert "Je suis à ce poste" in checkin.content.decode()
    client.post(f"/nomad/validation/{desk('B0-01').qr_token}/")
    booking = Booking.objects.get(user=nomad["alice"], day=today)
    assert booking.checked_in_at is not None
    ics = client.get("/nomad/calendrier.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    assert f"DTSTART;VALUE=DATE:{today.strftime('%Y%m%d')}" in ics.content.decode()


def test_guest_invitation_page(nomad, client):
    client.force_login(nomad["alice"])
    expires = (timezone.localdate() + timedelta(days=5)).isoformat()
    data = {"first_name": "Paul", "last_name": "P", "email": "p@example.org", "company": "BE", "expires": expires}
    response = client.post("/nomad/invites/", data, follow=True)
    assert "espaces de coworking seulement" in response.content.decode()
    guest = nomad["alice"].nomad_guests.get()
    client.force_login(guest.user)
    assert client.get("/nomad/invites/").status_code == 403


def test_manager_pages_and_permissions(nomad, client, desk):
    client.force_login(nomad["alice"])
    assert client.get("/nomad/gestion/").status_code == 403
    assert client.get("/nomad/gestion/occupation/").status_code == 403
    client.force_login(nomad["manager"])
    upload = SimpleUploadedFile("espaces.csv", (SPACES + "Site test,B,F,Z,equipe,N-1,ghost,\n").encode(), "text/csv")
    page = client.post("/nomad/gestion/", {"file": upload}).content.decode()
    assert "ligne 7, colonne owner : utilisateur « ghost » inconnu" in page
    assert Desk.objects.count() == 5
    assert client.get("/nomad/gestion/occupation/").status_code == 200
    assert client.get("/nomad/gestion/occupation/?format=csv")["Content-Type"].startswith("text/csv")
    forecast = client.get("/nomad/gestion/restauration/")
    assert "Prévision des repas par jour" in forecast.content.decode()
    qr = client.get(f"/nomad/gestion/poste/{desk('A1-01').pk}/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
