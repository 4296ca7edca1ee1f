from django.urls import path, register_converter

from communs.territoires import views

app_name = "territoires"


class LevelConverter:
    regex = "commune|epci|departement|region"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(LevelConverter, "level")

urlpatterns = [
    path("", views.index, name="index"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("mise-a-jour/", views.reload, name="reload"),
    path("<level:level>/<str:code>/", views.territory, name="territory"),
    path("<level:level>/<str:code>/synthese.csv", views.territory_csv, name="territory_csv"),
    path("<level:level>/<str:code>/comparer/", views.compare, name="compare"),
]
