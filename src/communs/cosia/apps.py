from django.apps import AppConfig


class CosiaConfig(AppConfig):
    name = "communs.cosia"
    label = "cosia"
    verbose_name = "CoSIA"

    def ready(self):
        from communs.cosia import jobs  # noqa: F401 (registers the job kinds)
