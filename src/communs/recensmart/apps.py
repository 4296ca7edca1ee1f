from django.apps import AppConfig


class RecensmartConfig(AppConfig):
    name = "communs.recensmart"
    label = "recensmart"
    verbose_name = "Recens'smart"
