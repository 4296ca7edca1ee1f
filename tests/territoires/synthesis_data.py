"""Stored results of every service for Rennes (35238), written through each service's own code
with small real-format inputs: what the territory page tests read. Needs the reference."""

from datetime import date
from pathlib import Path

MINI_CONTOURS = Path(__file__).parent / "data" / "contours-mini.geojson"


def cosia_statistics_of_rennes(demo_files: dict, capture_on_commit) -> None:
    """The CoSIA demo rasters (inside the hand-made Rennes square) and Rennes' statistics for both
    vintages, computed once by the `cosia.stats` job as the CoSIA page would start it."""
    from communs.cosia import services as cosia
    from communs.territoires.services import import_contours

    import_contours(MINI_CONTOURS, level="commune")
    for vintage, path in demo_files["rasters"].items():
        cosia.ingest_rasters([path], departement="35", vintage=int(vintage))
    territory = cosia.resolve_territory("35238")
    for vintage in sorted(int(v) for v in demo_files["rasters"]):
        with capture_on_commit(execute=True):  # the job runs when its transaction commits
            cosia.start_statistics(territory, vintage)


def pilote_values(catalogue: dict) -> None:
    """Values of département 35 for the small PILOTE catalogue, both indicators of the chantier at
    TA 50 %: 100·(70−20)/(120−20) for the one going up, 100·(100−80)/(100−60) for the one going down."""
    from communs.pilote import services as pilote

    for agent, indicator, (vi, va, vc) in (
        (catalogue["agent_35"], catalogue["local"], (20, 70, 120)),
        (catalogue["central_agent"], catalogue["central"], (100, 80, 60)),
    ):
        pilote.save_value(agent, indicator, "DEPT-35", date(2026, 1, 1), "vi", vi)
        pilote.save_value(agent, indicator, "DEPT-35", date(2026, 5, 31), "va", va)
        pilote.save_value(agent, indicator, "DEPT-35", date(2027, 12, 31), "vc", vc)


def champollion_findings() -> None:
    """Two analysed establishments in Rennes (35), one in Paris (75); findings of two rules."""
    from communs.champollion.models import Constat, Contrat, Etablissement, Salarie

    salarie = Salarie.objects.create(pseudonym="p1")
    places = [("35000", "35", "53"), ("35200", "35", "53"), ("75011", "75", "11")]
    for index, (postal_code, departement, region) in enumerate(places):
        etablissement = Etablissement.objects.create(
            siret=f"1234567890{index:04d}",
            siren="123456789",
            name=f"Entreprise secrète {index}",
            postal_code=postal_code,
            departement=departement,
            region=region,
            last_month=date(2026, 5, 1),
        )
        contrat = Contrat.objects.create(
            contract_id=f"c{index}",
            etablissement=etablissement,
            etablissement_analyse=etablissement,
            salarie=salarie,
            numero=f"N{index}",
            nature="02",
            poste="Serveur",
            start=date(2026, 1, 1),
            end_status="declared",
        )
        for rule in ("delai_carence", "delai_carence", "duree_maximale")[: index + 1]:
            Constat.objects.create(
                etablissement=etablissement,
                contrat=contrat,
                rule=rule,
                rule_version="1.0",
                status="infraction",
                poste="Serveur",
                article="L1244-3-1",
                confidence="declared",
                legislation="code du travail",
                explanation="…",
            )
