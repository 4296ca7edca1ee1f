"""`communs champollion analyse | import | demo-data`: DSN analysis from the command line.

Conventions of `communs.core.cli`: `--json` prints one JSON document on stdout, progress and
human output go to stderr, errors exit non-zero naming the file, line or field at fault.
`analyse` and `demo-data` never touch the database.
"""

from pathlib import Path
from typing import Annotated

import typer
from django_typer.management import TyperCommand, command

from communs.champollion.engine.analysis import analyse_paths, analysis_as_dict
from communs.champollion.engine.calendars import CalendarFileError, read_calendar_csv
from communs.champollion.engine.dsn_reader import expand_paths
from communs.champollion.engine.synthetic import generate
from communs.champollion.keys import pseudonym_key
from communs.core.cli import fail, print_json, progress_bar, stderr


def _existing(paths: list[Path]) -> list[Path]:
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        fail(f"introuvable : {', '.join(missing)}")
    files = expand_paths(paths)
    if not files:
        fail("aucun fichier DSN dans les chemins donnés.")
    return files


class Command(TyperCommand):
    help = "Champollion : DSN → contrats précaires, infractions et ciblage des contrôles."

    @command(help="Analyse des fichiers ou dossiers DSN sans base de données (lecture, consolidation, règles).")
    def analyse(
        self,
        paths: Annotated[list[Path], typer.Argument(help="Fichiers DSN ou dossiers.")],
        calendar: Annotated[
            Path | None,
            typer.Option("--calendar", help="CSV siret,weekdays,closed_dates,holidays_closed (jours d'ouverture)."),
        ] = None,
        json: Annotated[bool, typer.Option("--json", help="Affiche le résultat en JSON.")] = False,
    ):
        files = _existing(paths)
        calendars = None
        if calendar is not None:
            try:
                calendars = read_calendar_csv(calendar)
            except CalendarFileError as exc:
                fail(str(exc))
        with progress_bar("Fichiers DSN", total=len(files), enabled=not json) as advance:
            analysis = analyse_paths(files, key=pseudonym_key(), calendars=calendars, on_declaration=advance)
        body = analysis_as_dict(analysis)
        if json:
            print_json(body)
            return
        for issue in analysis.issues[:50]:
            stderr.print(f"[{'red' if issue.severity == 'error' else 'yellow'}]{issue}[/]", highlight=False)
        summary = body["summary"]
        self.stdout.write(
            f"{summary['lines']} lignes, {summary['declarations_kept']}/{summary['declarations_read']} déclarations "
            f"retenues, {len(body['contracts'])} contrats, {len(body['findings'])} constats."
        )
        for finding in analysis.findings:
            self.stdout.write(
                f"[{finding.status}] {finding.rule} {finding.siret} {finding.contract} : {finding.explanation}"
            )
        for score in analysis.scores[:10]:
            self.stdout.write(f"{score.siret}  score {score.risk_score:6.2f}  ({score.findings} constats)")

    @command(name="import", help="Importe des fichiers ou dossiers DSN en base et relance l'analyse. Idempotent.")
    def import_(
        self,
        paths: Annotated[list[Path], typer.Argument(help="Fichiers DSN ou dossiers.")],
        json: Annotated[bool, typer.Option("--json", help="Affiche le bilan en JSON.")] = False,
    ):
        from communs.champollion import services

        files = _existing(paths)
        with progress_bar("Import DSN", total=len(files) + 1, enabled=not json) as advance:
            report = services.import_paths(files, advance=advance)
        if json:
            print_json(report)
            return
        for issue in report["issues"][:50]:
            stderr.print(
                f"{issue['file']}, ligne {issue['line']} {issue['field']} : {issue['message']}", highlight=False
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{report['new_files']} nouveau(x) fichier(s), {report['known_files']} déjà importé(s) ; "
                f"{report['establishments']} établissements, {report['contracts']} contrats, "
                f"{report['findings']} constats."
            )
        )

    @command(name="demo-data", help="Écrit des DSN synthétiques (syntaxe réelle, infractions injectées).")
    def demo_data(
        self,
        out: Annotated[Path, typer.Option("--out", help="Dossier de sortie.")],
        establishments: Annotated[int, typer.Option("--establishments", min=1, max=100000)] = 20,
        months: Annotated[int, typer.Option("--months", min=1, max=120)] = 24,
        seed: Annotated[int, typer.Option("--seed")] = 0,
        json: Annotated[bool, typer.Option("--json", help="Affiche le bilan en JSON.")] = False,
    ):
        stats = generate(out, establishments=establishments, months=months, seed=seed)
        if json:
            print_json(stats)
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{stats['files']} fichiers, {stats['lines']} lignes écrits dans {out} "
                f"({len(stats['injected'])} infractions injectées)."
            )
        )
