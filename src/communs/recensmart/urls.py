"""Recens'smart: web pages, mounted at /recensmart/."""

app_name = "recensmart"

urlpatterns: list = []
