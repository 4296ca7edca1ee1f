"""`communs serve`: the production HTTP server (granian, WSGI) in front of the suite."""

import os
from typing import Annotated

import typer
from django_typer.management import TyperCommand


class Command(TyperCommand):
    help = "Sert Communs en production avec granian (statiques par whitenoise)."

    def handle(
        self,
        host: Annotated[str, typer.Option(help="Adresse d'écoute.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port d'écoute.")] = 8000,
        workers: Annotated[int, typer.Option(help="Processus de travail.")] = int(
            os.environ.get("WEB_CONCURRENCY", "2")
        ),
        threads: Annotated[int, typer.Option(help="Fils par processus.")] = 4,
    ):
        from granian import Granian
        from granian.constants import Interfaces

        Granian(
            "communs.site.wsgi:application",
            address=host,
            port=port,
            interface=Interfaces.WSGI,
            workers=workers,
            blocking_threads=threads,
        ).serve()
