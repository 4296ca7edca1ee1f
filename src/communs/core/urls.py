from django.urls import path

from communs.core import views

app_name = "core"

urlpatterns = [
    path("", views.portal, name="portal"),
    path("services/<slug:slug>/", views.service_page, name="service"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("healthz", views.healthz, name="healthz"),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("compte/", views.account, name="account"),
    path("compte/jetons/", views.tokens, name="tokens"),
    path("compte/jetons/<int:token_id>/revoquer/", views.token_revoke, name="token_revoke"),
    path("taches/<uuid:job_id>/", views.job_detail, name="job_detail"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
]
