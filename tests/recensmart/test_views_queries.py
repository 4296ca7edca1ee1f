"""Recens'smart's back office lists its campaigns with the same number of queries whatever their number."""

import pytest
from django.urls import reverse

from communs.recensmart.models import Campaign
from tests.query_counts import assert_constant_queries
from tests.recensmart.factories import DESIGNER, campaign

pytestmark = pytest.mark.django_db


def test_manage_page_makes_constant_queries(client, make_user):
    designer = make_user("concepteur", grants=DESIGNER)
    campaign(designer)
    client.force_login(designer)

    def grow():
        for departement in ("29", "22", "56"):
            campaign(designer, departement=departement)

    assert_constant_queries(
        client, reverse("recensmart:manage"), grow=grow, rows_shown=Campaign.objects.count, max_queries=25
    )
