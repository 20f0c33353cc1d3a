"""Shared by the browser tests: one whole stack and one headless Chromium for the package.

The browser is Debian's `chromium` package (`.ci/run` and `make browser-deps` install it);
Playwright never downloads one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from scripts import stack
from supportdesk import web_page
from tests.conftest import ROOT, whole_stack

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_MS = 30_000  # for one bot reply: the first one loads the model's pipeline


@pytest.fixture(scope="package")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[stack.Stack]:
    widget = web_page.WEB_DIR / web_page.WIDGET
    assert widget.is_file(), f"{widget} is missing: run make {widget.relative_to(ROOT)}"
    with whole_stack(tmp_path_factory.mktemp("web-stack")) as started:
        yield started


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), "the browser tests need Debian's chromium: make browser-deps"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser profile: no stored conversation."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(WAIT_MS)
    yield context.new_page()
    context.close()
