"""The PILOTE demo: realistic, several régions, idempotent."""

from datetime import date

from communs.core.demo import load_demo as load_accounts
from communs.pilote.demo import load_demo
from communs.pilote.models import Chantier, ChantierResult, Comment, Meteo, Ministere, Value


def test_demo_is_idempotent_and_spans_several_regions(db):
    load_accounts()
    load_demo(date(2026, 6, 15))
    counts = (Chantier.objects.count(), Value.objects.count(), Comment.objects.count(), Meteo.objects.count())
    load_demo(date(2026, 6, 15))
    assert (Chantier.objects.count(), Value.objects.count(), Comment.objects.count(), Meteo.objects.count()) == counts
    assert Chantier.objects.count() == 8
    assert Ministere.objects.count() == 6
    assert len(set(Comment.objects.values_list("region", flat=True)) - {""}) >= 4
    national = ChantierResult.objects.filter(territory="NAT-FR")
    assert national.count() == 8
    assert national.exclude(ta=None).count() >= 4
