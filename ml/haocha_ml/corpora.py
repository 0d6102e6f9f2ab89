"""Loaders for the public corpora in the shared data folder (see its README.md for sources and
licences). None of these files is part of the repository: they are read from
`$HAOCHA_SHARED_DATA`, by default `<project root>/../shared/data`.

Every loader returns plain lists (texts, labels, …) in file order, so training code can hash,
split and vectorise them without pandas. `file_sha256` gives the hashes a model file records
for the data it was trained on."""

import csv
import hashlib
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from haocha.core.settings import PROJECT_ROOT
from haocha.ml.contract import ReviewInput

DP_CDC = Path("dp_cdc") / "dp_cdc_dev.csv"
OP_SPAM = Path("op_spam") / "op_spam_v1.4.csv"
CHNSENTICORP = Path("chinese_reviews") / "ChnSentiCorp_htl_all.csv"
WAIMAI = Path("chinese_reviews") / "waimai_10k.csv"
ONLINE_SHOPPING = Path("chinese_reviews") / "online_shopping_10_cats.csv"
ASAP_SAMPLES = tuple(
    Path("asap_dianping") / f"{part}_sample.csv" for part in ("train", "dev", "test")
)

# dp_cdc times carry no zone; they are Chengdu local time.
DP_CDC_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


class CorpusMissing(FileNotFoundError):
    """A shared data file is not where the loaders look for it."""


def shared_data_dir() -> Path:
    """The shared data folder: `$HAOCHA_SHARED_DATA`, else `<project root>/../shared/data`."""
    configured = os.environ.get("HAOCHA_SHARED_DATA")
    return Path(configured) if configured else PROJECT_ROOT.parent / "shared" / "data"


def corpus_path(relative: Path) -> Path:
    """The absolute path of one shared file, or a clear error saying where it was expected."""
    path = shared_data_dir() / relative
    if not path.is_file():
        raise CorpusMissing(
            f"{path} not found: the public corpora live outside the repository "
            "(see ../shared/data/README.md); set HAOCHA_SHARED_DATA to the folder holding "
            f"{relative}"
        )
    return path


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, recorded in model files as the training-data hash."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _rows(relative: Path) -> list[dict[str, str]]:
    # utf-8-sig: the ASAP samples start with a byte-order mark before the header.
    with corpus_path(relative).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _clean(text: str) -> str:
    # A few online_shopping texts begin with a stray byte-order mark inside the field.
    return text.replace("\ufeff", "").strip()


def _text_label_pairs(relative: Path) -> tuple[list[str], list[int]]:
    rows = [row for row in _rows(relative) if _clean(row["review"] or "")]
    return [_clean(row["review"]) for row in rows], [int(row["label"]) for row in rows]


def load_chnsenticorp() -> tuple[list[str], list[int]]:
    """ChnSentiCorp hotel reviews: texts and labels (1 positive, 0 negative); empty texts
    dropped."""
    return _text_label_pairs(CHNSENTICORP)


def load_waimai() -> tuple[list[str], list[int]]:
    """waimai_10k takeaway reviews: texts and labels (1 positive, 0 negative); empty texts
    dropped."""
    return _text_label_pairs(WAIMAI)


def load_online_shopping() -> tuple[list[str], list[int], list[str]]:
    """online_shopping_10_cats: texts, labels (1 positive, 0 negative) and the category of
    each (书籍, 手机, …); empty texts dropped."""
    rows = [row for row in _rows(ONLINE_SHOPPING) if _clean(row["review"] or "")]
    return (
        [_clean(row["review"]) for row in rows],
        [int(row["label"]) for row in rows],
        [row["cat"] for row in rows],
    )


@dataclass(frozen=True, slots=True)
class OpSpamReview:
    text: str
    deceptive: bool
    polarity: str  # "positive" | "negative"
    hotel: str
    fold: int  # 1-5, the authors' cross-validation folds


def load_op_spam() -> list[OpSpamReview]:
    """Ott et al.'s deceptive opinion spam corpus (English, CC BY-NC-SA 3.0: benchmark only,
    never train a shipped model on it)."""
    return [
        OpSpamReview(
            text=row["text"],
            deceptive=row["label"] == "deceptive",
            polarity=row["polarity"],
            hotel=row["hotel"],
            fold=int(row["fold"]),
        )
        for row in _rows(OP_SPAM)
    ]


@dataclass(frozen=True, slots=True)
class AsapSample:
    text: str
    star: int  # 1-5
    aspects: dict[str, int]  # 18 aspects: 1 positive, 0 neutral, -1 negative, -2 not mentioned
    part: str  # "train" | "dev" | "test"


def load_asap_samples() -> list[AsapSample]:
    """The 300 public ASAP Dianping samples (Apache-2.0), train, dev and test parts in order."""
    samples: list[AsapSample] = []
    for relative in ASAP_SAMPLES:
        part = relative.name.removesuffix("_sample.csv")
        for row in _rows(relative):
            aspects = {
                key: int(value)
                for key, value in row.items()
                if key not in {"index", "reviewbody", "star"}
            }
            samples.append(
                AsapSample(
                    text=_clean(row["reviewbody"]),
                    star=round(float(row["star"])),
                    aspects=aspects,
                    part=part,
                )
            )
    return samples


@dataclass(frozen=True, slots=True)
class DpCdcRow:
    """One row of dp_cdc as published. `user_name` and `shop_name` are salted hashes unique
    to each row, so they are not kept: they carry no history."""

    id: int
    fake: bool
    text: str
    overall: float  # 0.5-5 in half stars
    taste: float
    environment: float
    service: float
    ingredient: float
    consumption: float  # yuan per person; 0 when not stated
    picture: int
    like: int
    response: bool  # the merchant replied
    time: datetime
    # No platform equivalent (see ml/notes/fake.md): kept for measurement only.
    vip: bool
    discount: bool
    food: int
    interaction: int


def load_dp_cdc() -> list[DpCdcRow]:
    """The 3,600 labelled Dianping reviews of dp_cdc (593 fake), in file order."""
    return [
        DpCdcRow(
            id=int(row["id"]),
            fake=row["label"] == "1",
            text=row["text"],
            overall=float(row["overall"]),
            taste=float(row["taste"]),
            environment=float(row["environment"]),
            service=float(row["service"]),
            ingredient=float(row["ingredient"]),
            consumption=float(row["consumption"]),
            picture=int(row["picture"]),
            like=int(row["like"]),
            response=row["response"] == "1",
            time=datetime.strptime(row["time"], DP_CDC_TIME_FORMAT),  # noqa: DTZ007 -- naive local time, as published
            vip=row["vip"] == "1",
            discount=row["discount"] == "1",
            food=int(row["food"]),
            interaction=int(row["interaction"]),
        )
        for row in _rows(DP_CDC)
    ]


def _level(stars: float) -> int:
    # Half stars round half up (4.5 -> 5, 0.5 -> 1), then clip to the five levels.
    return min(5, max(1, int(stars + 0.5)))


def dp_cdc_review_input(row: DpCdcRow) -> ReviewInput:
    """A dp_cdc row as the platform would see it at runtime.

    overall -> level, service -> attitude, taste -> quality, environment -> environment,
    ingredient -> price. Dianping's 食材 (ingredient) score is the nearest of its four to
    our 价格透明 (price transparency): both rate what was received for the money, and dp_cdc
    has no price score; consumption -> amount (None when 0, i.e. not stated), picture ->
    photos, like -> likes, response -> replied, time -> created_at. vip, discount, food and
    interaction have no platform field and are left out."""
    return ReviewInput(
        text=row.text,
        level=_level(row.overall),
        dimensions={
            "attitude": _level(row.service),
            "quality": _level(row.taste),
            "price": _level(row.ingredient),
            "environment": _level(row.environment),
        },
        amount=row.consumption if row.consumption > 0 else None,
        photos=row.picture,
        likes=row.like,
        replied=row.response,
        created_at=row.time,
    )


def load_dp_cdc_reviews() -> tuple[list[ReviewInput], list[int]]:
    """dp_cdc as ReviewInputs and labels (1 fake, 0 truthful)."""
    rows = load_dp_cdc()
    return [dp_cdc_review_input(row) for row in rows], [int(row.fake) for row in rows]
