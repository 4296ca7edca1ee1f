"""PILOTE's dashboard and chantier page make the same number of queries whatever the rows they show."""

from datetime import date

from django.urls import reverse

from communs.pilote import services
from communs.pilote.models import Chantier, Indicator
from tests.pilote.test_views_pilote import filled  # noqa: F401 - fixture
from tests.query_counts import assert_constant_queries


def _more_indicators(catalogue, n=3):
    agent = catalogue["central_agent"]
    for k in range(n):
        indicator = Indicator.objects.create(
            code=f"extra-{Indicator.objects.count()}-{k}",
            chantier=catalogue["chantier"],
            nom=f"Indicateur {k}",
            source="s",
            methode="m",
            unite="u",
            weight_dept=1,
            published=True,
        )
        services.save_value(agent, indicator, "DEPT-35", date(2026, 1, 1), "vi", 0)
        services.save_value(agent, indicator, "DEPT-35", date(2027, 12, 31), "vc", 10)
        services.save_value(agent, indicator, "DEPT-35", date(2026, 5, 31), "va", 5)
    services.recompute_chantier(catalogue["chantier"], date(2026, 6, 30))


def test_chantier_page_indicator_panels_make_constant_queries(client, filled):  # noqa: F811
    client.force_login(filled["central_agent"])
    url = reverse("pilote:chantier", args=["renovation"])
    assert_constant_queries(
        client,
        url,
        params={"territoire": "DEPT-35"},
        grow=lambda: _more_indicators(filled),
        rows_shown=lambda: filled["chantier"].indicators.count(),
        max_queries=30,
    )


def test_dashboard_makes_constant_queries(client, filled):  # noqa: F811
    client.force_login(filled["central_agent"])

    def grow():
        for k in range(3):
            Chantier.objects.create(code=f"c{k}", nom=f"Chantier {k}", ministere=filled["ministere"], axe="Écologie")

    assert_constant_queries(
        client, reverse("pilote:home"), grow=grow, rows_shown=Chantier.objects.count, max_queries=20
    )
