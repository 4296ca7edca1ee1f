"""TerritorialMixin: filled and validated from the reference, understood by the scope helper."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from communs.bascarbone.models import Entity
from communs.champollion.models import Etablissement
from communs.core.scopes import Scope, require_scope
from communs.territoires.mixins import TerritorialMixin


def test_every_territorial_model_of_the_suite_uses_the_mixin():
    from django.apps import apps

    for model in apps.get_models():
        names = {f.name for f in model._meta.get_fields()}
        if model._meta.app_label in ("territoires", "core") or not names & {"region", "departement"}:
            continue
        assert issubclass(model, TerritorialMixin), model._meta.label


def test_save_fills_parents_from_the_finest_code(territoires_reference):
    entity = Entity.objects.create(code="ddtm", name="DDTM", commune="35238")
    entity.refresh_from_db()
    assert (entity.region, entity.departement, entity.commune) == ("53", "35", "35238")


def test_save_never_overwrites_a_code_and_keeps_unknown_codes(db):
    # A code the reference does not know is kept (a record keeps the territory it was given).
    entity = Entity.objects.create(code="x", name="X", departement="99")
    entity.refresh_from_db()
    assert (entity.region, entity.departement) == ("", "99")
    other = Entity.objects.create(code="y", name="Y", region="11", departement="35")
    other.refresh_from_db()
    assert (other.region, other.departement) == ("11", "35")


def test_clean_refuses_unknown_or_inconsistent_codes(territoires_reference):
    with pytest.raises(ValidationError) as error:
        Entity(code="a", name="A", departement="99").full_clean()
    assert "inconnu" in error.value.message_dict["departement"][0]
    with pytest.raises(ValidationError) as error:
        Entity(code="b", name="B", region="11", departement="35").full_clean()
    assert "n'est pas dans la région 11" in error.value.message_dict["departement"][0]
    with pytest.raises(ValidationError) as error:
        Entity(code="c", name="C", departement="29", commune="35238").full_clean()
    assert "commune" in error.value.message_dict


def test_scope_filter_uses_the_model_lookups_and_follows_relations(territoires_reference):
    from communs.champollion.models import Classement, Score

    rennes = Etablissement.objects.create(siret="1" * 14, siren="1" * 9, departement="35", region="53")
    paris = Etablissement.objects.create(siret="2" * 14, siren="2" * 9, departement="75", region="11")
    unknown = Etablissement.objects.create(siret="3" * 14, siren="3" * 9)
    everyone = Etablissement.objects.order_by("pk")
    assert list(Scope(departements=frozenset({"35"})).filter(everyone)) == [rennes]
    assert list(Scope(regions=frozenset({"11"})).filter(everyone)) == [paris]
    assert list(Scope(national=True).filter(everyone)) == [rennes, paris, unknown]

    classement = Classement.objects.create(algorithm_version="1", weights={})
    for etablissement in (rennes, paris, unknown):
        Score.objects.create(classement=classement, etablissement=etablissement, rank=1, risk_score=0, peer_group="g")
    scores = Scope(regions=frozenset({"53"})).filter(Score.objects.all(), through="etablissement")
    assert [s.etablissement_id for s in scores] == [rennes.pk]


def test_unknown_territory_is_covered_by_a_national_scope_only(make_user):
    unknown = Etablissement(siret="3" * 14, siren="3" * 9)
    assert not Scope(departements=frozenset({"35"}), regions=frozenset({"53"})).covers_record(unknown)
    assert Scope(national=True).covers_record(unknown)
    inspector = make_user("inspecteur", grants=[("champollion", "inspecteur", "departement", "35")])
    with pytest.raises(PermissionDenied, match="Territoire inconnu"):
        require_scope(inspector, "champollion", record=unknown)
