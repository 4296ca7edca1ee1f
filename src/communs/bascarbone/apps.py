from django.apps import AppConfig


class BascarboneConfig(AppConfig):
    name = "communs.bascarbone"
    label = "bascarbone"
    verbose_name = "État bas carbone"

    def ready(self):
        import communs.bascarbone.panels  # noqa: F401 - registers the territory panel
