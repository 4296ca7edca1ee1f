"""Nomad: web pages, mounted at /nomad/."""

from django.urls import path

from communs.nomad import views

app_name = "nomad"

urlpatterns = [
    path("", views.home, name="home"),
    path("reserver/", views.reserver, name="reserver"),
    path("declarer/", views.declarer, name="declarer"),
    path("declaration/<int:pk>/retirer/", views.retirer, name="retirer"),
    path("reservation/<int:pk>/annuler/", views.annuler, name="annuler"),
    path("favori/<int:pk>/", views.favori, name="favori"),
    path("calendrier.ics", views.calendrier, name="calendrier"),
    path("validation/<str:token>/", views.checkin, name="checkin"),
    path("invites/", views.invites, name="invites"),
    path("gestion/", views.gestion, name="gestion"),
    path("gestion/site/<int:pk>/qr/", views.qr_codes, name="qr_codes"),
    path("gestion/poste/<int:pk>/qr.svg", views.qr_svg, name="qr_svg"),
    path("gestion/occupation/", views.occupation, name="occupation"),
    path("gestion/restauration/", views.restauration, name="restauration"),
]
