"""État bas carbone's home and dashboard make the same number of queries whatever the number of lines."""

import pytest
from django.urls import reverse

from communs.bascarbone import services
from communs.bascarbone.engine.inventory import ActivityLine
from communs.bascarbone.models import Activity
from tests.bascarbone.test_views_bascarbone import filled, spe, tree  # noqa: F401 - fixtures
from tests.query_counts import assert_constant_queries

pytestmark = pytest.mark.django_db


def test_dashboard_makes_constant_queries(client, spe, filled):  # noqa: F811
    client.force_login(spe)

    def grow():
        for quantity in (10, 20, 30):
            services.add_activity(spe, filled, ActivityLine("1.2", "gazole-routier", quantity, "L"))
            services.add_activity(spe, filled, ActivityLine("2.1", "electricite-france", quantity, "kWh"))

    assert_constant_queries(
        client,
        reverse("bascarbone:dashboard", args=["prefecture-35", 2025]),
        grow=grow,
        rows_shown=Activity.objects.count,
        max_queries=48,  # 45 measured once abilities, charts and the guards landed together (38 before)
    )
