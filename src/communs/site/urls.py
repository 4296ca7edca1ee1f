"""Root URLs: the platform shell, the API, the admin, and one include per service of `SERVICE_APPS`."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from communs.site.api import api
from communs.site.service_apps import SERVICE_APPS

admin.site.site_header = "Communs — back-office"
admin.site.site_title = "Communs"
admin.site.index_title = "Administration"

urlpatterns = [
    path("", include("communs.core.urls")),
    path("territoires/", include("communs.territoires.urls")),
    *(path(f"{slug}/", include(f"communs.{slug}.urls")) for slug in SERVICE_APPS),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler403 = "communs.core.views.permission_denied"

if settings.PROCONNECT_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
