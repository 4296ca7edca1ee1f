from django.apps import AppConfig


class TerritoiresConfig(AppConfig):
    name = "communs.territoires"
    label = "territoires"
    verbose_name = "Référentiel territorial"

    def ready(self):
        # Core's scope checks need to know which département a commune is in; core never imports
        # territoires (layers), so the reference registers itself here.
        from communs.core.scopes import register_resolver
        from communs.territoires.selectors import ReferenceResolver

        register_resolver(ReferenceResolver())
        import communs.territoires.jobs  # noqa: F401 - registers the job kinds
