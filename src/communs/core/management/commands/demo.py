"""`communs demo`: load the territorial reference and every available service's demo data.

Idempotent: running it twice changes nothing. Each app contributes `communs.<app>.demo.load_demo()`.
"""

import importlib
import importlib.util
from typing import Annotated

import typer
from django.apps import apps
from django.conf import settings
from django_typer.management import TyperCommand

from communs.core.cli import fail
from communs.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD


def demo_modules():
    """`communs.<app>.demo` modules in INSTALLED_APPS order (territoires, core, then services)."""
    for config in apps.get_app_configs():
        if config.name.startswith("communs.") and importlib.util.find_spec(f"{config.name}.demo"):
            yield config.verbose_name, importlib.import_module(f"{config.name}.demo")


class Command(TyperCommand):
    help = "Charge le référentiel territorial et les données de démonstration (idempotent)."

    def handle(
        self,
        accounts: Annotated[
            bool, typer.Option("--accounts", help="Affiche seulement les comptes de démonstration.")
        ] = False,
    ):
        if settings.PRODUCTION:
            fail("Les données de démonstration ne se chargent pas en production (COMMUNS_ENV=prod).")
        if not accounts:
            for label, module in demo_modules():
                self.stdout.write(f"Démonstration : {label}…")
                module.load_demo()
            self.stdout.write(self.style.SUCCESS("Données de démonstration chargées."))
            return
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.username:<16} {account.description}")
