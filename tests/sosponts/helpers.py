"""SOS Ponts test helpers: a mayor of Bovel (35035), a mayor of another commune, a département expert."""

import pytest

from communs.sosponts import services
from communs.sosponts.models import Ouvrage

BOVEL = "35035"
RENNES = "35238"


@pytest.fixture(name="people")
def people_fixture(make_user, territoires_reference):
    return {
        "mayor": make_user(
            "maire-bovel", grants=[("sosponts", "maire", "commune", BOVEL)], email="maire@bovel.invalid"
        ),
        "other_mayor": make_user("maire-rennes", grants=[("sosponts", "maire", "commune", RENNES)]),
        "expert": make_user(
            "expert-35", grants=[("sosponts", "expert", "departement", "35")], email="expert@ddt35.invalid"
        ),
        "expert_22": make_user("expert-22", grants=[("sosponts", "expert", "departement", "22")]),
    }


@pytest.fixture(name="bridge")
def bridge_fixture(db):
    return Ouvrage.objects.create(
        commune=BOVEL, departement="35", region="53", name="Pont du Moulin", structure="maconnerie", iqoa="2"
    )


def ask(user, title="Végétation sur le pont du Moulin", body="Des arbustes poussent entre les pierres.", **kwargs):
    return services.ask_question(user, commune=kwargs.pop("commune", BOVEL), title=title, body=body, **kwargs)
