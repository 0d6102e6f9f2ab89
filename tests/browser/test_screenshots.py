"""Phone-size screenshots of the pages, on the shipped demo data, for people to look at.

Skipped unless HAOCHA_SCREENSHOTS names a folder; the README's come from
`HAOCHA_SCREENSHOTS=docs/screenshots pytest tests/browser -k screenshots`."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from sqlmodel import Session, select

from haocha.core.settings import Settings
from haocha.demo.load import load_demo
from haocha.providers.models import Provider
from haocha.scoring.models import ProviderStats
from tests.browser.conftest import (
    log_in,
    new_context,
    new_phone,
    running_app,
)
from tests.database import migrate

pytestmark = pytest.mark.browser

TARGET = os.environ.get("HAOCHA_SCREENSHOTS")


def showcase_provider(session: Session) -> int:
    """The most reviewed provider with a real spread: between 10% and 30% bad reviews."""
    stats = sorted(session.exec(select(ProviderStats)).all(), key=lambda s: -s.total)
    return next(s.provider_id for s in stats if 0.1 <= (s.bad_rate or 0) <= 0.3)


@pytest.mark.skipif(not TARGET, reason="set HAOCHA_SCREENSHOTS to a folder to take screenshots")
def test_screenshots(browser: Browser, tmp_path: Path) -> None:
    folder = Path(str(TARGET))
    folder.mkdir(parents=True, exist_ok=True)
    settings = Settings(
        environment="test",
        database_url=f"sqlite:///{tmp_path / 'demo.db'}",
        redis_url=None,
        sms_outbox=tmp_path / "sms-outbox.jsonl",
        open_data_snapshot_dir=tmp_path / "open-snapshots",
    )
    engine = migrate(settings.database_url)
    with Session(engine) as session:
        load_demo(session, hash_key=settings.hash_key.get_secret_value())
        session.commit()
        provider_id = showcase_provider(session)
        provider = session.get(Provider, provider_id)
        assert provider is not None
        sector = provider.sector_code
    engine.dispose()

    with running_app(settings) as base_url:
        for elder in (False, True):
            context = new_context(browser, base_url)
            if elder:
                context.add_cookies([{"name": "elder", "value": "1", "url": base_url}])
            page = context.new_page()
            suffix = "-elder" if elder else ""
            page.goto(f"/providers/{provider_id}")
            page.screenshot(path=folder / f"provider-page{suffix}.png")
            if not elder:
                page.goto(f"/sectors/{sector}")
                # From the ranking down: the header and the filter are in the other shots.
                page.locator("main h1").evaluate(
                    "e => window.scrollTo(0, e.getBoundingClientRect().top + scrollY - 12)"
                )
                page.screenshot(path=folder / "sector-ranking.png")
            page.goto("/")
            page.screenshot(path=folder / f"home{suffix}.png")
            page.goto(f"/login?next=/providers/{provider_id}/review")
            log_in(page, settings, new_phone())
            page.screenshot(path=folder / f"review-form{suffix}.png")
            context.close()
