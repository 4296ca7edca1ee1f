from django.apps import AppConfig


class ChampollionConfig(AppConfig):
    name = "communs.champollion"
    label = "champollion"
    verbose_name = "Champollion"

    def ready(self):
        import communs.champollion.jobs  # noqa: F401 - registers the job kinds
        import communs.champollion.panels  # noqa: F401 - registers the territory panel
