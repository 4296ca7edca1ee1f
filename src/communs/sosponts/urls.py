"""SOS Ponts: web pages, mounted at /sosponts/."""

from django.urls import path

from communs.sosponts import views

app_name = "sosponts"

urlpatterns = [
    path("", views.home, name="home"),
    path("question/nouvelle/", views.ask, name="ask"),
    path("question/suggestions/", views.suggestions, name="suggestions"),
    path("mes-questions/", views.mine, name="mine"),
    path("questions/<int:pk>/", views.question, name="question"),
    path("questions/<int:pk>/repondre/", views.answer, name="answer"),
    path("questions/<int:pk>/note/", views.note, name="note"),
    path("questions/<int:pk>/attribuer/", views.assign, name="assign"),
    path("questions/<int:pk>/doublon/", views.duplicate, name="duplicate"),
    path("questions/<int:pk>/suivi/", views.follow_up, name="follow_up"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("experts/", views.inbox, name="inbox"),
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("base/", views.knowledge_base, name="kb"),
    path("base/<int:pk>/", views.published, name="published"),
    path("fiches/", views.sheets, name="sheets"),
    path("fiches/nouvelle/", views.sheet_edit, name="sheet_new"),
    path("fiches/<slug:slug>/", views.sheet, name="sheet"),
    path("fiches/<slug:slug>/modifier/", views.sheet_edit, name="sheet_edit"),
    path("conseils/", views.advice, name="advice"),
    path("conseils/<slug:defect>/", views.advice_edit, name="advice_edit"),
]
