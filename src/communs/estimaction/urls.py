"""Estim'Action: web pages, mounted at /estimaction/."""

app_name = "estimaction"

urlpatterns: list = []
