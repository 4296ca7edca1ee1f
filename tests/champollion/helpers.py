"""Small builders for engine tests: consolidated contracts without going through files."""

from datetime import date

from communs.champollion.engine.consolidation import END_DECLARED, Contract, Renewal
from communs.champollion.engine.postes import normalise_poste

SIRET = "35200001200018"


def make_contract(
    numero: str,
    start: date,
    end: date | None,
    *,
    poste: str = "PREPARATEUR DE COMMANDES",
    nature: str = "02",
    motif: str = "02",
    end_motif: str = "031",
    end_status: str = END_DECLARED,
    expected_ends: list[tuple[date, date]] | None = None,
    renewals: int = 0,
    idcc: str = "2216",
    siret: str = SIRET,
    etu_siret: str = "",
    dispositif: str = "99",
    individual: str = "p1",
) -> Contract:
    months = [date(start.year, start.month, 1)]
    contract = Contract(
        key=(siret, individual, numero, start),
        siret=siret,
        individual=individual,
        nom="X",
        prenoms="Y",
        numero=numero,
        start=start,
        nature=nature,
        motif=motif,
        dispositif=dispositif,
        libelle=poste,
        pcs="",
        poste=normalise_poste(poste),
        idcc=idcc,
        etu_siret=etu_siret,
        expected_ends=expected_ends or ([(months[0], end)] if end else []),
        months=months,
        end=end,
        end_status=end_status if end else "open",
        end_motif=end_motif if end else "",
    )
    contract.renewals = [Renewal(i + 1, months[0], end, end) for i in range(renewals)]
    return contract
