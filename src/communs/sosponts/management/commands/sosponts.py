"""`communs sosponts import-questions | similar | triage | follow-ups`: SOS Ponts from the command line.

Conventions of `communs.core.cli`: `--json` prints one JSON document on stdout; errors exit non-zero and
name the file, line and field at fault. `triage` uses the engine only (no database).
"""

from pathlib import Path
from typing import Annotated

import typer
from django_typer.management import TyperCommand, command

from communs.core.cli import fail, print_json, stderr


class Command(TyperCommand):
    help = "SOS Ponts : questions des communes sur leurs ponts, tri d'urgence, questions similaires."

    @command(
        name="import-questions", help="Importe des questions (JSON Lines : title, body, answer, commune, published)."
    )
    def import_questions(
        self,
        path: Annotated[Path, typer.Argument(help="Fichier .jsonl, un objet par ligne.")],
        json: Annotated[bool, typer.Option("--json", help="Affiche le résultat en JSON.")] = False,
    ):
        from communs.sosponts import services
        from communs.sosponts.engine.imports import read_questions

        try:
            data = path.read_bytes()
        except OSError as exc:
            fail(f"{path} : lecture impossible ({exc.strerror or exc}).")
        rows, rejected = read_questions(data, path.name)
        imported = 0 if rejected else services.import_questions(rows)
        document = {"imported": imported, "rejected": [item.as_json() for item in rejected]}
        if json:
            print_json(document)
        else:
            stderr.print(f"{imported} question(s) importée(s).")
            for item in rejected:
                stderr.print(f"[red]Refusée[/] : {item.reason}", highlight=False)
        if rejected:
            raise SystemExit(1)

    @command(help="Les questions publiées et les fiches les plus proches d'un texte.")
    def similar(
        self,
        text: Annotated[str, typer.Argument(help="Le texte de la question.")],
        limit: Annotated[int, typer.Option("--limit", min=1, max=50, help="Nombre de résultats.")] = 5,
        json: Annotated[bool, typer.Option("--json", help="Affiche le résultat en JSON.")] = False,
    ):
        from communs.sosponts import selectors

        hits = [
            {"id": hit.key, "title": hit.title, "score": hit.score} for hit in selectors.similar(text, limit=limit)
        ]
        if json:
            print_json(hits)
        else:
            for hit in hits:
                stderr.print(f"{hit['score']:>7.3f}  {hit['title']}  ({hit['id']})", highlight=False)

    @command(help="Urgence d'une situation décrite (moteur seul, sans base de données).")
    def triage(
        self,
        text: Annotated[str, typer.Argument(help="Ce que la commune constate.")],
        iqoa_class: Annotated[str, typer.Option("--class", help="Classe IQOA (1, 2, 2E, 3, 3U, suffixe S, NE).")] = "",
        json: Annotated[bool, typer.Option("--json", help="Affiche le résultat en JSON.")] = False,
    ):
        from communs.sosponts.engine.ouvrages import ClassError
        from communs.sosponts.engine.triage import triage

        try:
            result = triage(text, iqoa_class)
        except ClassError as exc:
            fail(f"--class : {exc}")
        if json:
            print_json(result.as_json())
        else:
            stderr.print(f"Urgence : {result.urgency}")
            for reason in result.reasons:
                stderr.print(f" - {reason}", highlight=False)

    @command(name="follow-ups", help="Demande « qu'avez-vous fait ? » aux communes dont la réponse a un mois.")
    def follow_ups(self, json: Annotated[bool, typer.Option("--json", help="Affiche le résultat en JSON.")] = False):
        from communs.sosponts import services

        asked = services.ask_follow_ups()
        if json:
            print_json({"asked": [question.pk for question in asked]})
        else:
            stderr.print(f"{len(asked)} suivi(s) demandé(s).")
