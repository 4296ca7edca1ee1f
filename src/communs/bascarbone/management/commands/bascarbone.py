"""`communs bascarbone compute | factors | import-factors | export`: État bas carbone from the command line.

Conventions of `communs.core.cli`: `--json` prints one JSON document on stdout, human output goes
to stderr, errors exit non-zero naming the file, line and field at fault. `compute` and `factors`
use the engine only (no database).
"""

from pathlib import Path
from typing import Annotated

import typer
from django_typer.management import TyperCommand, command

from communs.bascarbone.engine.export import summary
from communs.bascarbone.engine.factors import FactorFileError, load_starter_set, read_base_empreinte
from communs.bascarbone.engine.gwp import DEFAULT_GWP_SET, GWP_SETS
from communs.bascarbone.engine.imports import ActivityFileError, read_activities
from communs.bascarbone.engine.inventory import InventoryError, compute_inventory
from communs.bascarbone.engine.organisation import OrganisationError, read_tree
from communs.core.cli import fail, print_json, stderr


def _read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        fail(f"{path} : lecture impossible ({exc.strerror or exc}).")
    return b""  # pragma: no cover - fail() exits


class Command(TyperCommand):
    help = "État bas carbone : calcul de BEGES, facteurs d'émission, exports."

    @command(help="Calcule un bilan (moteur seul, sans base de données) depuis un CSV d'activités.")
    def compute(
        self,
        activities: Annotated[Path, typer.Argument(help="CSV : entity, post, factor_id, quantity, unit, …")],
        factors: Annotated[
            Path | None, typer.Option("--factors", help="Export CSV de Base Empreinte (par défaut : jeu de départ).")
        ] = None,
        entities: Annotated[
            Path | None, typer.Option("--entities", help="Arborescence CSV : id,parent_id,name.")
        ] = None,
        monte_carlo: Annotated[int, typer.Option("--monte-carlo", min=0, help="Nombre de tirages Monte Carlo.")] = 0,
        seed: Annotated[int, typer.Option("--seed", help="Graine du Monte Carlo.")] = 20260101,
        distribution: Annotated[
            str, typer.Option("--distribution", help="Loi des facteurs au Monte Carlo : lognormal ou normal.")
        ] = "lognormal",
        gwp_set: Annotated[str, typer.Option("--gwp", help=f"Jeu de PRG ({', '.join(GWP_SETS)}).")] = DEFAULT_GWP_SET,
        json: Annotated[bool, typer.Option("--json", help="Affiche le résultat en JSON.")] = False,
    ):
        if gwp_set not in GWP_SETS:
            fail(f"--gwp « {gwp_set} » inconnu (attendu : {', '.join(GWP_SETS)}).")
        if distribution not in {"lognormal", "normal"}:
            fail(f"--distribution « {distribution} » inconnue (attendu : lognormal ou normal).")
        try:
            factor_set = (
                read_base_empreinte(_read_file(factors), filename=str(factors), version=factors.name)
                if factors
                else load_starter_set()
            )
            organisation = read_tree(_read_file(entities), filename=str(entities)) if entities else None
            imported = read_activities(_read_file(activities), activities.name, format="generic")
        except (FactorFileError, OrganisationError, ActivityFileError) as exc:
            fail(str(exc))
        if imported.errors:
            fail(f"{activities} : " + "; ".join(str(error) for error in imported.errors[:10]))
        try:
            result = compute_inventory(
                imported.lines,
                factor_set,
                organisation=organisation,
                gwp_set=gwp_set,
                monte_carlo_draws=monte_carlo,
                seed=seed,
                distribution=distribution,
            )
        except InventoryError as exc:
            fail(f"{activities}, {exc}")
        document = summary(result)
        if json:
            print_json(document)
            return
        stderr.print(f"Facteurs : {result.factor_version} ; PRG : {result.gwp_set}", highlight=False)
        for code, value in document["posts"].items():
            stderr.print(f"  poste {code:<4} {value:>12.3f} tCO2e", highlight=False)
        self.stdout.write(
            f"Total : {document['total_tco2e']:.3f} tCO2e ± {document['uncertainty_tco2e']:.3f} t (95 %, approche 1)"
        )
        if "monte_carlo" in document:
            self.stdout.write(
                f"Monte Carlo ({monte_carlo} tirages) : ± {document['monte_carlo']['uncertainty_tco2e']:.3f} t"
            )

    @command(help="Liste les facteurs du jeu de départ (ou d'un export Base Empreinte).")
    def factors(
        self,
        file: Annotated[Path | None, typer.Option("--file", help="Export CSV de Base Empreinte.")] = None,
        json: Annotated[bool, typer.Option("--json", help="Affiche la liste en JSON.")] = False,
    ):
        try:
            factor_set = read_base_empreinte(_read_file(file), filename=str(file)) if file else load_starter_set()
        except FactorFileError as exc:
            fail(str(exc))
        rows = [
            {
                "id": f.id,
                "name": f.name,
                "unit": f.unit,
                "total": f.total,
                "uncertainty_pct": round(f.uncertainty * 100, 3),
                "gas": f.gas,
                "post": f.post,
                "source": f.source,
                "year": f.year,
                "status": f.status,
            }
            for f in factor_set.factors.values()
        ]
        if json:
            print_json({"version": factor_set.version, "source": factor_set.source, "factors": rows})
            return
        for row in rows:
            self.stdout.write(f"{row['id']:<26} {row['total']:>10} {row['unit']:<22} {row['name']}")

    @command(name="import-factors", help="Importe un export Base Empreinte comme nouvelle version de facteurs.")
    def import_factors(
        self,
        file: Annotated[Path, typer.Argument(help="Export CSV de Base Empreinte.")],
        release: Annotated[str, typer.Option("--release", help="Nom de la version importée, par exemple « v23.4 ».")],
        json: Annotated[bool, typer.Option("--json", help="Affiche le bilan en JSON.")] = False,
    ):
        from django.core.exceptions import ValidationError

        from communs.bascarbone import services

        try:
            base = services.import_factor_base(_read_file(file), filename=str(file), version=release)
        except FactorFileError as exc:
            fail(str(exc))
        except ValidationError as exc:
            fail(" ".join(exc.messages))
        result = {"version": base.version, "factors": base.factors.count()}
        if json:
            print_json(result)
            return
        self.stdout.write(self.style.SUCCESS(f"{result['factors']} facteurs importés (version {base.version})."))
