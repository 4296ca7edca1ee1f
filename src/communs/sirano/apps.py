from django.apps import AppConfig


class SiranoConfig(AppConfig):
    name = "communs.sirano"
    label = "sirano"
    verbose_name = "SIRANo"

    def ready(self):
        from communs.sirano.panels import register

        register()
