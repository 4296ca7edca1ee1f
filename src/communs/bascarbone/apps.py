from django.apps import AppConfig


class BascarboneConfig(AppConfig):
    name = "communs.bascarbone"
    label = "bascarbone"
    verbose_name = "État bas carbone"
