from django.apps import AppConfig


class PiloteConfig(AppConfig):
    name = "communs.pilote"
    label = "pilote"
    verbose_name = "PILOTE"

    def ready(self):
        import communs.pilote.jobs  # noqa: F401 - registers the job kinds
        import communs.pilote.panels  # noqa: F401 - registers the territory panel
