"""The open-data feed over HTTP: suppression (primary and complementary), withheld
scores, conditional GET, paging while reviews land, and no personal data anywhere."""

import csv
import gzip
import hashlib
import io
import json
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlmodel import Session

from haocha.accounts.models import RegulatorRole
from haocha.core import clock
from haocha.moderation.models import SanctionKind
from haocha.providers.models import Provider
from haocha.reviews.models import ReviewStatus
from tests.factories.accounts import make_resident
from tests.factories.moderation import make_sanction
from tests.factories.providers import make_provider
from tests.factories.regulators import make_regulator
from tests.factories.reviews import make_review

RESOURCES = ("providers", "sector-district-month", "sanctions")


def _month(when: datetime) -> str:
    return when.astimezone(clock.CHINA_TZ).strftime("%Y-%m")


def _reviews(db: Session, provider: Provider, n: int, when: datetime, **extra: Any) -> None:
    for i in range(n):
        make_review(db, provider, level=5 - i % 5, created_at=when, **extra)


def _csv(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.text)))


def test_small_cells_are_suppressed_with_a_complement(client: httpx.Client, db: Session) -> None:
    now = clock.now()
    early = now - timedelta(days=70)
    middle = now - timedelta(days=35)
    shop = make_provider(db, sector_code="fitness", district_code="310105")
    _reviews(db, shop, 30, early)
    _reviews(db, shop, 3, middle, prepaid=True)  # n < k: suppressed for itself
    _reviews(db, shop, 12, now)  # big enough, but hidden as the complement
    # A held review counts nowhere: it must not lift a cell over k.
    make_review(db, shop, level=1, created_at=middle, status=ReviewStatus.held)

    query = {"sector": "fitness", "district": "310105"}
    rows = _csv(client.get("/open/v1/sector-district-month.csv", params=query))
    by_month = {r["month"]: r for r in rows}
    assert set(by_month) == {_month(early), _month(middle), _month(now)}
    shown = by_month[_month(early)]
    assert shown["suppressed"] == "false"
    assert shown["review_count"] == "30"
    assert shown["count_5"] == "6"
    assert float(shown["good_rate"]) == 0.4
    for month in (_month(middle), _month(now)):
        assert by_month[month]["suppressed"] == "true"
        assert all(by_month[month][f] == "" for f in ("review_count", "count_5", "mean_level"))

    # The providers file gives this sector × district's all-time total; with two months
    # hidden, the total minus the published month is their sum, never one of them.
    providers = _csv(client.get("/open/v1/providers.csv", params=query))
    total = sum(int(p["review_count"]) for p in providers)
    assert total - int(shown["review_count"]) == 15

    # A filter that leaves out the complement does not un-hide the small cell.
    only_middle = client.get(
        "/open/v1/sector-district-month.json",
        params={**query, "month_from": _month(middle), "month_to": _month(middle)},
    ).json()["items"]
    assert [(c["month"], c["suppressed"], c["review_count"]) for c in only_middle] == [
        (_month(middle), True, None)
    ]


def test_prepaid_complaints_count_prepaid_bad_reviews(client: httpx.Client, db: Session) -> None:
    when = clock.now() - timedelta(days=40)
    gym = make_provider(db, sector_code="fitness", district_code="310106")
    for level in (1, 2, 2, 3, 5):
        make_review(db, gym, level=level, prepaid=True, created_at=when)
    for level in (1, 4, 4, 5, 5, 5):
        make_review(db, gym, level=level, created_at=when)
    [cell] = client.get(
        "/open/v1/sector-district-month.json", params={"sector": "fitness", "district": "310106"}
    ).json()["items"]
    assert cell["suppressed"] is False
    assert cell["review_count"] == 11
    assert cell["prepaid_complaints"] == 3  # prepaid and level <= 2; not the 3 or the 5


def test_scores_need_k_counted_reviews_and_sanctions_show(
    client: httpx.Client, db: Session
) -> None:
    few = make_provider(db, sector_code="housekeeping", district_code="310107")
    many = make_provider(db, sector_code="housekeeping", district_code="310107")
    _reviews(db, few, 9, clock.now())
    _reviews(db, many, 10, clock.now())
    regulator = make_regulator(db, role=RegulatorRole.supervisor)
    make_sanction(db, many, regulator, kind=SanctionKind.blacklist)
    make_sanction(
        db,
        few,
        regulator,
        starts_on=clock.today_local() - timedelta(days=30),
        ends_on=clock.today_local() - timedelta(days=1),
    )  # ended yesterday: listed, not in force

    body = client.get(
        "/open/v1/providers.json", params={"sector": "housekeeping", "district": "310107"}
    ).json()
    rows = {p["id"]: p for p in body["items"]}
    assert body["k"] == 10
    assert rows[few.id]["review_count"] == 9
    assert rows[few.id]["score"] is None
    assert rows[few.id]["score_low"] is None
    assert rows[few.id]["warning"] is False
    assert rows[many.id]["score"] is not None
    assert rows[many.id]["score_low"] <= rows[many.id]["score"] <= rows[many.id]["score_high"]
    assert rows[many.id]["blacklisted"] is True
    assert rows[many.id]["bad_review_answer_rate"] is None  # the loop is not live yet
    assert rows[many.id]["good_rate"] == 0.4
    assert rows[many.id]["bad_rate"] == 0.4

    sanctions = client.get("/open/v1/sanctions.json", params={"district": "310107"}).json()
    listed = {s["provider_id"]: s for s in sanctions["items"]}
    assert listed[many.id]["kind"] == "blacklist"
    assert listed[many.id]["in_force"] is True
    assert listed[few.id]["in_force"] is False


def test_conditional_get_answers_304_until_the_data_changes(
    client: httpx.Client, db: Session
) -> None:
    shop = make_provider(db, sector_code="culture", district_code="310109")
    _reviews(db, shop, 3, clock.now())
    for path in ("/open/v1/providers.csv", "/open/v1/sanctions.json", "/open/v1/datapackage.json"):
        first = client.get(path)
        assert first.status_code == 200
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        again = client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304
        assert again.content == b""
        assert again.headers["etag"] == etag
        assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 304
        # Another query is another representation with its own tag.
        other = client.get(path, params={"sector": "culture"}, headers={"If-None-Match": etag})
        assert other.status_code == 200

    etag = client.get("/open/v1/providers.csv").headers["etag"]
    make_review(db, shop, level=1)
    changed = client.get("/open/v1/providers.csv", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag


def test_paging_neither_skips_nor_repeats_while_reviews_land(
    client: httpx.Client, db: Session
) -> None:
    providers = [make_provider(db, sector_code="tourism", district_code="310110") for _ in range(9)]
    for i, p in enumerate(providers):
        _reviews(db, p, 1 + i, clock.now() - timedelta(days=i))
    expected = {p.id for p in providers}
    seen: list[int] = []
    params: dict[str, Any] = {"sector": "tourism", "district": "310110", "limit": 2}
    pages = 0
    while True:
        body = client.get("/open/v1/providers.json", params=params).json()
        seen += [row["id"] for row in body["items"]]
        pages += 1
        # Between pages: reviews land on providers already paged and still ahead, scores
        # and counts move, and a new provider appears; none of that moves an id.
        make_review(db, providers[0], level=1)
        make_review(db, providers[-1], level=5)
        make_review(db, providers[pages % len(providers)], level=2)
        expected.add(make_provider(db, sector_code="tourism", district_code="310110").id)
        if body["next_cursor"] is None:
            break
        params["cursor"] = body["next_cursor"]
    assert len(seen) == len(set(seen)), "a row was repeated"
    assert seen == sorted(seen)
    assert {p.id for p in providers} <= set(seen), "a row was skipped"
    assert pages >= 5

    bad = client.get("/open/v1/providers.json", params={"cursor": "bm9wZQ"})
    assert bad.status_code == 400


def _same(text: str, value: Any) -> bool:
    if value is None:
        return text == ""
    if isinstance(value, bool):
        return text == str(value).lower()
    if isinstance(value, float):
        return abs(float(text) - value) < 1e-4
    return text == str(value)


def test_bulk_formats_agree_and_gzip(client: httpx.Client, db: Session) -> None:
    shops = [make_provider(db, sector_code="health", district_code="310112") for _ in range(3)]
    for shop, n in zip(shops, (11, 3, 0), strict=True):
        _reviews(db, shop, n, clock.now())
    make_sanction(db, shops[0], make_regulator(db), kind=SanctionKind.warning)
    query = {"sector": "health", "district": "310112"}
    for resource in RESOURCES:
        as_json = client.get(f"/open/v1/{resource}.json", params={**query, "limit": 1000}).json()
        ndjson = client.get(f"/open/v1/{resource}.ndjson", params=query)
        assert ndjson.headers["content-type"].startswith("application/x-ndjson")
        lines = [json.loads(line) for line in ndjson.text.splitlines()]
        assert lines == as_json["items"]
        raw = client.get(
            f"/open/v1/{resource}.csv", params=query, headers={"Accept-Encoding": "gzip"}
        )
        assert raw.headers["content-encoding"] == "gzip"
        table = _csv(raw)
        assert len(table) == len(lines)
        # On PostgreSQL the providers CSV is written by COPY, the JSON by Python: the
        # values must agree field by field.
        for from_csv, from_json in zip(table, lines, strict=True):
            assert list(from_csv) == list(from_json)
            for name, value in from_json.items():
                assert _same(from_csv[name], value), (resource, name, from_csv[name], value)
    excel = client.get("/open/v1/providers.csv", params={**query, "bom": "1"})
    assert excel.content.startswith(b"\xef\xbb\xbf")
    with client.stream(
        "GET", "/open/v1/providers.csv", params=query, headers={"Accept-Encoding": "gzip"}
    ) as response:
        compressed = b"".join(response.iter_raw())
    assert gzip.decompress(compressed).decode().startswith("id,name,sector")
    assert client.get("/open/v1/nothing.csv").status_code == 404
    assert client.get("/open/v1/providers.xml").status_code == 404


def test_no_personal_data_in_any_open_output(client: httpx.Client, db: Session) -> None:
    secrets: list[str] = []
    shop = make_provider(db, sector_code="fitness", district_code="310101")
    for i in range(12):
        resident = make_resident(db, phone_hash=hashlib.sha256(f"phone {i}".encode()).hexdigest())
        assert resident.id is not None
        text = f"独一无二的评价文字{i}号-QX7Z"
        address_hash = hashlib.sha256(f"address {i}".encode()).hexdigest()
        make_review(
            db, shop, resident, level=1 + i % 5, text=text, client_hash=address_hash, prepaid=True
        )
        secrets += [text, resident.phone_hash, address_hash]
    regulator = make_regulator(db, role=RegulatorRole.supervisor, username="open-data-inspector")
    make_sanction(db, shop, regulator, kind=SanctionKind.warning)
    secrets += [regulator.username, regulator.display_name]

    outputs: dict[str, str] = {}
    for resource in RESOURCES:
        for fmt in ("json", "csv", "ndjson"):
            response = client.get(f"/open/v1/{resource}.{fmt}", params={"limit": 1000})
            assert response.status_code == 200
            outputs[f"{resource}.{fmt}"] = response.text
    docs_pages = ("/open/", "/open/?lang=en")  # they name what the data leaves out
    for path in ("/open/v1/datapackage.json", "/open/v1/catalog.json", *docs_pages):
        response = client.get(path)
        assert response.status_code == 200
        outputs[path] = response.text
    assert "QX7Z" not in outputs["/open/"]
    assert str(shop.id) in outputs["providers.csv"]  # the data is there...
    for name, body in outputs.items():
        for secret in secrets:
            assert secret not in body, f"{secret!r} in {name}"
        for word in ("resident", "phone", "client_hash", "created_by", "lifted_by"):
            assert word not in body or name in docs_pages, f"{word} in {name}"


def test_updated_since_finds_providers_whose_reviews_or_sanctions_changed(
    client: httpx.Client, db: Session
) -> None:
    quiet, reviewed, sanctioned = (
        make_provider(db, sector_code="property", district_code="310115") for _ in range(3)
    )
    for shop in (quiet, reviewed, sanctioned):
        make_review(db, shop, level=4)
    clock.advance(timedelta(days=2))
    since = (clock.now() - timedelta(days=1)).isoformat()
    make_review(db, reviewed, level=2)
    make_sanction(db, sanctioned, make_regulator(db), kind=SanctionKind.warning)

    body = client.get(
        "/open/v1/providers.json", params={"district": "310115", "updated_since": since}
    ).json()
    assert {p["id"] for p in body["items"]} == {reviewed.id, sanctioned.id}
    naive = since[:19]  # no zone: read as UTC
    again = client.get(
        "/open/v1/providers.json", params={"district": "310115", "updated_since": naive}
    ).json()
    assert {p["id"] for p in again["items"]} == {reviewed.id, sanctioned.id}
