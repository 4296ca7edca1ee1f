from django.apps import AppConfig


class CosiaConfig(AppConfig):
    name = "communs.cosia"
    label = "cosia"
    verbose_name = "CoSIA"

    def ready(self):
        import communs.cosia.panels  # noqa: F401 (registers the territory panel)
        from communs.cosia import jobs  # noqa: F401 (registers the job kinds)
