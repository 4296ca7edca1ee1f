from django.apps import AppConfig


class EcospheresConfig(AppConfig):
    name = "communs.ecospheres"
    label = "ecospheres"
    verbose_name = "Écosphères"

    def ready(self):
        import communs.ecospheres.jobs  # noqa: F401 - registers the job kinds
        from communs.ecospheres.panel import register

        register()
