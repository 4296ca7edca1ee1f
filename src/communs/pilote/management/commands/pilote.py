"""`communs pilote compute | recompute | export`: PILOTE from the command line.

`compute` is engine-only (no database): it reads INDICATORS.csv and VALUES.csv and prints the
progress rates, chantier progress and alerts. Conventions of `communs.core.cli`.
"""

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from django_typer.management import TyperCommand, command

from communs.core.cli import fail, print_json, stderr
from communs.pilote.engine.files import PiloteFileError, compute_files


def _parse_date(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"--date « {text} » invalide (attendu AAAA-MM-JJ).")


class Command(TyperCommand):
    help = "PILOTE : taux d'avancement, agrégats et alertes des politiques prioritaires."

    @command(help="Calcule TA, avancement des chantiers et alertes à partir de deux fichiers CSV (sans base).")
    def compute(
        self,
        indicators: Annotated[Path, typer.Option("--indicators", help="INDICATORS.csv")],
        values: Annotated[Path, typer.Option("--values", help="VALUES.csv")],
        on: Annotated[
            str | None, typer.Option("--date", help="Date de calcul AAAA-MM-JJ (aujourd'hui par défaut).")
        ] = None,
        meteo: Annotated[
            Path | None, typer.Option("--meteo", help="METEO.csv (chantier,territory) : active l'alerte météo.")
        ] = None,
        json: Annotated[bool, typer.Option("--json", help="Affiche le résultat en JSON.")] = False,
    ):
        as_of = _parse_date(on)
        try:
            result = compute_files(indicators, values, as_of, meteo)
        except PiloteFileError as exc:
            fail(str(exc))
        body = result.as_dict()
        if json:
            print_json(
                {
                    "as_of": body["as_of"],
                    "indicators": body["indicators"],
                    "chantiers": body["chantiers"],
                    "alerts": [
                        {key: alert[key] for key in ("kind", "chantier", "indicator", "territory")}
                        for alert in body["alerts"]
                    ],
                    "inconsistencies": body["inconsistencies"],
                }
            )
            return
        for row in body["chantiers"]:
            shown = "non calculable" if row["ta"] is None else f"{row['ta']:.1f} %"
            self.stdout.write(f"{row['chantier']:<20} {row['territory']:<10} {shown}")
        stderr.print(
            f"{len(body['alerts'])} alerte(s), {len(body['inconsistencies'])} incohérence(s).", highlight=False
        )

    @command(help="Liste les alertes calculées et leur règle.")
    def alertes(self, json: Annotated[bool, typer.Option("--json", help="Affiche en JSON.")] = False):
        from communs.pilote.engine.compute import ALERT_KINDS, GAP_THRESHOLD

        rows = [{"kind": kind, "label": label} for kind, label in ALERT_KINDS.items()]
        if json:
            print_json({"alerts": rows, "gap_threshold": GAP_THRESHOLD})
            return
        for row in rows:
            self.stdout.write(f"{row['kind']:<24} {row['label']}")
