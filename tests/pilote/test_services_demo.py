"""The PILOTE demo: realistic, several régions, idempotent, roles on the core demo accounts."""

from datetime import date

from communs.core.scopes import scope_for
from communs.pilote.demo import load_demo
from communs.pilote.models import Chantier, ChantierResult, Comment, Meteo, Ministere, Value


def test_demo_is_idempotent_and_spans_several_regions(make_user):
    # The core demo accounts, without their (slow) password hashing.
    national = make_user("agent-national", password=None)
    agent_35 = make_user("agent-35", password=None)
    load_demo(date(2026, 6, 15))
    counts = (Chantier.objects.count(), Value.objects.count(), Comment.objects.count(), Meteo.objects.count())
    load_demo(date(2026, 6, 15))
    assert (Chantier.objects.count(), Value.objects.count(), Comment.objects.count(), Meteo.objects.count()) == counts
    assert Chantier.objects.count() == 8
    assert Ministere.objects.count() == 6
    assert len(set(Comment.objects.values_list("region", flat=True)) - {""}) >= 4
    national_results = ChantierResult.objects.filter(territory="NAT-FR")
    assert national_results.count() == 8
    assert national_results.exclude(ta=None).count() >= 4
    assert Ministere.objects.get(code="LOG").agents.filter(pk=national.pk).exists()
    assert scope_for(agent_35, "pilote").departements == {"35"}
