"""Nomad fixtures: one site built through the spaces import, a few agents, dates relative to today."""

from datetime import date, timedelta

import pytest

SPACES = """site,building,floor,zone,zone_kind,desk,owner,features
Site test,Bâtiment A,Étage 1,Équipe achats,equipe,A1-01,owner,double écran
Site test,Bâtiment A,Étage 1,Équipe achats,equipe,A1-02,,
Site test,Bâtiment A,Étage 1,Équipe achats,equipe,A1-03,,station d'accueil|accès fauteuil roulant
Site test,Bâtiment B,Rez-de-chaussée,Coworking,coworking,B0-01,,
Site test,Bâtiment B,Rez-de-chaussée,Coworking,coworking,B0-02,,
"""


def tuesday_after(day: date, weeks: int = 1) -> date:
    """The first Tuesday at least `weeks` weeks after `day`."""
    start = day + timedelta(weeks=weeks)
    return start + timedelta(days=(1 - start.weekday()) % 7)


@pytest.fixture
def nomad(db, make_user):
    from communs.nomad import services
    from communs.nomad.models import Agent, Organisation

    organisation = Organisation.objects.create(slug="org", name="Ministère test", telework_weekly_cap=3)
    users = {name: make_user(name) for name in ("owner", "alice", "bob", "manager")}
    for user in users.values():
        Agent.objects.create(user=user, organisation=organisation)
    services.import_spaces(SPACES, organisation=organisation, commune="35238")
    from communs.core.roles import grant_role

    grant_role(users["manager"], "nomad", "gestionnaire", "departement", "35")
    return {"organisation": organisation, **users}


@pytest.fixture
def desk():
    def get(code):
        from communs.nomad.models import Desk

        return Desk.objects.select_related("zone__floor__building__site__organisation").get(code=code)

    return get
