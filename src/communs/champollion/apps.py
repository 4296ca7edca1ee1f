from django.apps import AppConfig


class ChampollionConfig(AppConfig):
    name = "communs.champollion"
    label = "champollion"
    verbose_name = "Champollion"
