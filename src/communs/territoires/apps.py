from django.apps import AppConfig


class TerritoiresConfig(AppConfig):
    name = "communs.territoires"
    label = "territoires"
    verbose_name = "Référentiel territorial"
