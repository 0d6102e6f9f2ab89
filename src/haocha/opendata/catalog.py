"""The data package (Frictionless) and the DCAT catalogue (JSON-LD) describing the feed.

Both are built from `schema.py` and the request's base URL: a package's resource paths
must be URLs that resolve to the live CSV files, or `frictionless validate` cannot read
them."""

from typing import Any

from haocha.opendata.schema import LICENSE, RESOURCES

PACKAGE_NAME = "haocha-open-data"
TITLE = "好差评 Haocha — open service-quality data / 社区生活服务好差评开放数据"
DESCRIPTION = (
    "Aggregate review counts and scores of community life service providers in Shanghai "
    "and Nantong, per provider and per sector × district × month, and the regulators' "
    "published consumer warnings and blacklist entries. No personal data; cells with "
    "fewer than k reviews are suppressed. 服务机构与行业×区县×月份的好差评汇总数据，"
    "不含个人信息，小样本单元格已隐去。"
)


def csv_url(base: str, resource: str) -> str:
    return f"{base}/open/v1/{resource}.csv"


def datapackage(base: str, *, k: int) -> dict[str, Any]:
    return {
        "name": PACKAGE_NAME,
        "title": TITLE,
        "description": DESCRIPTION + f" k = {k}.",
        "homepage": f"{base}/open/",
        "licenses": [LICENSE],
        "resources": [
            {
                "name": r.name,
                "title": f"{r.zh} / {r.en}",
                "path": csv_url(base, r.name),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": r.table_schema(),
            }
            for r in RESOURCES.values()
        ],
    }


def dcat_catalog(base: str) -> dict[str, Any]:
    """A DCAT-AP style catalogue: one dataset per resource, one distribution per format."""
    media = {"csv": "text/csv", "json": "application/json", "ndjson": "application/x-ndjson"}
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
        },
        "@id": f"{base}/open/v1/catalog.json",
        "@type": "dcat:Catalog",
        "dct:title": TITLE,
        "dct:description": DESCRIPTION,
        "dct:license": {"@id": LICENSE["path"]},
        "foaf:homepage": {"@id": f"{base}/open/"},
        "dcat:dataset": [
            {
                "@id": f"{base}/open/v1/{r.name}",
                "@type": "dcat:Dataset",
                "dct:identifier": r.name,
                "dct:title": [
                    {"@value": r.zh, "@language": "zh"},
                    {"@value": r.en, "@language": "en"},
                ],
                "dct:license": {"@id": LICENSE["path"]},
                "dcat:landingPage": {"@id": f"{base}/open/"},
                "dcat:distribution": [
                    {
                        "@type": "dcat:Distribution",
                        "dct:format": fmt,
                        "dcat:mediaType": mediatype,
                        "dcat:downloadURL": {"@id": f"{base}/open/v1/{r.name}.{fmt}"},
                        "dct:license": {"@id": LICENSE["path"]},
                    }
                    for fmt, mediatype in media.items()
                ]
                + [
                    {
                        "@type": "dcat:Distribution",
                        "dct:format": "datapackage",
                        "dcat:mediaType": "application/json",
                        "dcat:accessURL": {"@id": f"{base}/open/v1/datapackage.json"},
                        "dct:conformsTo": {
                            "@id": "https://specs.frictionlessdata.io/data-package/"
                        },
                    }
                ],
            }
            for r in RESOURCES.values()
        ],
    }
