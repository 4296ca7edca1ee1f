"""État bas carbone: web pages, mounted at /bascarbone/."""

app_name = "bascarbone"

urlpatterns: list = []
