"""État bas carbone: web pages, mounted at /bascarbone/."""

from django.urls import path

from communs.bascarbone import views

app_name = "bascarbone"

urlpatterns = [
    path("", views.home, name="home"),
    path("methode/", views.method, name="method"),
    path("modele-activites.csv", views.import_template, name="import_template"),
    path("entites/<slug:code>/<int:year>/", views.dashboard, name="dashboard"),
    path("entites/<slug:code>/<int:year>/saisie/", views.entry, name="entry"),
    path("entites/<slug:code>/<int:year>/import/", views.import_file, name="import"),
    path("entites/<slug:code>/<int:year>/parametres/", views.inventory_settings, name="inventory_settings"),
    path("entites/<slug:code>/<int:year>/beges.csv", views.export_csv, name="export_csv"),
    path("entites/<slug:code>/<int:year>/beges.xlsx", views.export_xlsx, name="export_xlsx"),
    path("entites/<slug:code>/<int:year>/rapport/", views.report, name="report"),
    path("entites/<slug:code>/plan-action/", views.actions, name="actions"),
    path("activites/<int:pk>/supprimer/", views.activity_delete, name="activity_delete"),
    path("imports/<int:pk>/", views.import_report, name="import_report"),
]
