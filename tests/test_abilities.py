"""Every service answers "what may this user do with this object" in one place: `<app>.permissions.abilities`."""

import importlib
import inspect
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src" / "communs"
APPS = sorted(p.parent.name for p in SOURCE.glob("*/engine") if p.parent.name != "territoires")
# Apps merged before the rule reached them: their rights still sit in services.py. Each entry is
# debt with its owner; remove it when the app gains `permissions.abilities`.
NOT_YET = {
    "ecospheres": "can_see_bouquet / can_edit_bouquet in services.py",
    "inondata": "rights in services.py",
    "nomad": "person_of and role checks in services.py",
    "sirano": "is_admin / establishments_of in services.py",
}


@pytest.mark.parametrize("app", [app for app in APPS if app not in NOT_YET])
def test_every_app_has_abilities(app):
    module = importlib.import_module(f"communs.{app}.permissions")
    signature = inspect.signature(module.abilities)
    assert list(signature.parameters)[0] == "user"


def test_the_allowlist_only_names_apps_still_without_abilities():
    for app in NOT_YET:
        assert app in APPS
        with pytest.raises(ModuleNotFoundError):
            importlib.import_module(f"communs.{app}.permissions")
