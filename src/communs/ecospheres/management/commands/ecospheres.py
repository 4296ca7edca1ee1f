"""`communs ecospheres harvest | dedup | quality`: Écosphères from the command line.

JSON shapes are a contract (issue 13):
- harvest → {"seen", "created", "updated", "unchanged", "archived", "errors": [...]}
- dedup → {"clusters": [{"dataset", "identifier", "sources": [{"source", "remote_id"}]}],
           "candidates": [{"a", "b", "score"}]}
- quality → {"score", "max", "criteria": [{"id", "passed", "advice"}]} (no database)
"""

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from django_typer.management import TyperCommand, command

from communs.core.cli import fail, print_json, stderr


class Command(TyperCommand):
    help = "Écosphères : moissonnage des catalogues, dédoublonnage et qualité des métadonnées."

    @command(help="Moissonne une source (URL, fichier ou dossier) et met le catalogue à jour.")
    def harvest(
        self,
        source: Annotated[str, typer.Argument(help="URL, fichier ou dossier local.")],
        kind: Annotated[str, typer.Option("--kind", help="dcat, csw, ckan ou udata.")],
        name: Annotated[str | None, typer.Option("--name", help="Nom de la source (l'adresse par défaut).")] = None,
        grace_days: Annotated[
            int | None, typer.Option("--grace-days", help="Délai avant archivage des disparus (jours).")
        ] = None,
        json: Annotated[bool, typer.Option("--json", help="Affiche le rapport en JSON.")] = False,
    ):
        from communs.ecospheres import services
        from communs.ecospheres.engine.fetch import HarvestError, is_url
        from communs.ecospheres.engine.harvest import KINDS
        from communs.ecospheres.models import HarvestSource

        if kind not in KINDS:
            fail(f"--kind « {kind} » inconnu (attendu : {', '.join(KINDS)}).")
        location = source if is_url(source) else str(Path(source).resolve())
        if not is_url(source) and not Path(source).exists():
            fail(f"{source} : fichier ou dossier introuvable.")
        found = HarvestSource.objects.filter(name=name or location).first()
        if found is None:
            found = services.add_source(None, name=name or location, kind=kind, url=location)
        elif (found.kind, found.url) != (kind, location):
            found = services.add_source(
                None, name=found.name, kind=kind, url=location, schedule=found.schedule, grace_days=found.grace_days
            )
        if grace_days is not None and grace_days != found.grace_days:
            found.grace_days = grace_days
            found.save(update_fields=["grace_days"])
        try:
            report = services.run_harvest(found)
        except HarvestError as exc:
            fail(f"Moissonnage échoué : {exc}")
        body = {key: report[key] for key in ("seen", "created", "updated", "unchanged", "archived", "errors")}
        if json:
            print_json(body)
            return
        self.stdout.write(
            f"{body['seen']} vu(s) : {body['created']} créé(s), {body['updated']} modifié(s), "
            f"{body['unchanged']} inchangé(s), {body['archived']} archivé(s), {len(body['errors'])} erreur(s)."
        )
        for error in body["errors"]:
            stderr.print(f"{error['record']} : {error['reason']}", highlight=False)

    @command(help="Reconstruit les regroupements et liste les jeux à plusieurs sources et les doublons possibles.")
    def dedup(self, json: Annotated[bool, typer.Option("--json", help="Affiche en JSON.")] = False):
        from communs.ecospheres import selectors, services

        services.rebuild_catalogue()
        body = {
            "clusters": selectors.clusters(),
            "candidates": [
                {"a": c.a.slug if c.a else c.identifier_a, "b": c.b.slug if c.b else c.identifier_b, "score": c.score}
                for c in selectors.candidates()
            ],
        }
        if json:
            print_json(body)
            return
        for cluster in body["clusters"]:
            names = ", ".join(f"{s['source']} ({s['remote_id']})" for s in cluster["sources"])
            self.stdout.write(f"{cluster['dataset']} : {names}")
        self.stdout.write(f"{len(body['candidates'])} doublon(s) possible(s).")

    @command(help="Note les métadonnées d'un jeu (JSON udata, JSON CKAN ou fichier DCAT d'un seul jeu).")
    def quality(
        self,
        file: Annotated[Path, typer.Argument(help="Le fichier du jeu de données.")],
        on: Annotated[str | None, typer.Option("--date", help="Date d'évaluation AAAA-MM-JJ.")] = None,
        json: Annotated[bool, typer.Option("--json", help="Affiche en JSON.")] = False,
    ):
        from communs.ecospheres.engine.fetch import HarvestError
        from communs.ecospheres.engine.quality import evaluate
        from communs.ecospheres.engine.single import read_one

        if not file.is_file():
            fail(f"{file} : fichier introuvable.")
        try:
            today = date.fromisoformat(on) if on else date.today()
        except ValueError:
            fail(f"--date « {on} » invalide (attendu AAAA-MM-JJ).")
        try:
            result = evaluate(read_one(file), today)
        except HarvestError as exc:
            fail(str(exc))
        body = {
            "score": result.score,
            "max": result.max,
            "criteria": [{"id": c["id"], "passed": c["passed"], "advice": c["advice"]} for c in result.criteria],
        }
        if json:
            print_json(body)
            return
        self.stdout.write(f"Qualité : {result.score}/{result.max}")
        for criterion in result.criteria:
            mark = "✓" if criterion["passed"] else "✗"
            self.stdout.write(
                f"{mark} {criterion['label']}" + ("" if criterion["passed"] else f" — {criterion['advice']}")
            )
