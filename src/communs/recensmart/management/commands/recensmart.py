"""`communs recensmart validate | simulate`: questionnaires from the command line.

Both verbs are engine-only (no database). `--json` prints one JSON document on stdout; errors
go to stderr and exit 1 naming the file, the component and the field.
"""

import json as jsonlib
from pathlib import Path
from typing import Annotated

import typer
from django_typer.management import TyperCommand, command

from communs.core.cli import fail, print_json, stderr
from communs.recensmart.engine.formats import read_questionnaire
from communs.recensmart.engine.model import SchemaError
from communs.recensmart.engine.runtime import simulate as run_simulation


class Command(TyperCommand):
    help = "Recens'smart : validation et simulation de questionnaires (Lunatic JSON, XLSForm)."

    @command(help="Valide un questionnaire Lunatic JSON ou XLSForm : code 0, ou 1 avec les erreurs localisées.")
    def validate(
        self,
        file: Annotated[Path, typer.Argument(help="Questionnaire (.json Lunatic ou .xlsx XLSForm).")],
        json: Annotated[bool, typer.Option("--json", help="Bilan en JSON sur la sortie standard.")] = False,
    ):
        try:
            questionnaire = read_questionnaire(file)
        except SchemaError as exc:
            if json:
                print_json({"file": str(file), "valid": False, "errors": exc.errors, "warnings": []})
                raise SystemExit(1) from exc
            fail(str(exc))
        components = list(questionnaire.walk())
        summary = {
            "file": str(file),
            "valid": True,
            "id": questionnaire.id,
            "format": questionnaire.source_format,
            "components": len(components),
            "variables": len(questionnaire.variables),
            "errors": [],
            "warnings": questionnaire.warnings,
        }
        if json:
            print_json(summary)
            return
        for warning in questionnaire.warnings:
            stderr.print(f"avertissement : {warning}", highlight=False, markup=False)
        self.stdout.write(
            self.style.SUCCESS(
                f"{file.name} : valide ({len(components)} composants, {len(questionnaire.variables)} variables)."
            )
        )

    @command(help="Parcourt le questionnaire comme un répondant qui répond d'après ANSWERS.json.")
    def simulate(
        self,
        file: Annotated[Path, typer.Argument(help="Questionnaire (.json Lunatic ou .xlsx XLSForm).")],
        answers: Annotated[Path, typer.Option("--answers", help="Réponses {variable: valeur} en JSON.")],
        json: Annotated[bool, typer.Option("--json", help="Résultat en JSON sur la sortie standard.")] = False,
    ):
        try:
            questionnaire = read_questionnaire(file)
        except SchemaError as exc:
            fail(str(exc))
        try:
            values = jsonlib.loads(answers.read_text(encoding="utf-8"))
        except FileNotFoundError:
            fail(f"{answers} : fichier introuvable")
        except jsonlib.JSONDecodeError as exc:
            fail(f"{answers.name} : ligne {exc.lineno}, colonne {exc.colno} : JSON invalide ({exc.msg})")
        if not isinstance(values, dict):
            fail(f"{answers.name} : un objet {{variable: valeur}} est attendu")
        result = run_simulation(questionnaire, values)
        if json:
            print_json(result)
            return
        stderr.print(f"Pages : {' → '.join(result['pages'])}", highlight=False, markup=False)
        for warning in result["warnings"]:
            stderr.print(f"avertissement page {warning['page']} : {warning['message']}", highlight=False, markup=False)
        if result["blocked"]:
            blocked = result["blocked"]
            fail(f"bloqué page {blocked['page']} ({blocked['control']}) : {blocked['message']}")
        self.stdout.write(self.style.SUCCESS(f"Questionnaire complété en {len(result['pages'])} pages."))
