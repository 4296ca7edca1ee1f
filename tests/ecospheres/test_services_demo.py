"""The demo catalogue loads, merges the datasets both portals publish, and is idempotent."""

import pytest

from communs.core.demo import load_demo as load_accounts
from communs.ecospheres import selectors
from communs.ecospheres.demo import load_demo
from communs.ecospheres.models import Bouquet, Dataset


@pytest.mark.django_db
def test_demo_is_idempotent(territoires_reference):
    load_accounts()
    first = load_demo()
    assert first["bouquets"] == 2
    live = Dataset.objects.filter(live=True).count()
    assert live == 26  # 24 DCAT + 10 udata, 8 of them the same datasets
    assert len(selectors.clusters()) == 8
    second = load_demo()
    assert second["bouquets"] == 0
    assert second["reports"] == []  # sources already harvested: nothing is read or written again
    assert Dataset.objects.filter(live=True).count() == live
    zan = Bouquet.objects.get(territory_ref="243500139")
    assert selectors.bouquet_counts(zan)["manquante"] == 1
