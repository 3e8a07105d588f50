"""Browser tests: Playwright driving Debian's chromium (/usr/bin/chromium), never a downloaded one.

Without chromium the tests are skipped with the reason printed; with XK_REQUIRE_BROWSER=1 (CI)
a missing chromium is an error instead.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("XK_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make for
# set-up are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        message = f"{CHROMIUM} is not installed (apt-get install -y chromium); browser tests need it"
        if os.environ.get("XK_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db):  # type: ignore[no-untyped-def]
    # Asking for the database here makes it outlive the page: a page that polls (kiosk, desk, board)
    # is closed before the test's database is flushed, not after.
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def open_page(browser, live_server, transactional_db):  # type: ignore[no-untyped-def]
    """More screens in one test (kiosk, board, desk, a citizen's phone): ``open_page(width, height)``.

    Every page is closed when the test ends, before its database is flushed: a board or kiosk left
    polling would hold a database connection of the live server into the next test (and at the
    end, PostgreSQL refuses to drop a test database that is still in use).
    """
    contexts = []

    def open_one(width: int, height: int):  # type: ignore[no-untyped-def]
        context = browser.new_context(
            base_url=live_server.url, locale="vi-VN", viewport={"width": width, "height": height}
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_one
    for context in contexts:
        context.close()


@pytest.fixture
def demo(transactional_db):  # type: ignore[no-untyped-def]
    """The demo's people, units and points, without its weeks of records (tests make their own)."""
    from django.core.management import call_command

    call_command("load_demo", volume=0, stdout=io.StringIO())


def sign_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    """Sign in as a demo account (password of the demo) and wait until the login page is left."""
    from xungkich.demo.area import DEMO_PASSWORD

    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login" not in url)


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(autouse=True)
def immediate_tasks(settings):  # type: ignore[no-untyped-def]
    """As for the app's own tests: background tasks (the solver) finish inside the request."""
    from xungkich.conftest import IMMEDIATE_TASKS

    settings.TASKS = IMMEDIATE_TASKS
