"""Every service answers "what may this user do with this object" in one place: `<app>.permissions.abilities`."""

import importlib
import inspect
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src" / "communs"
APPS = sorted(p.parent.name for p in SOURCE.glob("*/engine") if p.parent.name != "territoires")


@pytest.mark.parametrize("app", APPS)
def test_every_app_has_abilities(app):
    module = importlib.import_module(f"communs.{app}.permissions")
    signature = inspect.signature(module.abilities)
    assert list(signature.parameters)[0] == "user"
