"""CoSIA: web pages, mounted at /cosia/."""

from django.urls import path

from communs.cosia import views

app_name = "cosia"

urlpatterns = [
    path("", views.home, name="home"),
    path("tuiles/<int:vintage>/<int:z>/<int:x>/<int:y>.png", views.tile, name="tile"),
    path("produit/", views.product, name="product"),
    path("wmts", views.wmts_kvp, name="wmts"),
    path("wmts/1.0.0/WMTSCapabilities.xml", views.wmts_capabilities, name="wmts_capabilities"),
    path("wmts/legende-<int:vintage>.svg", views.wmts_legend, name="wmts_legend"),
    path("statistiques/<uuid:job_id>/", views.stats_job, name="stats_job"),
    path("exports/", views.exports, name="exports"),
    path("exports/nouveau/", views.export_create, name="export_create"),
    path("exports/<int:export_id>/", views.export_detail, name="export_detail"),
    path("exports/<int:export_id>/telecharger/", views.export_download, name="export_download"),
    path("cas-usage/", views.use_cases, name="use_cases"),
    path("cas-usage/proposer/", views.use_case_new, name="use_case_new"),
    path("cas-usage/moderation/", views.moderation, name="moderation"),
    path("cas-usage/<int:pk>/", views.use_case_detail, name="use_case_detail"),
    path("cas-usage/<int:pk>/image/", views.use_case_image, name="use_case_image"),
]
