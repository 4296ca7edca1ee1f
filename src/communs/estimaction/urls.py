"""Estim'Action: web pages, mounted at /estimaction/."""

from django.urls import path

from communs.estimaction import views

app_name = "estimaction"

urlpatterns = [
    path("", views.home, name="home"),
    path("methode/", views.method, name="method"),
    path("donnees/", views.data, name="data"),
    path("<str:level>/<str:code>/", views.territory, name="territory"),
    path("<str:level>/<str:code>/calcul/", views.compute, name="compute"),
    path("<str:level>/<str:code>/rapport/", views.report, name="report"),
    path("<str:level>/<str:code>/export.<str:fmt>", views.export, name="export"),
]
