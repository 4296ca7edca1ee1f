"""Shared paths for Recens'smart tests."""

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
MENAGE = DATA / "menage.json"
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "lunatic"
if not SHARED.exists():
    SHARED = Path("/work/shared/data/lunatic")

needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="INSEE Lunatic files (../shared/data/lunatic) absent")


def shared(name: str) -> Path:
    return SHARED / name
