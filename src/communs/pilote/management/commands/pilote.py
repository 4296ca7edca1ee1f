"""`communs pilote compute | recompute | export`: PILOTE from the command line.

`compute` is engine-only (no database): it reads INDICATORS.csv and VALUES.csv and prints the
progress rates, chantier progress and alerts. Conventions of `communs.core.cli`.
"""

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from django_typer.management import TyperCommand, command

from communs.core.cli import EXIT_NOT_FOUND, fail, print_json, stderr
from communs.pilote import territories
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
            result = compute_files(indicators, values, as_of, meteo, axis=territories.axis_from_reference_file())
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

    @command(help="Recalcule les résultats stockés (TA, agrégats, alertes) de tous les chantiers ou d'un seul.")
    def recompute(
        self,
        chantier: Annotated[str | None, typer.Option("--chantier", help="Code du chantier (tous par défaut).")] = None,
        on: Annotated[
            str | None, typer.Option("--date", help="Date de calcul AAAA-MM-JJ (aujourd'hui par défaut).")
        ] = None,
        json: Annotated[bool, typer.Option("--json", help="Affiche le bilan en JSON.")] = False,
    ):
        from communs.pilote import selectors, services
        from communs.pilote.models import AlertRecord, ChantierResult

        as_of = _parse_date(on)
        if chantier:
            found = selectors.get_chantier(chantier)
            if found is None:
                fail(f"Chantier « {chantier} » inconnu.", EXIT_NOT_FOUND)
            services.recompute_chantier(found, as_of)
            count = 1
        else:
            count = services.recompute_all(as_of)
        body = {
            "as_of": as_of.isoformat(),
            "chantiers": count,
            "results": ChantierResult.objects.count(),
            "alerts": AlertRecord.objects.count(),
        }
        if json:
            print_json(body)
            return
        self.stdout.write(self.style.SUCCESS(f"{count} chantier(s) recalculé(s), {body['alerts']} alerte(s)."))

    @command(help="Écrit l'export open data des indicateurs publiés (CSV, Parquet et métadonnées JSON).")
    def export(
        self,
        directory: Annotated[Path, typer.Argument(help="Dossier de destination (créé si besoin).")],
        json: Annotated[bool, typer.Option("--json", help="Affiche les fichiers écrits en JSON.")] = False,
    ):
        import json as json_module

        from communs.pilote import services

        directory.mkdir(parents=True, exist_ok=True)
        files = {
            "csv": directory / "pilote-indicateurs.csv",
            "parquet": directory / "pilote-indicateurs.parquet",
            "metadata": directory / "pilote-indicateurs.json",
        }
        files["csv"].write_bytes(services.open_data_csv())
        files["parquet"].write_bytes(services.open_data_parquet())
        files["metadata"].write_text(
            json_module.dumps(services.open_data_metadata(), ensure_ascii=False, indent=2), encoding="utf-8"
        )
        body = {name: str(path) for name, path in files.items()}
        if json:
            print_json(body)
            return
        for path in files.values():
            self.stdout.write(str(path))
