"""SIRANo: web pages, mounted at /sirano/."""

from django.urls import path

from communs.sirano import views

app_name = "sirano"

urlpatterns = [
    path("", views.home, name="home"),
    path("projets/", views.projets, name="projets"),
    path("projets/<str:identifier>/", views.projet, name="projet"),
    path("projets/<str:identifier>/resultats/", views.resultats, name="resultats"),
    path("etablissement/", views.etablissement, name="etablissement"),
    path("tranches/<int:tranche_id>/demande/", views.demande, name="demande"),
    path("tranches/<int:tranche_id>/decision/", views.decision, name="decision"),
    path("pieces/<int:evidence_id>/", views.piece, name="piece"),
    path("administration/", views.administration, name="administration"),
    path("administration/tableaux/", views.tableaux, name="tableaux"),
    path("administration/import/", views.importer, name="importer"),
    path("donnees-ouvertes/", views.open_data, name="open_data"),
    path("donnees-ouvertes/<str:name>", views.open_data_file, name="open_data_file"),
]
