"""The shared territorial scope helper (communs.core.scopes)."""

import pytest
from django.core.exceptions import PermissionDenied

from communs.core import scopes
from communs.core.audit import record_event
from communs.core.models import AuditEvent
from communs.core.scopes import Scope, require_scope, scope_for


class _TinyReference:
    """Two régions, three départements, three communes: enough to check parent resolution."""

    departement_region = {"35": "53", "29": "53", "75": "11"}
    commune_departement = {"35238": "35", "29019": "29", "75056": "75"}

    def region_of_departement(self, departement):
        return self.departement_region.get(departement)

    def departement_of_commune(self, commune):
        return self.commune_departement.get(commune)

    def departements_of_regions(self, regions):
        return {dep for dep, reg in self.departement_region.items() if reg in regions}

    def communes_of_departements(self, departements):
        return {com for com, dep in self.commune_departement.items() if dep in departements}


@pytest.fixture
def tiny_reference(monkeypatch):
    monkeypatch.setattr(scopes, "_resolver", _TinyReference())


@pytest.mark.parametrize(
    ("scope", "territory", "covered"),
    [
        (Scope(national=True), {"departement": "75"}, True),
        (Scope(departements=frozenset({"35"})), {"departement": "35"}, True),
        (Scope(departements=frozenset({"35"})), {"departement": "75"}, False),
        (Scope(departements=frozenset({"35"})), {"commune": "35238"}, True),  # Rennes is in 35
        (Scope(departements=frozenset({"35"})), {"commune": "75056"}, False),
        (Scope(regions=frozenset({"53"})), {"departement": "29"}, True),  # Finistère is in Bretagne
        (Scope(regions=frozenset({"53"})), {"commune": "35238"}, True),
        (Scope(regions=frozenset({"53"})), {"departement": "75"}, False),
        (Scope(communes=frozenset({"35238"})), {"commune": "35238"}, True),
        (Scope(communes=frozenset({"35238"})), {"departement": "35"}, False),  # a commune does not see its dép.
        (Scope(), {"departement": "35"}, False),
    ],
)
def test_scope_covers(tiny_reference, scope, territory, covered):
    assert scope.covers(**territory) is covered


def test_scope_for_unions_the_grants_of_one_service(make_user):
    user = make_user(
        grants=[
            ("champollion", "inspecteur", "departement", "35"),
            ("champollion", "inspecteur", "departement", "29"),
            ("pilote", "agent", "national", ""),
        ]
    )
    assert scope_for(user, "champollion") == Scope(departements=frozenset({"35", "29"}))
    assert scope_for(user, "pilote") == Scope(national=True)
    assert scope_for(user, "cosia").is_empty


def test_scope_for_can_be_narrowed_to_roles(make_user):
    user = make_user(grants=[("pilote", "lecteur", "national", ""), ("pilote", "editeur", "departement", "35")])
    assert scope_for(user, "pilote", roles=["editeur"]) == Scope(departements=frozenset({"35"}))


def test_inactive_and_anonymous_users_have_no_scope(make_user):
    from django.contrib.auth.models import AnonymousUser

    user = make_user(grants=[("pilote", "agent", "national", "")], is_active=False)
    assert scope_for(user, "pilote").is_empty
    assert scope_for(AnonymousUser(), "pilote").is_empty


def test_superuser_is_national(make_user):
    assert scope_for(make_user(is_superuser=True), "champollion").national


def test_require_scope_refuses_departement_75_to_a_user_of_35(tiny_reference, make_user):
    user = make_user(grants=[("champollion", "inspecteur", "departement", "35")])
    assert require_scope(user, "champollion", departement="35").departements == {"35"}
    with pytest.raises(PermissionDenied, match="75"):
        require_scope(user, "champollion", departement="75")


def test_filter_returns_nothing_of_75_to_a_user_of_35(tiny_reference, make_user):
    user = make_user(grants=[("core", "agent", "departement", "35")])
    record_event(None, "test.view", service="test", commune="35238")
    record_event(None, "test.view", service="test", departement="35")
    record_event(None, "test.view", service="test", commune="75056")
    record_event(None, "test.view", service="test", departement="75")
    visible = scope_for(user, "core").filter(
        AuditEvent.objects.filter(service="test"), region="region", departement="departement", commune="commune"
    )
    assert sorted(visible.values_list("departement", flat=True)) == ["35", "35"]
    assert not visible.filter(departement="75").exists()


def test_filter_expands_a_region_when_the_model_only_knows_departements(tiny_reference, make_user):
    user = make_user(grants=[("core", "agent", "region", "53")])
    record_event(None, "test.view", service="test", departement="29")
    record_event(None, "test.view", service="test", departement="75")
    visible = scope_for(user, "core").filter(AuditEvent.objects.filter(service="test"), departement="departement")
    assert list(visible.values_list("departement", flat=True)) == ["29"]
