"""Écosphères: web pages, mounted at /ecospheres/."""

from django.urls import path

from communs.ecospheres import views

app_name = "ecospheres"

urlpatterns = [
    path("", views.home, name="home"),
    path("jeux/<slug:slug>/", views.dataset, name="dataset"),
    path("jeux/<slug:slug>/controle/", views.check_dataset, name="check_dataset"),
    path("catalogue.<str:fmt>", views.catalogue_export, name="catalogue_export"),
    path("bouquets/", views.bouquets, name="bouquets"),
    path("bouquets/<slug:slug>/", views.bouquet, name="bouquet"),
    path("bouquets/<slug:slug>/edition/", views.bouquet_editor, name="bouquet_editor"),
    path("bouquets/<slug:slug>/cloner/", views.bouquet_clone, name="bouquet_clone"),
    path("bouquets/<slug:slug>/commentaire/", views.bouquet_comment, name="bouquet_comment"),
    path("bouquets/<slug:slug>/suivre/", views.bouquet_follow, name="bouquet_follow"),
    path("bouquets/<slug:slug>/data-gouv/", views.bouquet_topic, name="bouquet_topic"),
    path("bouquets/<slug:slug>/export.<str:fmt>", views.bouquet_export, name="bouquet_export"),
    path("donnees-manquantes/", views.missing, name="missing"),
    path("donnees-manquantes.atom", views.MissingFeed(), name="missing_feed"),
    path("sources/", views.sources, name="sources"),
    path("sources/<int:source_id>/moissonner/", views.harvest_now, name="harvest_now"),
    path("moissonnages/<int:run_id>/", views.harvest_report, name="harvest_report"),
    path("doublons/", views.duplicates, name="duplicates"),
    path("doublons/<int:candidate_id>/decision/", views.decide, name="decide"),
    path("notifications/", views.notifications, name="notifications"),
]
