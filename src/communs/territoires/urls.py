from django.urls import path

from communs.territoires import views

app_name = "territoires"

urlpatterns = [
    path("", views.index, name="index"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("mise-a-jour/", views.reload, name="reload"),
]
