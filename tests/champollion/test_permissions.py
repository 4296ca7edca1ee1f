"""Champollion's abilities: one place, following the territory (unknown territory: national only)."""

import pytest

pytestmark = pytest.mark.django_db


def test_champollion_abilities_follow_the_territory(make_user):
    from communs.champollion.models import Etablissement
    from communs.champollion.permissions import abilities

    inspector = make_user("insp35", grants=[("champollion", "inspecteur", "departement", "35")])
    rennes = Etablissement(siret="1" * 14, siren="1" * 9, departement="35", region="53")
    unknown = Etablissement(siret="2" * 14, siren="2" * 9)
    assert abilities(inspector, rennes) == {"use": True, "see_nominative": True, "edit": True}
    assert abilities(inspector, unknown) == {"use": True, "see_nominative": False, "edit": False}
    assert abilities(make_user("nobody")) == {"use": False}
