"""Champollion: web pages, mounted at /champollion/."""

from django.urls import path

from communs.champollion import views

app_name = "champollion"

urlpatterns = [
    path("", views.home, name="home"),
    path("ciblage/", views.ciblage, name="ciblage"),
    path("methode/", views.methode, name="methode"),
    path("etablissements/<str:siret>/", views.etablissement, name="etablissement"),
    path("etablissements/<str:siret>/contrats.<str:fmt>", views.export, name="export"),
    path("etablissements/<str:siret>/calendrier/", views.calendrier, name="calendrier"),
    path("etablissements/<str:siret>/fusion/", views.fusion, name="fusion"),
    path("etablissements/<str:siret>/correction/", views.correction, name="correction"),
]
