"""The browser suite: the real app under uvicorn, driven by Debian's Chromium at phone size.

Unlike the API suite, the server here must see committed rows (the browser's requests run
on the server's own sessions), so this suite has its own SQLite file, migrated with Alembic
and seeded once, and it never rolls back. Tests that write use
their own phone number, so one test's reviews never trip another's one-review rule.
"""

import itertools
import json
import re
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from sqlalchemy import Engine
from sqlmodel import Session

from haocha.app import create_app
from haocha.core import clock
from haocha.core.cache import store_for
from haocha.core.db import make_engine
from haocha.core.settings import Settings
from haocha.providers.models import Provider, ProviderStatus
from tests.database import migrate
from tests.factories.accounts import make_resident
from tests.factories.providers import make_provider
from tests.factories.reviews import make_review

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_MISSING = f"{CHROMIUM} is not installed (apt-get install chromium)"
VIEWPORT = {"width": 360, "height": 740}

_phones = itertools.count(1)


@dataclass(frozen=True)
class Directory:
    """Ids of the seeded providers the tests visit."""

    elder_care: int  # many reviews, all five levels
    fitness: int  # sells prepaid cards
    childcare: int  # no reviews yet
    closed: int  # closed after one prepaid-card complaint: nobody can add a review
    # Elderly care is the ranked sector: providers with five or more reviews, in a known
    # order of score, and two below the threshold.
    ranked_elderly: tuple[int, ...] = ()  # best first, by the seeded reviews alone
    unranked_elderly: int = 0  # two reviews; only the tests' page views touch it
    almost_ranked: int = 0  # four reviews: one more posted through the page ranks it
    unreviewed: int = 0  # no reviews, and no test writes one


@pytest.fixture(scope="session")
def browser_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """SQLite and the in-process store, as the demo runs. Named apart from the shared
    `settings` fixture: overriding that would not re-create the session-wide `engine`
    built on it when the API suite ran first."""
    root = tmp_path_factory.mktemp("browser")
    return Settings(
        environment="test",
        database_url=f"sqlite:///{root / 'haocha.db'}",
        redis_url=None,
        redis_prefix=f"haocha-browser:{uuid.uuid4().hex[:8]}:",
        secret_key="browser-test-secret",
        hash_key="browser-test-hash",
        sms_backend="file",
        sms_outbox=root / "sms-outbox.jsonl",
        open_data_snapshot_dir=root / "open-snapshots",
        jobs_in_process=False,
        ml_dispatch=False,
        page_size=4,  # small pages, so the seeded reviews already need paging
    )


_ELDER_CARE_REVIEWS = (
    (5, "护理员每天准时上门，帮老人擦身、量血压，态度特别好。"),
    (5, "助餐点的饭菜软烂适合老人，价格也公道。"),
    (4, "整体不错，就是周末人手少，预约要提前两天。"),
    (5, "日间照料的活动很丰富，我母亲很喜欢来。"),
    (3, "服务还行，收费项目希望能写得更清楚一些。"),
    (4, "上门助浴很专业，就是来的时间比约好的晚了半小时。"),
    (2, "电话总是打不通，投诉了一周才有人回复。"),
    (5, "工作人员耐心细致，有事会主动打电话告诉家属。"),
    (1, "护理员换了三次，每次都要重新交代，很不放心。"),
    (5, "环境干净，没有异味，老人在这里住得很安心。"),
)


# Elderly-care providers beside 静安乐龄 (mean 3.9 over ten reviews): name, district and the
# levels of their reviews, one a day (a day counts as one review at most, so reviews on
# one day would not move the score as far). Scores with the sector prior (3.8, weight 5):
# 颐康 ≈ 4.5, 康乐 ≈ 4.0, [乐龄 ≈ 3.9], 长者 ≈ 3.7, 夕阳红 ≈ 2.8; 银发 and 暖心 unranked;
# 安康 without reviews.
_ELDERLY_CARE_PEERS = (
    ("静安颐康护理站", "310106", (5, 5, 5, 5, 5, 5)),
    ("徐汇康乐养老院", "310104", (4, 4, 5, 4, 4)),
    ("杨浦长者照护之家", "310110", (4, 3, 4, 3, 4)),
    ("普陀夕阳红助餐点", "310107", (2, 2, 1, 2, 2)),
    ("长宁银发日间照料中心", "310105", (5, 4)),
    ("黄浦暖心助老服务社", "310101", (2, 3, 2, 3)),
    ("闵行安康护理院", "310112", ()),
)
_FITNESS_REVIEWS = (4, 5, 4, 2, 5)  # enough to rank, so the sector page lists it


def seed_daily_reviews(session: Session, provider: Provider, levels: tuple[int, ...]) -> None:
    for age, level in enumerate(levels):
        make_review(
            session,
            provider,
            make_resident(session),
            level=level,
            text="服务总体还行。" if level >= 3 else "服务不太好，希望改进。",
            created_at=clock.now() - timedelta(days=2 * age + 2),
        )


def seed_directory(engine: Engine) -> Directory:
    """Demo-like providers and their reviews, committed."""
    with Session(engine) as session:
        elder_care = make_provider(
            session,
            name="静安乐龄居家养老服务中心",
            sector_code="elderly_care",
            district_code="310106",
            address="上海市静安区康定路 1288 号",
            is_demo=True,
        )
        fitness = make_provider(
            session,
            name="浦东悦动健身工作室",
            sector_code="fitness",
            district_code="310115",
            address="上海市浦东新区张杨路 500 号 3 楼",
            sells_prepaid=True,
            is_demo=True,
        )
        childcare = make_provider(
            session,
            name="崇川小太阳托育园",
            sector_code="childcare",
            district_code="320613",
            address="南通市崇川区人民中路 66 号",
            is_demo=True,
        )
        closed = make_provider(
            session,
            name="徐汇美发沙龙",
            sector_code="beauty",
            district_code="310104",
            address="上海市徐汇区漕溪北路 18 号",
            sells_prepaid=True,
            is_demo=True,
        )
        for age, (level, text) in enumerate(_ELDER_CARE_REVIEWS):
            make_review(
                session,
                elder_care,
                make_resident(session),
                level=level,
                text=text,
                created_at=clock.now() - timedelta(days=3 * age + 1),
            )
        make_review(
            session,
            closed,
            make_resident(session),
            level=1,
            text="充了 3000 元的会员卡，才剪了五次头，店就关门了，老板电话也打不通。",
            prepaid=True,
            prepaid_amount_cents=300_000,
        )
        closed.status = ProviderStatus.closed
        seed_daily_reviews(session, fitness, _FITNESS_REVIEWS)
        peers = []
        for name, district, levels in _ELDERLY_CARE_PEERS:
            peer = make_provider(
                session,
                name=name,
                sector_code="elderly_care",
                district_code=district,
                address=f"上海市{name}服务点",
                is_demo=True,
            )
            seed_daily_reviews(session, peer, levels)
            peers.append(peer.id or 0)
        session.commit()
        ids = [p.id or 0 for p in (elder_care, fitness, childcare, closed)]
    assert all(ids + peers), "flushed providers have ids"
    yikang, kangle, zhangzhe, xiyang, yinfa, nuanxin, ankang = peers
    elder_care_id, fitness_id, childcare_id, closed_id = ids
    return Directory(
        elder_care=elder_care_id,
        fitness=fitness_id,
        childcare=childcare_id,
        closed=closed_id,
        ranked_elderly=(yikang, kangle, elder_care_id, zhangzhe, xiyang),
        unranked_elderly=yinfa,
        almost_ranked=nuanxin,
        unreviewed=ankang,
    )


@pytest.fixture(scope="session")
def directory(browser_settings: Settings) -> Iterator[Directory]:
    engine = migrate(browser_settings.database_url)
    yield seed_directory(engine)
    engine.dispose()


@contextmanager
def running_app(settings: Settings) -> Iterator[str]:
    """The app under uvicorn in a background thread; yields its base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(settings),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
        ws="none",  # no websockets here; not importing them keeps the run warning-free
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def base_url(browser_settings: Settings, directory: Directory) -> Iterator[str]:
    with running_app(browser_settings) as url:
        yield url


@pytest.fixture(autouse=True)
def _fresh_limits(browser_settings: Settings) -> None:
    """Rate limits are per address, and every test comes from 127.0.0.1."""
    store_for(browser_settings.redis_url, browser_settings.redis_prefix).clear()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    # One skip for every browser test; .ci/run installs Chromium, so CI always runs them.
    if not CHROMIUM.exists():
        pytest.skip(CHROMIUM_MISSING)
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )
    yield browser
    browser.close()


def new_context(browser: Browser, base_url: str, *, javascript: bool = True) -> BrowserContext:
    context = browser.new_context(
        base_url=base_url,
        viewport=VIEWPORT,  # type: ignore[arg-type]
        locale="zh-CN",
        java_script_enabled=javascript,
    )
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def context(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    context = new_context(browser, base_url)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def new_phone() -> str:
    """A phone number no other test of this run uses."""
    return f"1391234{next(_phones):04d}"


@pytest.fixture
def phone() -> str:
    return new_phone()


def read_code(outbox: Path, phone: str) -> str:
    """The code in the newest text message to `phone`, as the resident would read it."""
    for line in reversed(outbox.read_text(encoding="utf-8").splitlines()):
        message = json.loads(line)
        if message["phone"] == phone:
            found = re.search(r"\d{6}", message["text"])
            assert found, message["text"]
            return found.group()
    raise AssertionError(f"no text message to {phone}")


def log_in(page: Page, settings: Settings, phone: str) -> None:
    """From the login page: phone number, code from the outbox, submit."""
    page.get_by_label("手机号").fill(phone)
    page.get_by_role("button", name="获取验证码").click()
    page.get_by_label("验证码").fill(read_code(settings.sms_outbox, phone))
    page.get_by_role("button", name="登录", exact=True).click()


# -- the regulators' console ---------------------------------------------------------

CONSOLE_PASSWORD = "console-browser-pass"
DESKTOP = {"width": 1280, "height": 860}


@dataclass(frozen=True)
class ConsoleSeed:
    """A housekeeping provider (a sector no other browser test visits, so its reviews and
    flags move no other test's numbers), two suspected fake reviews of it, and two
    inspectors: one whose scope covers it, one of another sector in the same district."""

    provider: int
    provider_name: str
    flag_to_confirm: int  # decided by test_console's main flow
    flag_left_open: int  # nobody decides it: the outsider's attempts must leave it open
    sanctioned: int  # another provider, with a warning and a blacklist entry in force
    inspector: str
    outsider: str


def seed_console(engine: Engine) -> ConsoleSeed:
    from haocha.accounts.models import RegulatorRole  # noqa: PLC0415 - console-only imports
    from haocha.accounts.regulators import create_regulator  # noqa: PLC0415
    from haocha.moderation.flags import raise_flag  # noqa: PLC0415
    from haocha.moderation.models import FlagKind, SanctionKind  # noqa: PLC0415
    from tests.factories.moderation import make_sanction  # noqa: PLC0415

    name = "黄浦康宁家政服务社"
    with Session(engine) as session:
        provider = make_provider(
            session,
            name=name,
            sector_code="housekeeping",
            district_code="310101",
            address="上海市黄浦区福州路 300 号",
        )
        # A poor record (1 and 3 stars, one a day), then two five-star reviews on days of
        # their own: a day counts as one review at most, so removing one of them moves the
        # score visibly.
        seed_daily_reviews(session, provider, (1, 3, 1, 4))
        fakes = [
            make_review(
                session,
                provider,
                make_resident(session),
                level=5,
                text=text,
                client_hash="shared-address",
                created_at=clock.now() - timedelta(hours=hours),
            )
            for text, hours in (
                ("阿姨特别好！！！五星推荐！！！", 1),
                ("五星！！！强烈推荐！！！", 240),
            )
        ]
        flags = [
            raise_flag(
                session,
                kind=FlagKind.fake_review,
                provider=provider,
                review=review,
                risk=risk,
                reasons=[
                    {
                        "zh": "同一网络地址短时间内多条五星好评",
                        "en": "Several five-star reviews from one address within hours",
                    }
                ],
                source="ml",
            )
            for review, risk in zip(fakes, (85.0, 60.0), strict=True)
        ]
        sanctioned = make_provider(
            session,
            name="黄浦顺心家政公司",
            sector_code="housekeeping",
            district_code="310101",
            address="上海市黄浦区河南中路 88 号",
            sells_prepaid=True,
        )
        inspectors = []
        for username, sector in (
            ("kangning.inspector", "housekeeping"),
            ("fitness.inspector", "fitness"),
        ):
            inspector = create_regulator(
                session,
                username=username,
                display_name="王检查" if sector == "housekeeping" else "李检查",
                password=CONSOLE_PASSWORD,
                role=RegulatorRole.inspector,
                sectors=[sector],
                districts=["310101"],
            )
            inspectors.append(inspector)
        for kind in (SanctionKind.warning, SanctionKind.blacklist):
            make_sanction(session, sanctioned, inspectors[0], kind=kind)
        session.commit()
        return ConsoleSeed(
            provider=provider.id or 0,
            provider_name=name,
            flag_to_confirm=flags[0].id or 0,
            flag_left_open=flags[1].id or 0,
            sanctioned=sanctioned.id or 0,
            inspector="kangning.inspector",
            outsider="fitness.inspector",
        )


@pytest.fixture(scope="session")
def console_engine(browser_settings: Settings, directory: Directory) -> Iterator[Engine]:
    """The browser suite's database, for seeding the console and reading what it did."""
    engine = make_engine(browser_settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def console_seed(console_engine: Engine) -> ConsoleSeed:
    return seed_console(console_engine)


@pytest.fixture
def desk(browser: Browser, base_url: str) -> Iterator[Page]:
    """A page at desktop size, where regulators work."""
    context = browser.new_context(
        base_url=base_url,
        viewport=DESKTOP,  # type: ignore[arg-type]
        locale="zh-CN",
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def console_log_in(page: Page, username: str, next_path: str = "/regulator") -> None:
    """Through the console's own login form."""
    page.goto(f"/regulator/login?next={next_path}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码", exact=True).fill(CONSOLE_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
