"""Champollion's targeting list makes the same number of queries whatever the number of establishments."""

import pytest
from django.urls import reverse

from communs.champollion.models import Etablissement, Score
from tests.query_counts import assert_constant_queries

pytestmark = pytest.mark.django_db


def test_targeting_list_makes_constant_queries(client, make_user, imported):
    client.force_login(make_user("insp35", grants=[("champollion", "inspecteur", "departement", "35")]))
    template = Score.objects.filter(etablissement__departement="35").first()

    def grow():
        for n in range(3):
            etablissement = Etablissement.objects.create(
                siret=f"3500000000{n:04d}", siren=f"35000000{n}", name=f"Ajout {n}", departement="35", region="53"
            )
            Score.objects.create(
                classement=template.classement,
                etablissement=etablissement,
                rank=100 + n,
                risk_score=1.0,
                peer_group=template.peer_group,
                features=template.features,
                reasons=template.reasons,
            )

    assert_constant_queries(
        client,
        reverse("champollion:ciblage"),
        grow=grow,
        rows_shown=lambda: Score.objects.filter(etablissement__departement="35").count(),
        max_queries=20,
    )
