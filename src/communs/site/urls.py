"""Root URLs: the platform shell, the API, the admin, then one include per service."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from communs.site.api import api

admin.site.site_header = "Communs — back-office"
admin.site.site_title = "Communs"
admin.site.index_title = "Administration"

urlpatterns = [
    path("", include("communs.core.urls")),
    path("territoires/", include("communs.territoires.urls")),
    path("bascarbone/", include("communs.bascarbone.urls")),
    path("champollion/", include("communs.champollion.urls")),
    path("cosia/", include("communs.cosia.urls")),
    path("estimaction/", include("communs.estimaction.urls")),
    path("pilote/", include("communs.pilote.urls")),
    path("recensmart/", include("communs.recensmart.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

if settings.PROCONNECT_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
