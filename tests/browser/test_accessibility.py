"""axe-core on the resident's pages, in both text sizes: no serious or critical violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page

from haocha.core.settings import Settings
from tests.browser.conftest import Directory, log_in

pytestmark = pytest.mark.browser

BLOCKING = ("serious", "critical")


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(n["target"]) for n in v["nodes"])
        for v in blocking
    )
    assert not blocking, f"{page.url}\n{report}"


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_resident_pages_pass_axe(
    context: BrowserContext,
    page: Page,
    base_url: str,
    browser_settings: Settings,
    directory: Directory,
    phone: str,
    elder: bool,
) -> None:
    if elder:
        context.add_cookies([{"name": "elder", "value": "1", "url": base_url}])
    for path in (
        "/",
        "/sectors/fitness",
        "/search?q=南通",
        f"/providers/{directory.elder_care}",
        f"/providers/{directory.closed}",
        "/no-such-page",
    ):
        page.goto(path)
        assert_accessible(page)

    page.goto(f"/login?next=/providers/{directory.fitness}/review")
    assert_accessible(page)
    log_in(page, browser_settings, phone)
    assert page.url.endswith(f"/providers/{directory.fitness}/review")
    assert_accessible(page)

    # The form as it comes back with errors: summary, messages and invalid fields.
    page.get_by_role("radio", name="满意", exact=True).check()
    page.get_by_label("预付金额").fill("10")
    page.get_by_role("button", name="提交评价").click()
    assert page.get_by_role("alert").count() == 1
    assert_accessible(page)

    page.goto("/me/reviews")
    assert_accessible(page)
