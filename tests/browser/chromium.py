"""Which Chromium the browser tests drive, with which flags, and what happens when it is missing."""

import os
from pathlib import Path

import pytest

# Debian's package: Playwright's own browser downloads are never used (no download host is reachable).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium keeps trying to reach Google's servers; there is no network here.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium(chromium: Path = CHROMIUM, environ=os.environ) -> None:
    """Skip the calling test when Chromium is missing, with the fix in the reason; under CI, fail instead.

    CI (the `CI` environment variable set) installs Chromium itself, so a missing browser there is a bug in
    `.ci/run`, not a reason to pass without the browser tests.
    """
    if chromium.exists():
        return
    message = f"{chromium} is missing: install Debian's package with `apt-get install -y chromium`"
    if environ.get("CI"):
        pytest.fail(f"CI must run the browser tests, but {message}", pytrace=False)
    pytest.skip(f"browser tests skipped: {message}")
