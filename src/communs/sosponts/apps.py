from django.apps import AppConfig


class SospontsConfig(AppConfig):
    name = "communs.sosponts"
    label = "sosponts"
    verbose_name = "SOS Ponts"

    def ready(self):
        from communs.sosponts.panels import register

        register()
