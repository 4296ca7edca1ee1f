app_name = "territoires"

urlpatterns: list = []
