from django.apps import AppConfig


class PiloteConfig(AppConfig):
    name = "communs.pilote"
    label = "pilote"
    verbose_name = "PILOTE"
