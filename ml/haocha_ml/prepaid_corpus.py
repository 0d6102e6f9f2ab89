"""The prepaid-card (单用途预付卡) complaint corpus: the keyword search that finds its real
candidates in ../shared/data, and the loader that validates the shipped CSV.

No public labelled corpus of Chinese prepaid-card complaints exists, so Haocha ships its own
(`ml/data/prepaid_corpus.csv`, guideline in `ml/data/PREPAID_ANNOTATION.md`). Its real rows
were found by `find_candidates` and labelled by reading; re-running

    python -m haocha_ml.prepaid_corpus candidates > candidates.csv

lists the same candidates in the same order, and `python -m haocha_ml.prepaid_corpus check`
validates the CSV and reports which candidates are not in it.
"""

import csv
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from haocha.demo.sources import SOURCE_BY_NAME, SourceText, read_raw

ML_DIR = Path(__file__).resolve().parents[1]
CORPUS_PATH = ML_DIR / "data" / "prepaid_corpus.csv"
DEFAULT_DATA_DIR = ML_DIR.parents[1] / "shared" / "data"

# Words a resident uses for a card, a top-up, a package, a deposit or getting money back.
# Short and deliberately broad: the search only proposes candidates, the label is given by
# reading each one against the guideline, so recall matters here and precision does not.
KEYWORDS: tuple[str, ...] = (
    "会员卡",
    "办卡",
    "办了卡",
    "充值",
    "充卡",
    "储值",
    "预付",
    "次卡",
    "年卡",
    "月卡",
    "季卡",
    "金卡",
    "vip卡",
    "卡里",
    "课时",
    "课程包",
    "押金",
    "退款",
    "退卡",
    "退费",
    "余额",
    "跑路",
    "转让",
    "会员",
    # Other stored-value cards, and the words of the closed/unreachable pattern. In these
    # corpora they are nearly all hard negatives (a takeaway shop "should close down", a
    # phone that is not answered), which is exactly why the corpus needs them.
    "礼品卡",
    "购物卡",
    "消费卡",
    "健身卡",
    "e卡",
    "预存",
    "退钱",
    "倒闭",
    "关门了",
    "打不通",
    "联系不上",
)

LABELS = (0, 1)
SUBTYPES: tuple[str, ...] = (
    "refund_refused",  # 退卡/退费被拒，或扣高额手续费、违约金
    "closed_unreachable",  # 关门、跑路、联系不上
    "transfer_voided",  # 转让、换老板后不认卡
    "usage_restricted",  # 限制使用、约不上、缩水、强行改规则
    "misleading_sale",  # 诱导、强迫办卡，承诺不兑现
)
ORIGINS = ("real", "written")
WRITTEN_SOURCE = "team"
COLUMNS = ("id", "text", "label", "subtype", "origin", "source", "sector", "note")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A real text that mentions one of the KEYWORDS."""

    source: str  # "<file relative to the data dir>#<1-based data row>"
    text: str
    keywords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PrepaidExample:
    """One row of the corpus."""

    id: str
    text: str
    label: int  # 1: a complaint about a prepaid card; 0: not
    subtype: str | None  # one of SUBTYPES for label 1, None for label 0
    origin: str  # "real" (from ../shared/data) or "written" (by the team)
    source: str  # "<file>#<row>" for real rows, "team" for written ones
    sector: str  # community-service sector it is about, "" if none
    note: str


class PrepaidCorpusError(ValueError):
    """The corpus CSV has a row that breaks the guideline's rules."""


def source_of(item: SourceText) -> str:
    return f"{SOURCE_BY_NAME[item.corpus].path}#{item.row}"


def dedup_key(text: str) -> str:
    """Two texts are the same review if they differ only in width or spacing: the copies
    of hotel reviews in online_shopping carry extra blanks. Near-copies in the corpus would
    put the same review in a training and a test fold."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def matched_keywords(text: str) -> tuple[str, ...]:
    lowered = text.lower()  # "VIP卡" and "vip卡" alike
    return tuple(k for k in KEYWORDS if k in lowered)


def find_candidates(data_dir: Path = DEFAULT_DATA_DIR) -> list[Candidate]:
    """Every text in the Chinese corpora that mentions a keyword, in the corpora's fixed
    order, each text once (the first occurrence wins: online_shopping repeats some hotel
    reviews of ChnSentiCorp)."""
    seen: set[str] = set()
    found: list[Candidate] = []
    for item in read_raw(data_dir):
        keywords = matched_keywords(item.text)
        key = dedup_key(item.text)
        if keywords and key not in seen:
            seen.add(key)
            found.append(Candidate(source_of(item), item.text, keywords))
    return found


def _fail(line: int, message: str) -> PrepaidCorpusError:
    return PrepaidCorpusError(f"{CORPUS_PATH.name} line {line}: {message}")


def _example(line: int, row: dict[str, str | None]) -> PrepaidExample:
    missing = [c for c in COLUMNS if row.get(c) is None]
    if missing:
        raise _fail(line, f"missing column(s) {', '.join(missing)}")
    values = {c: (row[c] or "").strip() for c in COLUMNS}
    if not values["id"]:
        raise _fail(line, "empty id")
    if not values["text"]:
        raise _fail(line, f"id {values['id']}: empty text")
    if values["label"] not in {"0", "1"}:
        raise _fail(line, f"id {values['id']}: label must be 0 or 1, not {values['label']!r}")
    label = int(values["label"])
    subtype = values["subtype"] or None
    if label == 1 and subtype not in SUBTYPES:
        raise _fail(
            line, f"id {values['id']}: label 1 needs a subtype from {SUBTYPES}, not {subtype!r}"
        )
    if label == 0 and subtype is not None:
        raise _fail(line, f"id {values['id']}: label 0 must have an empty subtype")
    origin = values["origin"]
    if origin not in ORIGINS:
        raise _fail(line, f"id {values['id']}: origin must be one of {ORIGINS}, not {origin!r}")
    source = values["source"]
    if origin == "written" and source != WRITTEN_SOURCE:
        raise _fail(line, f"id {values['id']}: a written row's source must be {WRITTEN_SOURCE!r}")
    if origin == "real":
        path, _, row_no = source.partition("#")
        if path not in {s.path for s in SOURCE_BY_NAME.values()} or not row_no.isdigit():
            raise _fail(
                line,
                f"id {values['id']}: a real row's source must be '<data file>#<row>', "
                f"not {source!r}",
            )
    return PrepaidExample(
        id=values["id"],
        text=values["text"],
        label=label,
        subtype=subtype,
        origin=origin,
        source=source,
        sector=values["sector"],
        note=values["note"],
    )


def parse_rows(lines: Iterable[str]) -> list[PrepaidExample]:
    """Validate and parse the corpus CSV (header first). Raises PrepaidCorpusError naming
    the line and what is wrong; duplicate ids and duplicate texts are errors too, since
    a repeated text would sit in both the training and the test fold."""
    reader = csv.DictReader(lines)
    header = tuple(reader.fieldnames or ())
    if header != COLUMNS:
        raise PrepaidCorpusError(f"{CORPUS_PATH.name}: header must be {COLUMNS}, not {header}")
    examples: list[PrepaidExample] = []
    ids: set[str] = set()
    texts: set[str] = set()
    for row in reader:
        example = _example(reader.line_num, row)
        if example.id in ids:
            raise _fail(reader.line_num, f"duplicate id {example.id}")
        if example.text in texts:
            raise _fail(reader.line_num, f"id {example.id}: duplicate text")
        ids.add(example.id)
        texts.add(example.text)
        examples.append(example)
    return examples


def load_prepaid_corpus(path: Path = CORPUS_PATH) -> list[PrepaidExample]:
    with path.open(encoding="utf-8", newline="") as fh:
        return parse_rows(fh)


def counts(examples: Iterable[PrepaidExample]) -> dict[str, int]:
    """Rows per origin × label and per subtype, for the guideline and the model card."""
    tally: Counter[str] = Counter()
    for e in examples:
        tally[f"{e.origin}_label{e.label}"] += 1
        if e.subtype:
            tally[f"{e.origin}_{e.subtype}"] += 1
    return dict(sorted(tally.items()))


def _write_candidates(candidates: Iterable[Candidate]) -> Iterator[list[str]]:
    yield ["source", "keywords", "text"]
    for c in candidates:
        yield [c.source, "|".join(c.keywords), c.text]


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "candidates":
        csv.writer(sys.stdout).writerows(_write_candidates(find_candidates()))
        return 0
    if command == "check":
        examples = load_prepaid_corpus()
        in_corpus = {e.source for e in examples if e.origin == "real"}
        left_out = [c for c in find_candidates() if c.source not in in_corpus]
        print(f"{len(examples)} rows valid; {counts(examples)}")
        print(f"{len(left_out)} candidates not in the corpus:")
        csv.writer(sys.stdout).writerows(_write_candidates(left_out))
        return 0
    print("usage: python -m haocha_ml.prepaid_corpus candidates|check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
