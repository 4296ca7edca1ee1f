"""Every service app is wired everywhere it must be (in the spirit of les-emplois' consistency tests).

A service app is a folder of `src/communs/` holding an `engine/` package. The URLs, the API routers
and `INSTALLED_APPS` are derived from `communs.site.service_apps.SERVICE_APPS`; what cannot be
derived is checked here: the import-linter contracts, the portal catalogue, the demo loader, the
documentation, the benchmark and the admin. `find_problems` is a plain function over the facts of
one app so that a test can show it catches an app left out of any one place.
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from communs.core.admin_base import BaseModelAdmin
from communs.core.catalogue import SERVICES
from communs.site.service_apps import SERVICE_APPS

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "communs"

# Models deliberately kept out of the back-office, with the reason.
ADMIN_EXCEPTIONS = {
    "champollion.Salarie": "nominative: read only through the audited pages",
    "champollion.Contrat": "nominative: read only through the audited pages",
    "champollion.Score": "recomputed from Constat; shown on the targeting page",
    "pilote.Notification": "a user's own in-app notices",
    "pilote.IndicatorResult": "derived by the recomputation job, never edited",
    "pilote.ChantierResult": "derived by the recomputation job, never edited",
    "recensmart.Paradata": "respondents' paradata: read through the survey team's pages",
    "sosponts.Note": "experts' internal notes: read only through the audited expert pages",
    "sosponts.Photo": "mayors' photos: shown with their question, scoped and audited",
}


@dataclass
class AppFacts:
    """What the tree says about one service app."""

    slug: str
    in_service_apps: bool
    in_layers_contract: bool
    in_independence_contract: bool
    has_demo: bool
    has_docs: bool
    has_bench: bool
    in_catalogue: bool
    catalogue_available: bool
    has_home_url: bool
    admin_problems: list[str] = field(default_factory=list)


def find_problems(facts: AppFacts) -> list[str]:
    """Every place this app is missing from, in words a reviewer can act on."""
    checks = [
        (facts.in_service_apps, "missing from SERVICE_APPS (communs/site/service_apps.py)"),
        (facts.in_layers_contract, "missing from the services layer of the import-linter layers contract"),
        (facts.in_independence_contract, "missing from the import-linter independence contract"),
        (facts.has_demo, f"no src/communs/{facts.slug}/demo.py with load_demo()"),
        (facts.has_docs, f"no docs/{facts.slug}.md"),
        (facts.has_bench, f"no bench/{facts.slug}/bench_*.py"),
        (facts.in_catalogue, "no entry in core/catalogue.py"),
        (
            facts.catalogue_available == facts.has_home_url,
            f"catalogue says available={facts.catalogue_available} but the URL {facts.slug}:home "
            f"{'resolves' if facts.has_home_url else 'does not resolve'}",
        ),
    ]
    return [f"{facts.slug}: {message}" for ok, message in checks if not ok] + [
        f"{facts.slug}: {problem}" for problem in facts.admin_problems
    ]


def service_app_dirs() -> list[str]:
    return sorted(
        path.parent.parent.name
        for path in SRC.glob("*/engine/__init__.py")
        if path.parent.parent.name != "territoires"
    )


def importlinter_contracts() -> dict[str, dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return {contract["type"]: contract for contract in config["tool"]["importlinter"]["contracts"]}


PLATFORM_LAYERS = {"communs.site", "communs.territoires", "communs.core"}


def services_layer() -> set[str]:
    """The apps of the one layer item that is not the platform's (`"communs.a | communs.b"`)."""
    layers = importlinter_contracts()["layers"]["layers"]
    (item,) = [layer for layer in layers if layer not in PLATFORM_LAYERS]
    return {name.strip().removeprefix("communs.") for name in item.split("|")}


def admin_problems(slug: str) -> list[str]:
    if not apps.is_installed(f"communs.{slug}"):
        return []
    problems = []
    for model in apps.get_app_config(slug).get_models():
        label = f"{slug}.{model.__name__}"
        model_admin = admin.site._registry.get(model)
        if model_admin is None:
            if label not in ADMIN_EXCEPTIONS:
                problems.append(f"model {label} is not in the admin and not in ADMIN_EXCEPTIONS")
        elif not isinstance(model_admin, BaseModelAdmin):
            problems.append(f"{label} is registered with {type(model_admin).__name__}, not core's BaseModelAdmin")
    return problems


def facts_for(slug: str) -> AppFacts:
    contracts = importlinter_contracts()
    independence = {name.removeprefix("communs.") for name in contracts["independence"]["modules"]}
    entry = next((service for service in SERVICES if service.slug == slug), None)
    try:
        reverse(f"{slug}:home")
        has_home_url = True
    except NoReverseMatch:
        has_home_url = False
    demo = SRC / slug / "demo.py"
    return AppFacts(
        slug=slug,
        in_service_apps=slug in SERVICE_APPS,
        in_layers_contract=slug in services_layer(),
        in_independence_contract=slug in independence,
        has_demo=demo.exists() and "def load_demo(" in demo.read_text(),
        has_docs=(ROOT / "docs" / f"{slug}.md").exists(),
        has_bench=any((ROOT / "bench" / slug).glob("bench_*.py")),
        in_catalogue=entry is not None,
        catalogue_available=bool(entry and entry.available),
        has_home_url=has_home_url,
        admin_problems=admin_problems(slug),
    )


@pytest.mark.parametrize("slug", service_app_dirs())
def test_every_service_app_is_wired_everywhere(slug):
    assert find_problems(facts_for(slug)) == []


def test_every_listed_service_app_exists():
    assert set(SERVICE_APPS) == set(service_app_dirs())
    assert set(SERVICE_APPS) == services_layer()


def test_catalogue_states_match_the_urls():
    """A card says "disponible" exactly when its service answers; the others say "en construction"."""
    for service in SERVICES:
        try:
            reverse(f"{service.slug}:home")
            resolves = True
        except NoReverseMatch:
            resolves = False
        assert service.available == resolves == (service.slug in SERVICE_APPS), service.slug


@pytest.mark.parametrize(
    "missing",
    [
        "in_service_apps",
        "in_layers_contract",
        "in_independence_contract",
        "has_demo",
        "has_docs",
        "has_bench",
        "in_catalogue",
        "has_home_url",
    ],
)
def test_an_app_left_out_of_any_one_place_is_reported(missing):
    complete = AppFacts(
        slug="fakeapp",
        in_service_apps=True,
        in_layers_contract=True,
        in_independence_contract=True,
        has_demo=True,
        has_docs=True,
        has_bench=True,
        in_catalogue=True,
        catalogue_available=True,
        has_home_url=True,
    )
    assert find_problems(complete) == []
    setattr(complete, missing, False)
    problems = find_problems(complete)
    assert len(problems) == 1 and problems[0].startswith("fakeapp: ")


def test_an_admin_outside_the_shared_base_is_reported(monkeypatch):
    from django.contrib.admin import ModelAdmin

    from communs.bascarbone.models import Entity

    assert admin_problems("bascarbone") == []
    monkeypatch.setitem(admin.site._registry, Entity, ModelAdmin(Entity, admin.site))
    assert admin_problems("bascarbone") == [
        "bascarbone.Entity is registered with ModelAdmin, not core's BaseModelAdmin"
    ]
    monkeypatch.delitem(admin.site._registry, Entity)
    assert admin_problems("bascarbone") == ["model bascarbone.Entity is not in the admin and not in ADMIN_EXCEPTIONS"]
