from django.apps import AppConfig


class EstimactionConfig(AppConfig):
    name = "communs.estimaction"
    label = "estimaction"
    verbose_name = "Estim'Action"
