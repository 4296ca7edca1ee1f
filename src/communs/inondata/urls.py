"""Inondata: web pages, mounted at /inondata/."""

from django.urls import path

from communs.inondata import views

app_name = "inondata"

urlpatterns = [
    path("", views.home, name="home"),
    path("scenarios/nouveau/", views.create, name="create"),
    path("scenarios/<int:pk>/", views.scenario, name="scenario"),
    path("scenarios/<int:pk>/partager/", views.share, name="share"),
    path("scenarios/<int:pk>/fichiers/<str:name>", views.file, name="file"),
    path("partage/<str:token>/", views.shared, name="shared"),
    path("partage/<str:token>/fichiers/<str:name>", views.shared_file, name="shared_file"),
]
