"""The prepaid-card complaint corpus (shape, validation) and the classifier trained on it."""

import io

import pytest
from haocha_ml.prepaid import train_prepaid
from haocha_ml.prepaid_corpus import (
    COLUMNS,
    SUBTYPES,
    PrepaidCorpusError,
    PrepaidExample,
    dedup_key,
    load_prepaid_corpus,
    parse_rows,
)
from haocha_ml.prepaid_cues import CUE_NAMES, cue_vector
from sklearn.pipeline import Pipeline

from haocha.demo.sources import SOURCES

pytestmark = pytest.mark.unit

CLEAR_COMPLAINT = "办了三千块的年卡，才去了两次就关门了，老板电话打不通"
HARD_NEGATIVE = "酒店押金退得很快，服务不错"


@pytest.fixture(scope="module")
def corpus() -> list[PrepaidExample]:
    return load_prepaid_corpus()


@pytest.fixture(scope="module")
def models(corpus: list[PrepaidExample]) -> tuple[Pipeline, Pipeline]:
    # The corpus alone (no extra negatives from ../shared/data): fast, and independent of
    # the shared data folder.
    return train_prepaid(examples=corpus, extra_negatives=())


def _csv(*rows: str) -> io.StringIO:
    return io.StringIO("\n".join([",".join(COLUMNS), *rows]) + "\n")


def test_corpus_has_both_origins_all_subtypes_and_enough_rows(
    corpus: list[PrepaidExample],
) -> None:
    assert len(corpus) >= 400
    origins = {e.origin for e in corpus}
    assert origins == {"real", "written"}
    assert sum(e.origin == "real" for e in corpus) >= 200
    written_subtypes = [e.subtype for e in corpus if e.origin == "written" and e.label == 1]
    for subtype in SUBTYPES:
        assert written_subtypes.count(subtype) >= 25, subtype
    assert {e.label for e in corpus if e.origin == "written"} == {0, 1}


def test_corpus_has_no_duplicate_texts_even_up_to_spacing(corpus: list[PrepaidExample]) -> None:
    keys = [dedup_key(e.text) for e in corpus]
    assert len(set(keys)) == len(keys)


def test_real_rows_point_to_a_shared_data_file_and_row(corpus: list[PrepaidExample]) -> None:
    files = {s.path for s in SOURCES}
    for example in corpus:
        if example.origin == "real":
            path, _, row = example.source.partition("#")
            assert path in files, example.id
            assert row.isdigit(), example.id
            assert int(row) >= 1, example.id
        else:
            assert example.source == "team", example.id


def test_loader_accepts_a_good_row() -> None:
    rows = parse_rows(
        _csv(
            "w1,卡里的钱退不了,1,refund_refused,written,team,beauty,",
            "w2,菜太咸了,0,,written,team,catering,",
        )
    )
    assert [(r.id, r.label, r.subtype) for r in rows] == [
        ("w1", 1, "refund_refused"),
        ("w2", 0, None),
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("w1,卡退不了,2,refund_refused,written,team,beauty,", "label must be 0 or 1"),
        ("w1,卡退不了,1,,written,team,beauty,", "label 1 needs a subtype"),
        ("w1,卡退不了,1,refunds,written,team,beauty,", "label 1 needs a subtype"),
        ("w1,菜太咸了,0,refund_refused,written,team,catering,", "must have an empty subtype"),
        ("w1,卡退不了,1,refund_refused,scraped,team,beauty,", "origin must be one of"),
        ("r1,卡退不了,1,refund_refused,real,team,beauty,", "a real row's source"),
        ("r1,卡退不了,1,refund_refused,real,nowhere.csv#3,beauty,", "a real row's source"),
        ("w1,卡退不了,1,refund_refused,written,x.csv#1,beauty,", "a written row's source"),
        ("w1,,0,,written,team,,", "empty text"),
    ],
)
def test_loader_rejects_a_bad_row_naming_line_and_problem(row: str, message: str) -> None:
    with pytest.raises(PrepaidCorpusError, match=message) as caught:
        parse_rows(_csv("w0,菜太咸了,0,,written,team,catering,", row))
    assert "line 3" in str(caught.value)


def test_loader_rejects_duplicate_texts_and_a_wrong_header() -> None:
    with pytest.raises(PrepaidCorpusError, match="duplicate text"):
        parse_rows(_csv("w1,菜太咸了,0,,written,team,,", "w2,菜太咸了,0,,written,team,,"))
    with pytest.raises(PrepaidCorpusError, match="header"):
        parse_rows(io.StringIO("id,text,label\nw1,菜太咸了,0\n"))


def test_cues_see_the_conjunction_of_object_and_harm() -> None:
    cues = dict(zip(CUE_NAMES, cue_vector(CLEAR_COMPLAINT), strict=True))
    assert cues["object_and_closed_unreachable"] == 1.0
    assert cues["object_harm_unsettled"] == 1.0
    settled = dict(zip(CUE_NAMES, cue_vector("健身房要关门了，卡里的钱全额退回来了"), strict=True))
    assert settled["settled"] == 1.0
    assert settled["object_harm_unsettled"] == 0.0


@pytest.mark.parametrize(
    "text",
    [
        "显卡不能用，声卡驱动也找不到",  # computer parts
        "说是双卡双待，卡2却不能用",  # SIM slots
        "玩游戏卡爆了，超过半个月不能退",  # "lagging"
        "电信卡不能用，被忽悠了",  # a telecom card
        "双人套餐里的可乐没给，退也退不了",  # a set meal ordered once
        "送餐员不认路，让我自己下楼拿",  # 不认路 is not "does not honour"
    ],
)
def test_cues_do_not_take_device_cards_or_set_meals_for_prepaid(text: str) -> None:
    cues = dict(zip(CUE_NAMES, cue_vector(text), strict=True))
    assert cues["object"] == 0.0
    assert cues["object_harm_unsettled"] == 0.0


@pytest.mark.parametrize(
    "text",
    [
        "我那个卡去了好几次都说今天不行",
        "办的护理套餐还剩八次，店关门了",
        "新老板不认老会员卡",
        "卡到期前一个月店就关了",  # 卡到 as "lagging until" must not eat 卡到期
    ],
)
def test_cues_still_see_prepaid_cards_and_packages(text: str) -> None:
    assert dict(zip(CUE_NAMES, cue_vector(text), strict=True))["object"] == 1.0


def test_model_separates_a_clear_complaint_from_a_hard_negative(
    models: tuple[Pipeline, Pipeline],
) -> None:
    binary, subtype = models
    complaint, negative = binary.predict_proba([CLEAR_COMPLAINT, HARD_NEGATIVE])[:, 1]
    assert complaint > 0.5 > negative
    assert subtype.predict([CLEAR_COMPLAINT])[0] == "closed_unreachable"


def test_subtype_model_answers_with_the_five_subtypes(models: tuple[Pipeline, Pipeline]) -> None:
    _, subtype = models
    assert set(subtype.classes_) == set(SUBTYPES)
    predicted = subtype.predict(
        ["健身房换了老板，新老板不认以前的卡", "美容院办卡的时候承诺送的项目一次都没做"]
    )
    assert list(predicted) == ["transfer_voided", "misleading_sale"]
