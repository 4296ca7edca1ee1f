"""SIRANo: legacy workbook import and the administration dashboard.

Prints (asserts nothing):
1. the import of a 4,000-project legacy workbook (20 columns, 3 sheets, French headers that differ
   per sheet) through `services.import_legacy` (read, map, normalise, consolidate, write all or nothing);
2. the administration dashboard (`/sirano/administration/tableaux/`) served by Django over 4,000 projects
   and 32,000 milestones: median and p95 over repeated requests.
Runs on a throw-away SQLite database unless DATABASE_URL is set.
"""

import io
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

N_PROJECTS = 4_000
ROUNDS = 40
SHEETS = {
    "2019-2020": ["N° projet", "Programme", "Année", "FINESS", "Établissement coordonnateur",
                  "Investigateur principal", "Acronyme", "Intitulé", "Montant alloué", "N° registre", "DOI",
                  "Date de notification",
                  "Date prévue autorisations", "Date prévue première inclusion", "Date prévue fin inclusions",
                  "Date prévue fin étude", "Date prévue résultats", "Date résultats", "Commentaire", "Suivi"],
    "2021-2022": ["Référence dossier", "AAP", "Campagne", "N° FINESS", "Établissement", "Porteur", "Sigle", "Titre",
                  "Financement", "Registre", "Publications", "Notifié le", "Autorisations prévues",
                  "Première inclusion prévue", "Fin des inclusions prévue", "Fin étude prévue", "Résultats prévus",
                  "Résultats publiés le", "Observations", "Gestionnaire"],
    "2023-2024": ["Identifiant", "Type de programme", "Millésime", "FINESS EJ", "Etablissement porteur",
                  "Investigateur coordonnateur", "Acronym", "Title", "Montant notifié", "NCT", "DOI",
                  "Date de notification", "CPP prévu", "Début inclusions", "Fin inclusions", "Fin d'étude",
                  "Publication résultats prévue", "Résultats registre", "Notes", "Référent"],
}  # fmt: skip
PROGRAMMES = ["PHRC-N", "PHRC-K", "PHRC-I", "PREPS", "PRME", "PHRIP", "PRT-S", "PRT-K"]


def setup_django():
    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root / "src"))
    os.environ.setdefault("COMMUNS_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "communs.site.settings")
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def workbook(establishments) -> bytes:
    from openpyxl import Workbook

    rng = random.Random(14)
    book = Workbook(write_only=True)
    per_sheet = N_PROJECTS // len(SHEETS)
    number = 0
    for title, headers in SHEETS.items():
        sheet = book.create_sheet(title)
        sheet.append(headers)
        first_year = int(title[:4])
        for _ in range(per_sheet):
            number += 1
            year = first_year + number % 2
            programme = PROGRAMMES[number % len(PROGRAMMES)]
            notified = date(year, 12, 1)
            planned = [notified + timedelta(days=200 * step) for step in range(1, 6)]
            finess = establishments[number % len(establishments)]
            spelling = (
                f"{programme} {year} / {year % 100:02d}-{number:04d}"
                if number % 3
                else f"{programme.replace('-', '')}-{year % 100:02d}-{number:04d}"
            )
            sheet.append([spelling, programme, year, finess, "", f"Investigateur {number}", f"ACR{number}",
                          f"Projet de recherche {number}", rng.randrange(50_000, 1_500_000) + 0.5,
                          f"NCT{number:08d}", f"10.1000/sirano.{number}", notified, *planned, "", "", ""])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main():
    setup_django()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from communs.core.models import RoleGrant
    from communs.sirano import services
    from communs.sirano.models import Milestone, Tranche, TrancheState

    establishments = [f"{department:02d}0000{index:03d}" for department in range(1, 41) for index in range(1, 4)]
    for finess in establishments:
        services.upsert_establishment(finess, f"Centre hospitalier {finess}")
    data = workbook(establishments)
    print(f"workbook: {len(data) / 1e6:.1f} MB, {N_PROJECTS} projects, 20 columns, {len(SHEETS)} sheets")
    started = time.perf_counter()
    plan = services.import_legacy(None, [("historique.xlsx", data)])
    elapsed = time.perf_counter() - started
    print(
        f"import: {elapsed:.1f} s — {plan.report()['created']} created, {len(plan.rejected)} rejected (target ≤ 20 s)"
    )

    # Declare most past milestones and move tranches along so the dashboard has work to do.
    today = timezone.localdate()
    Milestone.objects.filter(planned_on__lte=today - timedelta(days=200)).update(
        declared_on=today - timedelta(days=100)
    )
    services.refresh_delays(Milestone.objects.all())
    Tranche.objects.filter(rank=1).update(state=TrancheState.PAID)
    Tranche.objects.filter(rank=2).update(state=TrancheState.SUBMITTED)
    print(f"milestones: {Milestone.objects.count()}, tranches: {Tranche.objects.count()}")

    user = get_user_model().objects.create_user("bench-dgos")
    RoleGrant.objects.create(user=user, service="sirano", role="gestionnaire", scope_level="national", scope_code="")
    client = Client()
    client.force_login(user)
    timings = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        response = client.get("/sirano/administration/tableaux/")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    timings.sort()
    if os.environ.get("SIRANO_PROFILE"):
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        client.get("/sirano/administration/tableaux/")
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    p95 = timings[int(0.95 * len(timings)) - 1]
    print(
        f"dashboard: median {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms over {ROUNDS} (target p95 ≤ 300 ms)"
    )


if __name__ == "__main__":
    main()
