"""Headless Chromium for the browser tests: Debian's binary driven by playwright (nothing downloaded)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# /dev/shm is 64 MB in a default container, too small for Chromium's renderers: without
# --disable-dev-shm-usage a page can die mid-test with "Target crashed".
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch(playwright: Any) -> Any:
    """A Chromium browser; fails (not skips) when the binary is missing, since `make test` installs it."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make install` (it installs Debian's chromium)")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
