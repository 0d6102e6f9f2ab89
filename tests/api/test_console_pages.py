"""The console's pages through HTTP: the queue (filters, order, paging), its CSV, the
dashboard's numbers, and each decision from its form to what residents then see."""

import csv
import io
import re
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlmodel import Session, select

from haocha.accounts.models import Regulator, RegulatorRole
from haocha.accounts.service import issue_token
from haocha.core import clock
from haocha.core.settings import Settings
from haocha.deps import SESSION_COOKIE
from haocha.moderation import audit, dashboard
from haocha.moderation.calendar import add_working_days
from haocha.moderation.console_pages import PAGE_SIZE
from haocha.moderation.export import BOM, COLUMNS
from haocha.moderation.models import (
    AuditEntry,
    Case,
    CaseStatus,
    FlagKind,
    FlagStatus,
    Sanction,
    SanctionKind,
)
from haocha.moderation.scope import Scope
from haocha.providers.models import Provider
from haocha.reviews.models import Review, ReviewStatus
from haocha.scoring.service import stats_for
from tests.api.console_http import HTML, post_form, sign_in
from tests.factories.accounts import make_resident
from tests.factories.moderation import make_case, make_flag, make_sanction
from tests.factories.providers import make_provider
from tests.factories.regulators import make_regulator
from tests.factories.reviews import make_review

TODAY = clock.today_local
S = re.DOTALL


def _named(db: Session, name: str, **extra: Any) -> Provider:
    return make_provider(db, name=name, **extra)


def _flag_ids(page: httpx.Response) -> list[int]:
    assert page.status_code == 200, page.text
    return [int(i) for i in re.findall(r'data-flag="(\d+)"', page.text)]


def _china_day(at: datetime) -> date:
    return at.astimezone(clock.CHINA_TZ).date()


def _actions(db: Session, target_type: str, target_id: object) -> list[str]:
    return [e.action for e in audit.entries_for(db, target_type, target_id)]


@pytest.fixture
def inspector(db: Session) -> Regulator:
    """Elderly care and fitness, in Huangpu and Xuhui."""
    return make_regulator(db, sectors=("elderly_care", "fitness"), districts=("310101", "310104"))


# --- the queue -----------------------------------------------------------------------


def test_queue_order_filters_and_paging(
    client: httpx.Client, db: Session, inspector: Regulator
) -> None:
    now = clock.now()
    care = _named(db, "队列养老")
    gym = _named(db, "队列健身", sector_code="fitness", district_code="310104")
    hidden = _named(db, "队列托育", sector_code="childcare")
    low = make_flag(db, care, risk=20)
    high_new = make_flag(db, gym, risk=90, kind=FlagKind.prepaid_complaint)
    high_old = make_flag(db, care, risk=90, created_at=now - timedelta(days=20))
    make_flag(db, care, risk=99, status=FlagStatus.dismissed)
    make_flag(db, hidden, risk=100)
    sign_in(client, db, inspector)

    page = client.get("/regulator/queue", headers=HTML)
    assert _flag_ids(page) == [high_old.id, high_new.id, low.id]  # risk, then waited longest
    assert "共 3 条待处理线索" in page.text
    assert "队列托育" not in page.text

    def filtered(**query: str) -> list[int]:
        return _flag_ids(client.get("/regulator/queue", params=query, headers=HTML))

    assert filtered(kind="prepaid_complaint") == [high_new.id]
    assert filtered(sector="fitness") == [high_new.id]
    assert filtered(district="310101") == [high_old.id, low.id]
    assert filtered(max_age="7") == [high_new.id, low.id]
    assert filtered(kind="", sector="", district="", max_age="") == [
        high_old.id,
        high_new.id,
        low.id,
    ]
    # A sector outside the scope filters to nothing rather than widening it.
    assert filtered(sector="childcare") == []
    refused = client.get("/regulator/queue", params={"kind": "gossip"}, headers=HTML)
    assert refused.status_code == 422

    more = [make_flag(db, care, risk=10) for _ in range(PAGE_SIZE)]
    first = client.get("/regulator/queue", headers=HTML)
    assert len(_flag_ids(first)) == PAGE_SIZE
    assert 'rel="next"' in first.text
    second = _flag_ids(client.get("/regulator/queue", params={"page": "2"}, headers=HTML))
    assert len(second) == 3
    assert set(second) <= {f.id for f in more}


def test_queue_csv_keeps_scope_filters_and_privacy(
    client: httpx.Client, db: Session, inspector: Regulator
) -> None:
    care = _named(db, '=HYPERLINK("http://x")养老')
    resident = make_resident(db)
    review = make_review(db, care, resident, level=5, client_hash="address-hash-1")
    flag = make_flag(
        db,
        care,
        review=review,
        risk=75,
        reasons=[{"zh": "同一地址多人好评", "en": "Many residents, one address"}],
        evidence={"reporter_ids": [resident.id], "review_ids": [review.id]},
    )
    report = make_flag(db, care, kind=FlagKind.resident_report, risk=40)
    outside = make_flag(db, _named(db, "外区养老", district_code="310106"), risk=99)
    sign_in(client, db, inspector)

    response = client.get("/regulator/queue.csv", headers=HTML)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(BOM.encode("utf-8"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS
    assert [int(r[0]) for r in rows[1:]] == [flag.id, report.id]
    first = dict(zip(COLUMNS, rows[1], strict=True))
    assert first["kind"] == "fake_review"
    assert first["risk"] == "75.0"
    assert first["provider_name"] == '\'=HYPERLINK("http://x")养老'  # never a formula
    assert (first["sector"], first["district"]) == ("elderly_care", "310101")
    assert first["reasons_zh"] == "同一地址多人好评"
    text = response.content.decode("utf-8-sig")
    for secret in (resident.phone_hash, "address-hash-1", "reporter"):
        assert secret not in text
    assert str(outside.id) not in [r[0] for r in rows]

    only_reports = client.get("/regulator/queue.csv?kind=resident_report", headers=HTML)
    assert [r[0] for r in csv.reader(io.StringIO(only_reports.text.lstrip(BOM)))][1:] == [
        str(report.id)
    ]
    exports = db.exec(select(AuditEntry).where(AuditEntry.action == "queue.export")).all()
    assert [e.after["rows"] if e.after else None for e in exports] == [2, 1]
    assert all(e.actor == inspector.username for e in exports)


# --- the dashboard -------------------------------------------------------------------


def test_dashboard_counts_trend_risk_and_overdue(
    client: httpx.Client, db: Session, inspector: Regulator
) -> None:
    now = clock.now()
    care = _named(db, "看板养老")
    gym = _named(db, "看板健身", sector_code="fitness", district_code="310104")
    outside = _named(db, "看板托育", sector_code="childcare")
    make_flag(db, care, risk=30)
    make_flag(db, care, risk=60, kind=FlagKind.resident_report)
    make_flag(db, gym, risk=85, kind=FlagKind.flight_risk, created_at=now - timedelta(days=7))
    make_flag(db, gym, risk=50, status=FlagStatus.dismissed, created_at=now - timedelta(days=8))
    make_flag(db, care, risk=50, created_at=now - timedelta(days=200))  # before the chart
    make_flag(db, outside, risk=99)
    make_case(db, care, inspector, status=CaseStatus.investigating)
    late = make_case(db, gym, inspector, deadline=TODAY() - timedelta(days=2))
    make_case(db, gym, inspector, status=CaseStatus.closed, deadline=TODAY() - timedelta(days=9))
    make_case(db, outside, inspector, deadline=TODAY() - timedelta(days=2))
    sign_in(client, db, inspector)

    data = dashboard.dashboard(db, Scope.of(inspector))
    assert data.open_flags == 4
    assert dict(data.open_by_kind)[FlagKind.fake_review] == 2
    assert dict(data.open_by_kind)[FlagKind.flight_risk] == 1
    assert data.open_by_sector == [("elderly_care", 3), ("fitness", 1)]
    assert data.open_by_district == [("310101", 3), ("310104", 1)]
    assert data.active_cases == {CaseStatus.open: 1, CaseStatus.investigating: 1}
    assert [c.id for c in data.overdue] == [late.id]
    assert [(r.provider.id, r.risk, r.open_flags) for r in data.at_risk] == [
        (gym.id, 85.0, 1),
        (care.id, 60.0, 3),
    ]
    assert len(data.weekly) == dashboard.WEEKS
    assert data.weekly[-1].start == dashboard.week_start(TODAY())
    # New flags per week, whatever became of them; the 200-day-old one is before the chart.
    created = [now, now, now - timedelta(days=7), now - timedelta(days=8)]
    expected = Counter(dashboard.week_start(_china_day(at)) for at in created)
    assert {p.start: p.count for p in data.weekly if p.count} == expected

    page = client.get("/regulator", headers=HTML)
    assert page.status_code == 200
    assert re.search(r'id="stat-open-flags"><a [^>]*>4<', page.text)
    assert re.search(r'id="stat-overdue"><a [^>]*>1<', page.text)
    assert 'role="img"' in page.text
    assert "近 12 周每周新增线索数" in page.text
    assert page.text.index("看板健身") < page.text.index("看板养老")  # most at risk first
    assert "看板托育" not in page.text
    assert late.title in page.text

    narrowed = dashboard.dashboard(db, Scope.of(inspector), sector="fitness")
    assert narrowed.open_flags == 1
    assert narrowed.overdue_count == 1
    one = client.get("/regulator", params={"sector": "fitness"}, headers=HTML)
    assert re.search(r'id="stat-open-flags"><a [^>]*>1<', one.text)


# --- decisions on a flag -------------------------------------------------------------


def test_confirming_a_fake_review_takes_it_out_of_the_public_score(
    client: httpx.Client, db: Session, settings: Settings, inspector: Regulator
) -> None:
    provider = _named(db, "确认养老")
    for _ in range(3):
        make_review(db, provider, level=2)
    author = make_resident(db)
    fake = make_review(db, provider, author, level=5, text="太好了！！！五星！！！")
    flag = make_flag(db, provider, review=fake, risk=80)
    sign_in(client, db, inspector)
    public = client.get(f"/providers/{provider.id}", headers=HTML)
    assert "4 条评价" in public.text

    evidence = client.get(f"/regulator/flags/{flag.id}", headers=HTML)
    assert "太好了！！！五星！！！" in evidence.text
    assert author.phone_hash not in evidence.text
    done = post_form(client, f"/regulator/flags/{flag.id}/confirm", {"note": "同一设备批量好评"})
    assert done.status_code == 303
    assert done.headers["location"] == f"/regulator/flags/{flag.id}?done=confirmed"
    after = client.get(done.headers["location"], headers=HTML)
    assert "已确认该线索" in after.text
    assert "同一设备批量好评" in after.text
    assert 'action="/regulator/flags/' not in after.text  # no decision forms any more

    db.expire_all()
    assert fake.status == ReviewStatus.removed
    assert stats_for(db, provider.id or 0).total == 3
    public = client.get(f"/providers/{provider.id}", headers=HTML)
    assert "3 条评价" in public.text
    assert "太好了" not in public.text
    assert _actions(db, "flag", flag.id) == ["flag.confirm"]

    # Its author sees a neutral notice, not the reason.
    client.cookies.set(SESSION_COOKIE, issue_token(settings, author), domain="127.0.0.1")
    mine = client.get("/me/reviews", headers=HTML)
    assert "这条评价经核查后未计入评分。" in mine.text
    assert "同一设备" not in mine.text
    assert "虚假" not in mine.text


def test_a_flag_is_decided_once_and_errors_keep_the_form(
    client: httpx.Client, db: Session, inspector: Regulator
) -> None:
    provider = _named(db, "驳回养老")
    review = make_review(db, provider)
    flag = make_flag(db, provider, review=review)
    db.commit()
    sign_in(client, db, inspector)

    too_long = post_form(client, f"/regulator/flags/{flag.id}/dismiss", {"note": "长" * 1001})
    assert too_long.status_code == 422
    assert "备注不能超过 1000 个字" in too_long.text
    assert "长" * 1001 in too_long.text  # what was typed comes back
    dismissed = post_form(client, f"/regulator/flags/{flag.id}/dismiss", {"note": "真实"})
    assert dismissed.status_code == 303
    again = post_form(client, f"/regulator/flags/{flag.id}/confirm", {"note": ""})
    assert again.status_code == 409
    assert "该线索已经处理过" in again.text
    db.expire_all()
    assert flag.status == FlagStatus.dismissed
    assert review.status == ReviewStatus.published
    assert _actions(db, "flag", flag.id) == ["flag.dismiss"]


def test_opening_and_working_a_case(
    client: httpx.Client, db: Session, inspector: Regulator
) -> None:
    provider = _named(db, "立案养老")
    flag = make_flag(db, provider, kind=FlagKind.flight_risk, risk=90)
    colleague = make_regulator(db, role=RegulatorRole.supervisor)
    outsider = make_regulator(db, districts=("310106",))
    db.commit()
    sign_in(client, db, inspector)

    page = client.get(f"/regulator/flags/{flag.id}", headers=HTML)
    assert colleague.display_name in page.text  # offered as assignee
    assert outsider.display_name not in page.text
    assert "不填则为 5 个工作日" in page.text

    opened = post_form(
        client,
        f"/regulator/flags/{flag.id}/case",
        {"title": "疑似跑路", "assignee": str(colleague.id), "working_days": "3"},
    )
    assert opened.status_code == 303
    case = db.exec(select(Case).where(Case.flag_id == flag.id)).one()
    assert opened.headers["location"] == f"/regulator/cases/{case.id}?done=case_opened"
    assert case.deadline == add_working_days(TODAY(), 3)
    assert case.assignee_id == colleague.id
    db.refresh(flag)
    assert flag.status == FlagStatus.case_opened
    path = f"/regulator/cases/{case.id}"

    assert post_form(client, f"{path}/notes", {"text": "已约谈负责人"}).status_code == 303
    skipped = post_form(client, f"{path}/status", {"status": "resolved"})
    assert skipped.status_code == 409
    assert "案件状态只能按" in skipped.text
    bogus = post_form(client, f"{path}/status", {"status": "lost"})
    assert bogus.status_code == 422
    wrong = post_form(client, f"{path}/assign", {"assignee": str(outsider.id)})
    assert wrong.status_code == 422
    assert "承办人须为" in wrong.text
    unknown = post_form(client, f"{path}/assign", {"assignee": "2147483000"})
    assert unknown.text.count("承办人须为") == 1  # an unknown id reads like an outsider
    assert post_form(client, f"{path}/assign", {"assignee": str(inspector.id)}).status_code == 303
    assert post_form(client, f"{path}/status", {"status": "investigating"}).status_code == 303
    assert post_form(client, f"{path}/status", {"status": "resolved"}).status_code == 303

    shown = client.get(path, headers=HTML)
    assert "已约谈负责人" in shown.text
    assert "已办结" in shown.text
    assert f'action="{path}/status"' not in shown.text  # a resolved case moves no further
    db.refresh(case)
    assert (case.status, case.assignee_id) == (CaseStatus.resolved, inspector.id)
    assert _actions(db, "case", case.id) == [
        "case.open",
        "case.note",
        "case.assign",
        "case.status",
        "case.status",
    ]
    listed = client.get("/regulator/cases", params={"status": "resolved"}, headers=HTML)
    assert "疑似跑路" in listed.text
    assert "疑似跑路" not in client.get("/regulator/cases?overdue=1", headers=HTML).text
    mine = client.get("/regulator/cases", params={"mine": "1"}, headers=HTML)
    assert "疑似跑路" in mine.text


# --- sanctions -----------------------------------------------------------------------


@pytest.fixture
def gym(db: Session) -> Provider:
    return _named(db, "提示健身", sector_code="fitness", sells_prepaid="1")


def test_a_warning_is_published_on_the_public_page(
    client: httpx.Client, db: Session, inspector: Regulator, gym: Provider
) -> None:
    db.commit()
    console_page = f"/regulator/providers/{gym.id}"
    sign_in(client, db, inspector)
    own_page = client.get(console_page, headers=HTML).text
    assert f'action="{console_page}/blacklist"' not in own_page  # not offered to inspectors

    end = (TODAY() + timedelta(days=90)).isoformat()
    backwards = post_form(
        client,
        f"{console_page}/warnings",
        {"text": "该店预付卡退费纠纷多", "starts_on": end, "ends_on": TODAY().isoformat()},
    )
    assert backwards.status_code == 422
    assert "结束日期不能早于开始日期" in backwards.text
    assert "该店预付卡退费纠纷多" in backwards.text  # kept for the next try
    bad_date = post_form(client, f"{console_page}/warnings", {"text": "x", "starts_on": "明天"})
    assert bad_date.status_code == 422
    assert "请填写有效日期" in bad_date.text
    assert db.exec(select(Sanction).where(Sanction.provider_id == gym.id)).first() is None

    text = "该店预付卡退费纠纷多，请谨慎充值。"
    form = {"text": text, "starts_on": TODAY().isoformat(), "ends_on": end}
    published = post_form(client, f"{console_page}/warnings", form)
    assert published.headers["location"] == f"{console_page}?done=warning_published"
    shown = client.get(f"/providers/{gym.id}", headers=HTML)
    warning = re.search(r'<section class="sanction sanction-warning".*?</section>', shown.text, S)
    assert warning
    assert "<h2" in warning.group()
    assert "消费提示" in warning.group()
    assert text in warning.group()
    assert f"{TODAY().isoformat()} 至 {end}" in warning.group()
    assert "体育局" in warning.group()  # the sector's regulator says it
    assert shown.text.index("sanction-warning") < shown.text.index('id="score-heading"')
    [warned] = db.exec(select(Sanction).where(Sanction.provider_id == gym.id)).all()
    assert _actions(db, "sanction", warned.id) == ["sanction.publish_warning"]


def test_blacklist_entries_need_a_supervisor_to_publish_and_to_lift(
    client: httpx.Client, db: Session, inspector: Regulator, gym: Provider
) -> None:
    supervisor = make_regulator(
        db, role=RegulatorRole.supervisor, sectors=("fitness",), districts=("310101",)
    )
    warned = make_sanction(db, gym, inspector)
    db.commit()
    console_page = f"/regulator/providers/{gym.id}"
    public_page = f"/providers/{gym.id}"
    blacklist = {
        "reason": "停业失联",
        "legal_basis": "《预付卡办法》第三十九条",
        "starts_on": TODAY().isoformat(),
    }
    sign_in(client, db, inspector)
    assert post_form(client, f"{console_page}/blacklist", blacklist).status_code == 403
    sign_in(client, db, supervisor)
    assert post_form(client, f"{console_page}/blacklist", blacklist).status_code == 303
    shown = client.get(public_page, headers={**HTML, "Accept-Language": "en"})
    entry = re.search(r'<section class="sanction sanction-blacklist".*?</section>', shown.text, S)
    assert entry
    assert "Blacklisted" in entry.group()
    assert "《预付卡办法》第三十九条" in entry.group()
    assert "until lifted" in entry.group()
    assert shown.text.index("sanction-blacklist") < shown.text.index("sanction-warning")
    listed = db.exec(
        select(Sanction).where(
            Sanction.provider_id == gym.id, Sanction.kind == SanctionKind.blacklist
        )
    ).one()

    def lift(sanction: Sanction, reason: str) -> int:
        path = f"/regulator/sanctions/{sanction.id}/lift"
        return post_form(client, path, {"reason": reason}).status_code

    sign_in(client, db, inspector)
    assert lift(listed, "已退款") == 403  # a blacklist entry: supervisors and admins only
    assert lift(warned, "") == 422
    assert lift(warned, "纠纷已处理") == 303  # a warning: any inspector in scope
    sign_in(client, db, supervisor)
    assert lift(listed, "已全额退款") == 303
    assert lift(listed, "再撤一次") == 409
    shown = client.get(public_page, headers=HTML)
    assert "sanction-" not in shown.text.split('id="score-heading"')[0]
    history = client.get(console_page, headers=HTML)
    assert history.text.count("由 ") >= 2  # "lifted on … by …", for each
    assert _actions(db, "sanction", listed.id) == ["sanction.publish_blacklist", "sanction.lift"]
    assert _actions(db, "sanction", warned.id) == ["sanction.lift"]  # the factory skips audit
    assert audit.verify(db).ok


def test_only_sanctions_in_force_are_public(client: httpx.Client, db: Session) -> None:
    provider = _named(db, "期限养老")
    creator = make_regulator(db)
    make_sanction(db, provider, creator, starts_on=TODAY() + timedelta(days=1))
    make_sanction(
        db,
        provider,
        creator,
        starts_on=TODAY() - timedelta(days=9),
        ends_on=TODAY() - timedelta(days=1),
    )
    db.commit()
    page = client.get(f"/providers/{provider.id}", headers=HTML)
    assert "sanction-warning" not in page.text


# --- what residents see, the audit page, the language ----------------------------


def test_my_reviews_explains_held_and_removed_reviews_neutrally(
    client: httpx.Client, db: Session, settings: Settings
) -> None:
    author = make_resident(db)
    provider = _named(db, "我的养老")
    make_review(db, provider, author, status=ReviewStatus.removed, text="被移除的评价")
    make_review(db, provider, author, status=ReviewStatus.held, text="审核中的评价")
    make_review(db, provider, author, text="正常的评价")
    db.commit()
    client.cookies.set(SESSION_COOKIE, issue_token(settings, author), domain="127.0.0.1")
    page = client.get("/me/reviews", headers=HTML)
    assert page.text.count("经核查后未计入评分") == 1
    assert page.text.count("正在核查中，暂不计入评分") == 1
    english = client.get("/me/reviews", headers={**HTML, "Accept-Language": "en"})
    assert "After a check, this review is not counted in the score." in english.text


def test_audit_page_shows_the_chain_to_admins(client: httpx.Client, db: Session) -> None:
    admin = make_regulator(db, role=RegulatorRole.admin, sectors=(), districts=())
    provider = _named(db, "审计养老")
    inspector = make_regulator(db)
    flag = make_flag(db, provider)
    db.commit()
    sign_in(client, db, inspector)
    post_form(client, f"/regulator/flags/{flag.id}/dismiss", {"note": ""})
    sign_in(client, db, admin)
    page = client.get("/regulator/audit", headers=HTML)
    assert page.status_code == 200
    assert "校验通过" in page.text
    assert "flag.dismiss" in page.text
    assert inspector.username in page.text
    assert 'href="/regulator/audit"' in page.text  # the admin's navigation has it
    sign_in(client, db, inspector)
    assert 'href="/regulator/audit"' not in client.get("/regulator", headers=HTML).text


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_console_page_is_translated_and_never_cached(
    client: httpx.Client, db: Session, language: str
) -> None:
    provider = _named(db, "英文养老")
    admin = make_regulator(db, role=RegulatorRole.admin, sectors=(), districts=())
    flag = make_flag(db, provider, evidence={"due": "2026-01-05", "unknown_key": "x"})
    case = make_case(db, provider, admin)
    make_sanction(db, provider, admin, kind=SanctionKind.blacklist)
    sign_in(client, db, admin)
    headers = {**HTML, "Accept-Language": language}
    for path in (
        "/regulator",
        "/regulator/queue",
        f"/regulator/flags/{flag.id}",
        "/regulator/cases",
        f"/regulator/cases/{case.id}",
        f"/regulator/providers/{provider.id}",
        "/regulator/audit",
    ):
        page = client.get(path, headers=headers)
        assert page.status_code == 200, path
        assert page.headers["cache-control"] == "no-store"
        words = re.sub(r"<[^>]+>", " ", page.text)
        for prefix in ("console.", "page.", "flag_kind.", "case_status.", "sanction_kind."):
            assert prefix not in words, (path, prefix)  # no untranslated key shows
    queue = client.get("/regulator/queue", headers={**HTML, "Accept-Language": "en"})
    assert "<h1>Queue</h1>" in queue.text
    assert "Suspected fake review" in queue.text


def test_a_notice_in_the_address_is_one_of_the_consoles_own(
    client: httpx.Client, db: Session, inspector: Regulator
) -> None:
    flag = make_flag(db, _named(db, "通知养老"))
    sign_in(client, db, inspector)
    forged = client.get(f"/regulator/flags/{flag.id}?done=<b>hacked</b>", headers=HTML)
    assert 'role="status"' not in forged.text
    shown = client.get(f"/regulator/flags/{flag.id}?done=dismissed", headers=HTML)
    assert "已驳回该线索。" in shown.text


def test_a_flag_page_lists_review_evidence_and_timeline(
    client: httpx.Client, db: Session, inspector: Regulator
) -> None:
    provider = _named(db, "证据养老")
    author = make_resident(db)
    make_review(db, _named(db, "别家养老"), author, level=5)
    flagged = make_review(db, provider, author, level=5, text="证据评价", client_hash="h-9")
    make_review(db, provider, level=5, client_hash="h-9")
    flag = make_flag(db, provider, review=flagged, evidence={"due": "2026-01-05"})
    sign_in(client, db, inspector)
    page = client.get(f"/regulator/flags/{flag.id}", headers=HTML)
    assert "证据评价" in page.text
    assert "作者的其他评价：共 1 条，涉及 1 家机构" in page.text
    assert "同一网络地址对本机构的其他评价：1 条，来自 1 位居民" in page.text
    assert "答复期限" in page.text
    assert "2026-01-05" in page.text
    assert 'aria-labelledby="timeline-title"' in page.text
    assert "h-9" not in page.text
    assert db.exec(select(Review).where(Review.client_hash == "h-9")).first()
