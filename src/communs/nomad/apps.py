from django.apps import AppConfig


class NomadConfig(AppConfig):
    name = "communs.nomad"
    label = "nomad"
    verbose_name = "Nomad"

    def ready(self):
        import communs.nomad.jobs  # noqa: F401 - registers the job kinds
        from communs.nomad.panels import register

        register()
