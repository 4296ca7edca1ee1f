from django.apps import AppConfig


class InondataConfig(AppConfig):
    name = "communs.inondata"
    label = "inondata"
    verbose_name = "Inondata"

    def ready(self):
        from communs.inondata import jobs  # noqa: F401 (registers the job kinds)
        from communs.inondata.panel import register

        register()
