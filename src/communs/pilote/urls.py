"""PILOTE: web pages, mounted at /pilote/."""

app_name = "pilote"

urlpatterns: list = []
