"""Champollion: web pages, mounted at /champollion/."""

app_name = "champollion"

urlpatterns: list = []
