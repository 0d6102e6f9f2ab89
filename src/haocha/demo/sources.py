"""Readers for the Chinese review corpora in ../shared/data (see its README.md).

Only the Chinese corpora whose terms allow a derived demo extract are read here: op_spam
(English, CC BY-NC-SA) and MovieLens (non-commercial, not reviews) are deliberately left out.
Every text keeps the corpus it came from and its record number, so a demo review can always
be traced back to its source.
"""

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

MIN_CHARS = 4
MAX_CHARS = 1000  # the Review.text limit; longer texts would have to be cut, so they are dropped


class SourceInfo(NamedTuple):
    name: str  # short key used in the extract
    path: str  # relative to the data directory
    origin: str
    licence: str
    citation: str


_SOPHONPLUS = "https://github.com/SophonPlus/ChineseNlpCorpus"
_NO_LICENCE = "none stated; published as a research corpus"

ASAP_FILES = ("dev_sample.csv", "test_sample.csv", "train_sample.csv")

SOURCES: tuple[SourceInfo, ...] = (
    *(
        SourceInfo(
            f"asap_{name.removesuffix('_sample.csv')}",
            f"asap_dianping/{name}",
            "https://github.com/Meituan-Dianping/asap (data/" + name + ")",
            "Apache-2.0",
            "Bu et al., ASAP: A Chinese Review Dataset Towards Aspect Category Sentiment "
            "Analysis and Rating Prediction, NAACL 2021",
        )
        for name in ASAP_FILES
    ),
    SourceInfo(
        "dp_cdc",
        "dp_cdc/dp_cdc_dev.csv",
        "https://github.com/FakeReview/Data_set (Dp-CDC_metadata.csv + Dp-CDC_text.csv)",
        "none stated; used for research",
        "FakeReview/Data_set, Dianping Chengdu reviews (Dp-CDC), 2019–2020",
    ),
    SourceInfo(
        "waimai_10k",
        "chinese_reviews/waimai_10k.csv",
        f"{_SOPHONPLUS} (datasets/waimai_10k)",
        _NO_LICENCE,
        "SophonPlus/ChineseNlpCorpus, waimai_10k",
    ),
    SourceInfo(
        "chnsenticorp_htl",
        "chinese_reviews/ChnSentiCorp_htl_all.csv",
        f"{_SOPHONPLUS} (datasets/ChnSentiCorp_htl_all)",
        _NO_LICENCE,
        "Tan Songbo, ChnSentiCorp hotel reviews, via SophonPlus/ChineseNlpCorpus",
    ),
    SourceInfo(
        "online_shopping",
        "chinese_reviews/online_shopping_10_cats.csv",
        f"{_SOPHONPLUS} (datasets/online_shopping_10_cats)",
        _NO_LICENCE,
        "SophonPlus/ChineseNlpCorpus, online_shopping_10_cats",
    ),
)
SOURCE_BY_NAME = {s.name: s for s in SOURCES}


@dataclass(frozen=True, slots=True)
class SourceText:
    corpus: str  # SourceInfo.name
    row: int  # 1-based record number among the data rows (header excluded)
    text: str
    label: int | None = None  # binary sentiment: 1 positive, 0 negative
    star: float | None = None  # 0.5-5 overall rating, where the corpus has one
    category: str | None = None  # online_shopping's `cat`
    dims: dict[str, float] = field(default_factory=dict)  # Haocha dimension -> raw rating
    time: str | None = None  # original posting time (dp_cdc only), kept for reference

    @property
    def origin(self) -> str:
        """The category where there is one, else the corpus: what the sector rules key on."""
        return self.category or self.corpus


_ESCAPED_NEWLINE = re.compile(r"\\+n")


def clean(value: str | None) -> str:
    # Some online_shopping rows start with a BOM inside the field, not just the file; ASAP and
    # a few shopping rows carry line breaks as literal "\n" escapes, with indentation after.
    text = _ESCAPED_NEWLINE.sub("\n", (value or "").replace("\ufeff", "").replace("\r\n", "\n"))
    if "\n" not in text:
        return text.strip()
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


def _float(value: str | None) -> float | None:
    value = clean(value)
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _label(value: str | None) -> int | None:
    value = clean(value)
    return int(value) if value in {"0", "1"} else None


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    # utf-8-sig strips the file BOM, which would otherwise end up in the first column's name.
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for number, row in enumerate(csv.DictReader(fh), start=1):
            yield number, {clean(k): v for k, v in row.items() if k is not None}


def read_asap(data_dir: Path, name: str) -> Iterator[SourceText]:
    info = SOURCE_BY_NAME[name]
    for row_no, row in _rows(data_dir / info.path):
        yield SourceText(name, row_no, clean(row.get("reviewbody")), star=_float(row.get("star")))


# Dp-CDC rates taste, environment and service; Haocha's nearest dimensions are these.
DP_CDC_DIMENSIONS = {"taste": "quality", "environment": "environment", "service": "attitude"}


def read_dp_cdc(data_dir: Path) -> Iterator[SourceText]:
    info = SOURCE_BY_NAME["dp_cdc"]
    for row_no, row in _rows(data_dir / info.path):
        dims = {
            ours: value
            for theirs, ours in DP_CDC_DIMENSIONS.items()
            if (value := _float(row.get(theirs))) is not None and value > 0
        }
        yield SourceText(
            "dp_cdc",
            row_no,
            clean(row.get("text")),
            star=_float(row.get("overall")),
            dims=dims,
            time=clean(row.get("time")) or None,
        )


def read_labelled(data_dir: Path, name: str) -> Iterator[SourceText]:
    """waimai_10k, ChnSentiCorp_htl_all and online_shopping_10_cats: label, review (, cat)."""
    info = SOURCE_BY_NAME[name]
    for row_no, row in _rows(data_dir / info.path):
        yield SourceText(
            name,
            row_no,
            clean(row.get("review")),
            label=_label(row.get("label")),
            category=clean(row.get("cat")) or None,
        )


def read_raw(data_dir: Path) -> Iterator[SourceText]:
    """Every record of every corpus, in the fixed order of SOURCES."""
    for info in SOURCES:
        if info.name.startswith("asap_"):
            yield from read_asap(data_dir, info.name)
        elif info.name == "dp_cdc":
            yield from read_dp_cdc(data_dir)
        else:
            yield from read_labelled(data_dir, info.name)


def usable(item: SourceText) -> bool:
    has_rating = item.star is not None or item.label is not None
    return has_rating and MIN_CHARS <= len(item.text) <= MAX_CHARS


def read_all(data_dir: Path) -> list[SourceText]:
    """Usable, exactly deduplicated texts. The first occurrence wins, and SOURCES puts the
    rated corpora first, so a text found in both ChnSentiCorp and the 酒店 category keeps
    its ChnSentiCorp record."""
    seen: set[str] = set()
    out: list[SourceText] = []
    for item in read_raw(data_dir):
        if usable(item) and item.text not in seen:
            seen.add(item.text)
            out.append(item)
    return out
