from django.apps import AppConfig


class PiloteConfig(AppConfig):
    name = "communs.pilote"
    label = "pilote"
    verbose_name = "PILOTE"

    def ready(self):
        import communs.pilote.jobs  # noqa: F401 - registers the job kinds
        import communs.pilote.panels  # noqa: F401 - registers the territory panel
        from communs.territoires.signals import reference_changed

        reference_changed.connect(_clear_territories_cache, dispatch_uid="pilote.territories")


def _clear_territories_cache(**kwargs) -> None:
    """Imports the territories module (numpy) when the reference changes, not when Django starts."""
    from communs.pilote.territories import clear_cache

    clear_cache(**kwargs)
