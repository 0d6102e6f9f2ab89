"""Dated snapshots: written once a day, served as files, never changed afterwards."""

import csv
import io
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session

from haocha.core import clock
from haocha.core.settings import Settings
from haocha.opendata.snapshots import write_snapshot
from tests.factories.providers import make_provider
from tests.factories.reviews import make_review


def _counts(text: str) -> dict[str, str]:
    return {r["id"]: r["review_count"] for r in csv.DictReader(io.StringIO(text))}


def test_a_snapshot_keeps_the_day_s_data(
    client: httpx.Client,
    db: Session,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(settings, "open_data_snapshot_dir", tmp_path)
    shop = make_provider(db, sector_code="culture", district_code="310101")
    for _ in range(10):
        make_review(db, shop, level=4)
    assert client.get("/open/v1/snapshots.json").json() == {"items": []}

    live = client.get("/open/v1/providers.csv").text
    write_snapshot(db, tmp_path, k=settings.open_data_min_reviews)
    [entry] = client.get("/open/v1/snapshots.json").json()["items"]
    assert entry["date"] == clock.today_local().isoformat()
    assert set(entry["resources"]) == {"providers", "sector-district-month", "sanctions"}
    url = entry["resources"]["providers"]
    snapshot = client.get(url)
    assert snapshot.status_code == 200
    assert snapshot.headers["content-type"].startswith("text/csv")
    assert _counts(snapshot.text) == _counts(live)
    assert _counts(snapshot.text)[str(shop.id)] == "10"

    # Later the same day: the live file moves on, the snapshot does not.
    make_review(db, shop, level=1)
    write_snapshot(db, tmp_path, k=settings.open_data_min_reviews)
    assert client.get(url).text == snapshot.text
    assert _counts(client.get("/open/v1/providers.csv").text)[str(shop.id)] == "11"

    day = entry["date"]
    for path in (
        f"/open/v1/snapshots/{day}/reviews.csv",
        f"/open/v1/snapshots/{day}/providers.json",
        "/open/v1/snapshots/2020-01-01/providers.csv",
        f"/open/v1/snapshots/{day}/..%2F..%2Fhaocha.db",
    ):
        assert client.get(path).status_code == 404, path
