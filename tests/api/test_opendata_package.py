"""The data package validates with Frictionless against the live files, and the DCAT
catalogue points at every distribution."""

from datetime import timedelta

import httpx
from frictionless import Package, validate
from frictionless.resources import TableResource
from sqlmodel import Session

from haocha.accounts.models import RegulatorRole
from haocha.core import clock
from haocha.moderation.models import SanctionKind
from tests.factories.moderation import make_sanction
from tests.factories.providers import make_provider
from tests.factories.regulators import make_regulator
from tests.factories.reviews import make_review


def test_frictionless_validates_the_live_data_package(client: httpx.Client, db: Session) -> None:
    # Enough variety that every kind of value is exercised: scored and unscored providers,
    # a suppressed and a published cell, both kinds of sanction, one lifted.
    scored = make_provider(db, sector_code="fitness", district_code="310104", name='健身, "引号"店')
    unscored = make_provider(db, sector_code="childcare", district_code="310104")
    for i in range(12):
        make_review(db, scored, level=1 + i % 5, prepaid=i % 2 == 0)
    make_review(db, unscored, level=2, created_at=clock.now() - timedelta(days=40))
    regulator = make_regulator(db, role=RegulatorRole.admin)
    make_sanction(db, scored, regulator, kind=SanctionKind.blacklist)
    lifted = make_sanction(db, unscored, regulator, ends_on=clock.today_local())
    lifted.lifted_at = clock.now()
    db.flush()

    url = f"{client.base_url}/open/v1/datapackage.json"
    report = validate(url)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = Package(url)
    assert [r.name for r in package.resources] == [
        "providers",
        "sector-district-month",
        "sanctions",
    ]
    assert package.licenses[0]["name"] == "CC-BY-4.0"
    providers = package.get_resource("providers")
    assert isinstance(providers, TableResource)
    rows = {r["id"]: r for r in providers.read_rows()}
    assert rows[scored.id]["score"] is not None
    assert rows[unscored.id]["score"] is None  # read as missing, not as an error


def test_dcat_catalogue_lists_a_distribution_per_format(client: httpx.Client) -> None:
    catalog = client.get("/open/v1/catalog.json").json()
    assert catalog["@type"] == "dcat:Catalog"
    urls = [
        d["dcat:downloadURL"]["@id"]
        for dataset in catalog["dcat:dataset"]
        for d in dataset["dcat:distribution"]
        if "dcat:downloadURL" in d
    ]
    assert len(urls) == 9
    for url in urls:
        assert client.get(url).status_code == 200, url
