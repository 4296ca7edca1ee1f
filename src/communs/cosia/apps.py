from django.apps import AppConfig


class CosiaConfig(AppConfig):
    name = "communs.cosia"
    label = "cosia"
    verbose_name = "CoSIA"
