"""`communs sirano schedule | import | remind`: SIRANo from the command line.

`schedule` is engine-only (no database). `import` reads legacy workbooks and writes all or nothing.
JSON keys are a contract (issue 14).
"""

import json as jsonlib
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

import typer
from django_typer.management import TyperCommand, command

from communs.core.cli import fail, print_json, stderr
from communs.sirano.engine.money import AmountError, format_cents, to_cents
from communs.sirano.engine.schedules import ScheduleError, parse_percents, split_award


class Command(TyperCommand):
    help = "SIRANo : échéanciers de financement et import de l'historique des projets de recherche."

    @command(help="Calcule les tranches d'un montant selon des pourcentages (somme 100), en centimes exacts.")
    def schedule(
        self,
        amount: Annotated[str, typer.Option("--amount", help="Montant attribué, ex. 500000.00")],
        tranches: Annotated[str, typer.Option("--tranches", help='Pourcentages, ex. "30,30,30,10"')],
        json: Annotated[bool, typer.Option("--json", help="Affiche le résultat en JSON.")] = False,
    ):
        try:
            award = Decimal(amount.replace(",", "."))
        except InvalidOperation:
            fail(f"--amount « {amount} » illisible (ex. 500000.00).")
        try:
            if not award.is_finite() or award <= 0:
                raise ScheduleError(f"le montant doit être positif (reçu « {amount} »)")
            cents = to_cents(award)
            if cents <= 0:
                raise ScheduleError(f"le montant doit être positif (reçu « {amount} »)")
            percents = parse_percents(tranches)
            amounts = split_award(cents, percents)
        except (ScheduleError, AmountError) as exc:
            fail(f"{exc}.")
        rows = [
            {"rank": rank, "percent": f"{percent.normalize():f}", "amount": format_cents(value)}
            for rank, (percent, value) in enumerate(zip(percents, amounts, strict=True), start=1)
        ]
        if json:
            print_json({"award": format_cents(cents), "tranches": rows})
            return
        for row in rows:
            self.stdout.write(f"T{row['rank']}  {row['percent']:>6} %  {row['amount']:>15}")

    @command(name="import", help="Importe des classeurs historiques (CSV, XLSX) : tout ou rien, avec un rapport.")
    def import_(
        self,
        files: Annotated[list[Path], typer.Argument(help="Fichiers CSV ou XLSX")],
        mapping: Annotated[
            Path | None, typer.Option("--mapping", help="Correspondance des colonnes (JSON {en-tête: champ})")
        ] = None,
        dry_run: Annotated[bool, typer.Option("--dry-run", help="Vérifie sans rien enregistrer.")] = False,
        json: Annotated[bool, typer.Option("--json", help="Affiche le rapport en JSON.")] = False,
    ):
        from communs.sirano import services
        from communs.sirano.engine.headers import check_mapping
        from communs.sirano.engine.legacy import LegacyFileError

        columns = None
        if mapping is not None:
            try:
                columns = jsonlib.loads(mapping.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                fail(f"{mapping} : correspondance illisible ({exc}).")
            problems = check_mapping(columns) if isinstance(columns, dict) else ["un objet JSON est attendu"]
            if problems:
                fail(f"{mapping} : " + " ; ".join(problems))
        payload = []
        for path in files:
            try:
                payload.append((path.name, path.read_bytes()))
            except OSError as exc:
                fail(f"{path} : {exc.strerror}.")
        try:
            plan = services.import_legacy(None, payload, columns, dry_run=dry_run)
        except LegacyFileError as exc:
            fail(str(exc))
        report = plan.report()
        if json:
            print_json(report)
        else:
            stderr.print(
                f"{report['rows']} lignes : {report['created']} créés, {report['merged']} fusionnées, "
                f"{len(report['conflicts'])} conflits, {len(report['rejected'])} rejets.",
                highlight=False,
            )
            for item in [*report["conflicts"], *report["rejected"]]:
                stderr.print(f"  ligne {item['row']} : {item['reason']}", highlight=False)
        if not plan.ok:
            raise SystemExit(1)

    @command(help="Liste les jalons à échéance (rappels) et les envoie par courriel si l'envoi est configuré.")
    def remind(
        self,
        days: Annotated[int, typer.Option("--days", help="Horizon en jours.")] = 30,
        email: Annotated[
            bool, typer.Option("--email", help="Envoie un courriel aux membres des établissements.")
        ] = False,
        json: Annotated[bool, typer.Option("--json", help="Affiche en JSON.")] = False,
    ):
        from communs.sirano import services

        sent, rows = services.send_reminders(days, email=email)
        if json:
            print_json({"reminders": rows, "emails": sent})
            return
        for row in rows:
            self.stdout.write(f"{row['planned_on']}  {row['project']:<22} {row['milestone']}")
        stderr.print(f"{len(rows)} rappel(s), {sent} courriel(s).", highlight=False)
