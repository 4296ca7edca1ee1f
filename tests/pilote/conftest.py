"""Small PILOTE catalogue for service, view and API tests: one ministry, one chantier, two indicators."""

from datetime import date

import pytest

AS_OF = date(2026, 6, 30)


@pytest.fixture
def catalogue(db, make_user):
    from communs.pilote.models import Chantier, Indicator, Ministere

    ministere = Ministere.objects.create(code="LOG", nom="Ministère du Logement")
    other = Ministere.objects.create(code="EDU", nom="Ministère de l'Éducation nationale")
    chantier = Chantier.objects.create(
        code="renovation", nom="Rénovation énergétique", ministere=ministere, axe="Écologie"
    )
    other_chantier = Chantier.objects.create(
        code="lecture", nom="Savoirs fondamentaux", ministere=other, axe="Éducation"
    )
    common = {"source": "ANAH, tableau de bord", "methode": "Nombre de dossiers soldés", "unite": "logements"}
    local = Indicator.objects.create(
        code="logements",
        chantier=chantier,
        nom="Logements rénovés",
        weight_nat=50,
        weight_reg=50,
        weight_dept=50,
        entry=Indicator.Entry.LOCAL,
        published=True,
        **common,
    )
    central = Indicator.objects.create(
        code="passoires",
        chantier=chantier,
        nom="Passoires thermiques",
        direction="baisse",
        weight_nat=50,
        weight_reg=50,
        weight_dept=50,
        entry=Indicator.Entry.CENTRAL,
        **common,
    )
    other_indicator = Indicator.objects.create(
        code="lecture-cp",
        chantier=other_chantier,
        nom="Élèves lecteurs en fin de CP",
        weight_nat=1,
        weight_dept=1,
        entry=Indicator.Entry.LOCAL,
        **common,
    )
    central_agent = make_user("centrale-log", password=None)
    ministere.agents.add(central_agent)
    agent_35 = make_user("agent-35", grants=[("pilote", "contributeur", "departement", "35")], password=None)
    agent_22 = make_user("agent-22", grants=[("pilote", "contributeur", "departement", "22")], password=None)
    return {
        "ministere": ministere,
        "chantier": chantier,
        "other_chantier": other_chantier,
        "local": local,
        "central": central,
        "other_indicator": other_indicator,
        "central_agent": central_agent,
        "agent_35": agent_35,
        "agent_22": agent_22,
    }
