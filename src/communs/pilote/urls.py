"""PILOTE: web pages, mounted at /pilote/."""

from django.urls import path

from communs.pilote import views

app_name = "pilote"

urlpatterns = [
    path("", views.home, name="home"),
    path("chantier/<slug:code>/", views.chantier, name="chantier"),
    path("chantier/<slug:code>/commentaire/", views.commenter, name="commenter"),
    path("chantier/<slug:code>/meteo/", views.meteo, name="meteo"),
    path("territoire/<str:code>/", views.territoire, name="territoire"),
    path("saisie/", views.saisie, name="saisie"),
    path("import/", views.importer, name="importer"),
    path("import/<int:batch_id>/", views.import_report, name="import"),
    path("historique/<slug:indicator>/<str:territory>/", views.historique, name="historique"),
    path("propositions/", views.propositions, name="propositions"),
    path("propositions/<int:proposal_id>/decision/", views.decision, name="decision"),
    path("notifications/", views.notifications, name="notifications"),
    path("methode/", views.methode, name="methode"),
    path("recalcul/", views.recalcul, name="recalcul"),
    path("donnees-ouvertes/", views.open_data, name="open_data"),
    path("donnees-ouvertes/pilote-indicateurs.<str:fmt>", views.open_data_file, name="open_data_file"),
]
