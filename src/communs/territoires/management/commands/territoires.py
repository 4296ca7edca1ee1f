"""`communs territoires load | contours | search`: the territorial reference from the command line.

Conventions of `communs.core.cli`: `--json` prints one JSON document on stdout, progress and
human output go to stderr, errors exit non-zero naming the file or field at fault.
"""

from pathlib import Path
from typing import Annotated

import typer
from django_typer.management import TyperCommand, command

from communs.core.cli import EXIT_NOT_FOUND, fail, print_json, progress_bar, stderr
from communs.territoires import selectors, services
from communs.territoires.engine.contours import ContoursFileError
from communs.territoires.engine.reference import REFERENCE_FILE, ReferenceFileError
from communs.territoires.models import ContourLevel


class Command(TyperCommand):
    help = "Référentiel territorial : chargement, contours, recherche."
    # Django's system checks import every URL and view, hence every service's heavy libraries:
    # seconds before a search answers. `communs check` and the server still run them.
    requires_system_checks = []

    @command(help="Charge ou met à jour le référentiel (régions, départements, EPCI, communes). Idempotent.")
    def load(
        self,
        file: Annotated[Path, typer.Option("--file", help="Fichier de référence (par défaut : celui du dépôt).")] = (
            REFERENCE_FILE
        ),
        json: Annotated[
            bool, typer.Option("--json", help="Affiche les comptes en JSON sur la sortie standard.")
        ] = False,
    ):
        try:
            with progress_bar("Référentiel territorial", enabled=not json) as advance:
                result = services.load_reference(file, advance=advance)
        except ReferenceFileError as exc:
            fail(str(exc))
        if json:
            print_json(result)
            return
        for level in ("regions", "departements", "epci", "communes"):
            counts = result[level]
            stderr.print(
                f"{level:<13} créés {counts['created']:>6}  modifiés {counts['updated']:>6}  "
                f"inchangés {counts['unchanged']:>6}  obsolètes {counts['obsolete']:>4}",
                highlight=False,
            )
        self.stdout.write(self.style.SUCCESS(f"Référentiel {result['source']['version']} chargé."))

    @command(help="Importe des contours (GeoJSON, GeoPackage…) pour un niveau, en remplaçant ceux déjà connus.")
    def contours(
        self,
        file: Annotated[Path, typer.Argument(help="Fichier vectoriel (GeoJSON, GeoPackage, Shapefile…).")],
        level: Annotated[
            str, typer.Option("--level", help="commune, departement, region ou epci.")
        ] = ContourLevel.COMMUNE.value,
        code_property: Annotated[
            str | None, typer.Option("--code-property", help="Propriété du code INSEE (détectée sinon).")
        ] = None,
        tolerance: Annotated[
            float, typer.Option("--tolerance", min=0, help="Tolérance de simplification en mètres (0 : aucune).")
        ] = 0.0,
        layer: Annotated[str | None, typer.Option("--layer", help="Couche à lire (GeoPackage).")] = None,
        json: Annotated[bool, typer.Option("--json", help="Affiche le bilan en JSON.")] = False,
    ):
        if level not in ContourLevel.values:
            fail(f"--level « {level} » inconnu (attendu : {', '.join(ContourLevel.values)}).")
        try:
            with progress_bar(f"Contours {file.name}", enabled=not json) as advance:
                result = services.import_contours(
                    file, level=level, code_property=code_property, tolerance_m=tolerance, layer=layer, advance=advance
                )
        except ContoursFileError as exc:
            fail(str(exc))
        if json:
            print_json(result)
            return
        if result["unknown_codes"]:
            shown = ", ".join(result["unknown_codes"][:10])
            stderr.print(
                f"{len(result['unknown_codes'])} code(s) absent(s) du référentiel : {shown}…", highlight=False
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{result['imported']} contour(s) {level} importé(s) depuis {file} "
                f"(propriété « {result['code_property']} », {result['replaced']} remplacé(s))."
            )
        )

    @command(help="Cherche des communes par nom, code INSEE ou code postal.")
    def search(
        self,
        query: Annotated[str, typer.Argument(help="Nom, code INSEE ou code postal.")],
        limit: Annotated[int, typer.Option("--limit", min=1, max=selectors.MAX_LIMIT)] = 10,
        json: Annotated[bool, typer.Option("--json", help="Affiche les résultats en JSON.")] = False,
    ):
        found = selectors.search_communes(query, limit)
        rows = [
            {
                "code": c.code,
                "nom": c.nom,
                "departement": c.departement_id,
                "region": c.region_id,
                "epci": c.epci_id,
                "population": c.population,
                "codes_postaux": c.postcode_list,
                **({"ancien_nom": c.former_name} if getattr(c, "former_name", "") else {}),
            }
            for c in found
        ]
        if json:
            print_json(rows)
        else:
            for row in rows:
                self.stdout.write(
                    f"{row['code']}  {row['nom']}"
                    + (f" (ancienne commune {row['ancien_nom']})" if "ancien_nom" in row else "")
                    + f"  (dép. {row['departement']}, région {row['region']}, "
                    f"{row['population'] or '?'} hab.)"
                )
        if not rows:
            fail(f"Aucune commune ne correspond à « {query} ».", EXIT_NOT_FOUND)
