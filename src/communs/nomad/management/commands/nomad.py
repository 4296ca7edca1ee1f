"""`communs nomad import-spaces | declare | availability | book | release | forecast`: Nomad from a shell.

JSON shapes are a contract (issue 16). Exit codes: 0 done; 1 bad input or refused by the rules (beyond
the weekly cap, desk not bookable that day); 2 unknown user, desk or site; 3 already taken (the desk
or the person already has a booking that day).
"""

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django_typer.management import TyperCommand, command

from communs.core.cli import EXIT_INPUT_ERROR, EXIT_NOT_FOUND, fail, print_json, stderr

EXIT_TAKEN = 3
JSON = Annotated[bool, typer.Option("--json", help="Affiche le résultat en JSON.")]


def _date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"{option} « {text} » invalide (attendu AAAA-MM-JJ).")


def _user(username: str):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        fail(f"--user : utilisateur « {username} » inconnu.", EXIT_NOT_FOUND)
    return user


def _desk(code: str):
    from communs.nomad.models import Desk

    desk = Desk.objects.select_related("zone__floor__building__site__organisation").filter(code=code).first()
    if desk is None:
        fail(f"--desk : poste « {code} » inconnu.", EXIT_NOT_FOUND)
    return desk


class Command(TyperCommand):
    help = "Nomad : espaces, déclarations de télétravail et d'absence, réservations de postes."

    @command(name="import-spaces", help="Importe FILE.csv (site,building,floor,zone,zone_kind,desk,owner,features).")
    def import_spaces(
        self,
        file: Annotated[Path, typer.Argument(help="Fichier CSV des espaces")],
        organisation: Annotated[
            str | None, typer.Option("--organisation", help="Organisation des sites créés (slug)")
        ] = None,
        commune: Annotated[str, typer.Option("--commune", help="Code INSEE de la commune des sites créés")] = "",
        json: JSON = False,
    ):
        from communs.nomad import services
        from communs.nomad.engine.spaces import SpacesFileError
        from communs.nomad.models import Organisation

        if not file.is_file():
            fail(f"{file} : fichier introuvable.", EXIT_NOT_FOUND)
        raw = file.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        org = None
        if organisation:
            org = Organisation.objects.filter(slug=organisation).first()
            if org is None:
                fail(f"--organisation « {organisation} » inconnue.", EXIT_NOT_FOUND)
        try:
            result = services.import_spaces(text, organisation=org, commune=commune)
        except SpacesFileError as exc:
            fail(f"{file}, {exc}")
        body = result.as_dict()
        if json:
            print_json(body)
            return
        self.stdout.write(
            f"{body['desks']} poste(s) : {body['created']} créé(s), {body['updated']} mis à jour, "
            f"{len(body['rejected'])} ligne(s) rejetée(s)."
        )
        for item in body["rejected"]:
            stderr.print(f"{file}, ligne {item['line']}, {item['field']} : {item['message']}", highlight=False)

    @command(help="Déclare du télétravail ou une absence, avec récurrence RRULE et dates exclues.")
    def declare(
        self,
        user: Annotated[str, typer.Option("--user", help="Identifiant de l'agent")],
        kind: Annotated[str, typer.Option("--kind", help="teletravail ou absence")],
        start: Annotated[str, typer.Option("--start", help="Premier jour AAAA-MM-JJ")],
        rrule: Annotated[str, typer.Option("--rrule", help="Règle RFC 5545, ex. FREQ=WEEKLY;BYDAY=TU;COUNT=4")] = "",
        exdate: Annotated[str, typer.Option("--exdate", help="Dates exclues AAAA-MM-JJ,…")] = "",
        json: JSON = False,
    ):
        from communs.nomad import services

        person = _user(user)
        try:
            declaration = services.declare(person, kind, _date(start, "--start"), rrule, exdate)
        except ValidationError as exc:
            fail(" ".join(exc.messages), EXIT_INPUT_ERROR)
        dates = [day.isoformat() for day in services.declaration_days(declaration)]
        if json:
            print_json({"id": declaration.pk, "dates": dates})
            return
        self.stdout.write(f"Déclaration {declaration.pk} : {len(dates)} jour(s) ({', '.join(dates)}).")

    @command(help="Dit, jour par jour, si un poste est réservable et pourquoi.")
    def availability(
        self,
        desk: Annotated[str, typer.Option("--desk", help="Code du poste")],
        start: Annotated[str, typer.Option("--from", help="AAAA-MM-JJ")],
        end: Annotated[str, typer.Option("--to", help="AAAA-MM-JJ")],
        json: JSON = False,
    ):
        from communs.nomad import services

        try:
            rows = services.availability(_desk(desk), _date(start, "--from"), _date(end, "--to"))
        except ValidationError as exc:
            fail(" ".join(exc.messages))
        if json:
            print_json(rows)
            return
        for row in rows:
            self.stdout.write(f"{row['date']}  {'oui' if row['bookable'] else 'non'}  {row['reason']}")

    @command(help="Réserve un poste pour un agent un jour (sortie 3 si déjà pris, 1 si non réservable).")
    def book(
        self,
        user: Annotated[str, typer.Option("--user", help="Identifiant de l'agent")],
        desk: Annotated[str, typer.Option("--desk", help="Code du poste")],
        day: Annotated[str, typer.Option("--date", help="AAAA-MM-JJ")],
        key: Annotated[str, typer.Option("--idempotency-key", help="Clé d'idempotence")] = "",
        json: JSON = False,
    ):
        from communs.nomad import services

        person, target, when = _user(user), _desk(desk), _date(day, "--date")
        try:
            booking, _ = services.book(person, target, when, idempotency_key=key)
        except services.Taken as exc:
            fail(str(exc), EXIT_TAKEN)
        except services.NotBookable as exc:
            fail(str(exc), EXIT_INPUT_ERROR)
        if json:
            print_json({"booking": booking.pk})
            return
        self.stdout.write(f"Réservation {booking.pk} : poste {target.code} le {when.isoformat()} pour {user}.")

    @command(help="Libère les réservations du jour non validées après l'heure de libération (à lancer souvent).")
    def release(self, json: JSON = False):
        from communs.nomad import services

        released = services.release_unchecked()
        if json:
            print_json({"released": released})
            return
        self.stdout.write(f"{released} réservation(s) libérée(s).")

    @command(help="Prévision des repas d'un site pour les jours ouvrés à partir d'une date.")
    def forecast(
        self,
        site: Annotated[str, typer.Option("--site", help="Nom du site")],
        start: Annotated[str, typer.Option("--from", help="AAAA-MM-JJ")],
        json: JSON = False,
    ):
        from communs.nomad import selectors
        from communs.nomad.models import Site

        target = Site.objects.filter(name=site).first()
        if target is None:
            fail(f"--site « {site} » inconnu.", EXIT_NOT_FOUND)
        report = selectors.catering_forecast(target, _date(start, "--from"), 7)
        rows = [
            {
                "date": f.day.isoformat(),
                "expected_present": f.expected_present,
                "ratio": round(f.ratio, 4),
                "meals": f.meals,
                "low": f.low,
                "high": f.high,
            }
            for f, _, _ in report.days
        ]
        if json:
            print_json({"site": target.name, "mape": report.mape, "days": rows})
            return
        for row in rows:
            self.stdout.write(f"{row['date']}  {row['meals']} repas ({row['low']}–{row['high']})")
