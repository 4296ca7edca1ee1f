from django.apps import AppConfig


class EstimactionConfig(AppConfig):
    name = "communs.estimaction"
    label = "estimaction"
    verbose_name = "Estim'Action"

    def ready(self):
        import communs.estimaction.jobs  # noqa: F401 - registers the job kinds
        import communs.estimaction.panels  # noqa: F401 - registers the territory panel
