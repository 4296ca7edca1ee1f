"""CoSIA: web pages, mounted at /cosia/."""

app_name = "cosia"

urlpatterns: list = []
