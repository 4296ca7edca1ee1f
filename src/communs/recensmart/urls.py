"""Recens'smart: web pages, mounted at /recensmart/."""

from django.urls import path

from communs.recensmart import views

app_name = "recensmart"

urlpatterns = [
    path("", views.home, name="home"),
    path("questionnaire/", views.questionnaire, name="questionnaire"),
    path("questionnaire/page/<str:key>/", views.goto, name="goto"),
    path("questionnaire/relecture/", views.review, name="review"),
    path("questionnaire/merci/", views.thanks, name="thanks"),
    path("questionnaire/plus-tard/", views.pause, name="pause"),
    path("reprendre/<str:token>/", views.resume, name="resume"),
    path("gestion/", views.manage, name="manage"),
    path("gestion/versions/<int:version_id>/", views.version, name="version"),
    path("gestion/versions/<int:version_id>/apercu/", views.preview, name="preview_questionnaire"),
    path("gestion/versions/<int:version_id>/apercu/page/<str:key>/", views.preview_goto, name="preview_goto"),
    path("gestion/versions/<int:version_id>/apercu/relecture/", views.preview_review, name="preview_review"),
    path("gestion/versions/<int:version_id>/apercu/merci/", views.preview_thanks, name="preview_thanks"),
    path("gestion/versions/<int:version_id>/apercu/recommencer/", views.preview_reset, name="preview_reset"),
    path("gestion/campagnes/<int:campaign_id>/", views.campaign, name="campaign"),
    path("gestion/campagnes/<int:campaign_id>/export.<str:fmt>", views.export, name="export"),
]
