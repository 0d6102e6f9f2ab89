"""The fake-review model's features, its explanation and the corpus loaders, on small
synthetic data (the 5-fold evaluation on dp_cdc is `haocha ml evaluate`, not a unit test)."""

import hashlib
import math
import pickle
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from haocha_ml import corpora
from haocha_ml.corpora import DpCdcRow, corpus_path, dp_cdc_review_input, file_sha256
from haocha_ml.fake import build_fake_model, fake_reasons
from hypothesis import given
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from haocha.ml.contract import Reason, ReviewInput
from haocha.ml.ngrams import folded_codes
from haocha.ml.review_features import (
    METADATA_FEATURES,
    REASON_PROBES,
    CharNgramTfidf,
    ReviewMetadata,
    blank_fields,
)
from haocha.ml.text import normalize

DIMENSIONS = ("attitude", "quality", "price", "environment")

reviews = st.builds(
    ReviewInput,
    text=st.text(max_size=300),
    level=st.one_of(st.none(), st.integers(-(10**6), 10**6)),
    dimensions=st.dictionaries(
        st.sampled_from([*DIMENSIONS, "other"]), st.integers(-(10**30), 10**30)
    ),
    amount=st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
    photos=st.integers(-(10**400), 10**400),
    likes=st.integers(-(10**9), 10**9),
    replied=st.booleans(),
    created_at=st.one_of(st.none(), st.datetimes()),
    verified=st.booleans(),
    prepaid=st.booleans(),
    author_review_count=st.integers(0, 10**12),
    author_good_share=st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True)),
    same_client_recent=st.integers(0, 10**6),
    provider_review_count=st.integers(0, 10**9),
)


@given(st.lists(reviews, max_size=5))
def test_metadata_is_always_finite(batch: list[ReviewInput]) -> None:
    matrix = ReviewMetadata().transform(batch)
    assert matrix.shape == (len(batch), len(METADATA_FEATURES))
    assert np.isfinite(matrix).all()


@given(st.lists(st.text(max_size=200), max_size=6))
def test_char_ngrams_are_finite_unit_rows(texts: list[str]) -> None:
    vectorizer = CharNgramTfidf(min_df=1).fit(["服务很好，下次再来", "价格实在 Good!", "差"])
    matrix = vectorizer.transform(texts)
    assert matrix.shape[0] == len(texts)
    assert np.isfinite(matrix.data).all()
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    # A row is either empty (no known n-gram) or l2-normalised.
    assert all(math.isclose(n, 0.0) or math.isclose(n, 1.0) for n in norms)


def test_missing_fields_have_their_own_values() -> None:
    row = dict(
        zip(METADATA_FEATURES, ReviewMetadata().transform([ReviewInput(text="")])[0], strict=True)
    )
    assert row["level_missing"] == 1.0
    assert row["amount_missing"] == 1.0
    assert row["time_missing"] == 1.0
    assert row["dimensions_given"] == 0.0
    assert row["text_chars"] == 0.0


def test_metadata_reads_the_fields() -> None:
    review = ReviewInput(
        text="好",
        level=5,
        dimensions={"attitude": 5, "quality": 3},
        amount=80.0,
        photos=4,
        created_at=datetime(2026, 11, 23, 18, 30, tzinfo=UTC),
    )
    row = dict(zip(METADATA_FEATURES, ReviewMetadata().transform([review])[0], strict=True))
    assert row["level"] == 5.0
    assert row["dimensions_given"] == 2.0
    assert row["dimensions_at_max"] == 1.0
    assert row["dimension_spread"] == 2.0
    assert row["level_minus_dimensions"] == 1.0
    assert row["amount"] == pytest.approx(math.log1p(80.0))
    assert row["photos"] == 4.0
    assert row["hour"] == 18.0
    assert row["weekday"] == 0.0  # a Monday


def test_folding_matches_normalize() -> None:
    texts = ["  ＡＢＣ　服务  很好\n\tOK ", "", "价格,实在!", "x\x00y"]
    codes, documents = folded_codes(texts)
    folded = codes.tobytes().decode("utf-32-le").split("\x00")[:-1]
    assert folded == [normalize(t.replace("\x00", "")) for t in texts]
    assert documents[-1] == len(texts) - 1


def test_char_ngram_tfidf_equals_scikit_learn_without_collisions() -> None:
    corpus = ["服务很好，下次再来", "老师很耐心，孩子喜欢", "服务态度差，等了很久", "很好很好"]
    ours = CharNgramTfidf(max_n=3, min_df=2).fit(corpus)
    theirs = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2).fit(
        [normalize(t) for t in corpus]
    )
    assert len(ours.idf_) == len(theirs.vocabulary_)  # no two kept n-grams share a bucket
    queries = ["服务很好", "孩子很喜欢老师", "等了很久很久"]
    mine = ours.transform(queries).toarray()
    reference = theirs.transform([normalize(t) for t in queries]).toarray()
    # Columns are in another order; each row holds the same values.
    np.testing.assert_allclose(np.sort(mine, axis=1), np.sort(reference, axis=1))


def _synthetic(seed: int, n: int) -> tuple[list[ReviewInput], list[int]]:
    """Fake reviews: long, templated, top marks, many photos; genuine ones vary."""
    rng = np.random.default_rng(seed)
    template = (
        "强烈推荐！环境优雅，服务热情周到，菜品精致美味，性价比超高，下次还会再来，五星好评！"
    )
    plain = ["味道还行", "等了很久", "老师很耐心", "价格偏贵", "阿姨很负责", "下次不来了", "还可以"]
    result: list[ReviewInput] = []
    labels: list[int] = []
    for i in range(n):
        if i % 3 == 0:
            result.append(
                ReviewInput(
                    text=template * (4 + i % 2),
                    level=5,
                    dimensions=dict.fromkeys(DIMENSIONS, 5),
                    photos=9,
                )
            )
            labels.append(1)
        else:
            # About as long as dp_cdc's genuine reviews (median 113 characters), which
            # the reasons take as typical.
            phrases = rng.choice(plain, size=int(rng.integers(18, 24)))
            result.append(
                ReviewInput(
                    text="，".join(phrases),
                    level=int(rng.integers(2, 6)),
                    dimensions={d: int(rng.integers(2, 6)) for d in DIMENSIONS},
                    photos=int(rng.integers(0, 3)),
                )
            )
            labels.append(0)
    return result, labels


@pytest.fixture(scope="module")
def small_model() -> object:
    train, labels = _synthetic(1, 150)
    return build_fake_model(seed=7).fit(train, labels)


def test_model_separates_and_is_deterministic(small_model: object) -> None:
    train, labels = _synthetic(1, 150)
    test, test_labels = _synthetic(2, 60)
    again = build_fake_model(seed=7).fit(train, labels)
    first = small_model.predict_proba(test)[:, 1]  # type: ignore[attr-defined]
    np.testing.assert_array_equal(first, again.predict_proba(test)[:, 1])
    assert ((first >= 0) & (first <= 1)).all()
    fake = np.array(test_labels) == 1
    assert first[fake].min() > first[~fake].max()


def test_model_survives_pickling(small_model: object) -> None:
    test, _ = _synthetic(3, 10)
    loaded = pickle.loads(pickle.dumps(small_model))  # noqa: S301 -- our own object, just pickled
    np.testing.assert_array_equal(
        loaded.predict_proba(test),
        small_model.predict_proba(test),  # type: ignore[attr-defined]
    )


def test_reasons_explain_fakes_and_spare_honest_reviews(small_model: object) -> None:
    fake = ReviewInput(
        text="强烈推荐！环境优雅，服务热情周到，菜品精致美味，性价比超高，下次还会再来，五星好评！"
        * 4,
        level=5,
        dimensions=dict.fromkeys(DIMENSIONS, 5),
        photos=9,
    )
    honest = ReviewInput(
        text="，".join(["老师很耐心", "价格偏贵", "等了很久", "还可以"] * 5),
        level=4,
        dimensions={"attitude": 4},
    )
    reasons = fake_reasons(small_model, fake)  # type: ignore[arg-type]
    known = {probe.reason for probe in REASON_PROBES}
    assert reasons
    assert set(reasons) <= known
    assert all(isinstance(r, Reason) and r.zh and r.en for r in reasons)
    assert fake_reasons(small_model, honest) == []  # type: ignore[arg-type]
    assert small_model.reasons([]) == []  # type: ignore[attr-defined]


def test_blanking_a_field_matches_a_review_without_it() -> None:
    full = ReviewInput(
        text="好", level=5, dimensions=dict.fromkeys(DIMENSIONS, 4), amount=50.0, photos=2
    )
    bare = ReviewInput(text="好", level=5, amount=50.0, photos=2)
    rows = ReviewMetadata().transform([full, bare])
    np.testing.assert_array_equal(blank_fields(rows[:1], ["dimensions"])[0], rows[1])


def test_corpus_missing_says_where_to_look(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HAOCHA_SHARED_DATA", str(tmp_path))
    with pytest.raises(corpora.CorpusMissing, match="HAOCHA_SHARED_DATA"):
        corpus_path(corpora.DP_CDC)
    with pytest.raises(corpora.CorpusMissing):
        corpora.load_waimai()


def test_file_sha256(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("label,review\n1,好\n", encoding="utf-8")
    assert file_sha256(path) == hashlib.sha256(path.read_bytes()).hexdigest()


def test_dp_cdc_mapping() -> None:
    row = DpCdcRow(
        id=1,
        fake=True,
        text="好",
        overall=4.5,
        taste=0.5,
        environment=3.0,
        service=5.0,
        ingredient=2.5,
        consumption=0.0,
        picture=3,
        like=2,
        response=True,
        time=datetime(2020, 5, 1, 12, 0),  # noqa: DTZ001 -- dp_cdc times are naive
        vip=True,
        discount=False,
        food=0,
        interaction=1,
    )
    review = dp_cdc_review_input(row)
    assert review.level == 5
    assert review.dimensions == {"attitude": 5, "quality": 1, "price": 3, "environment": 3}
    assert review.amount is None
    assert (review.photos, review.likes, review.replied) == (3, 2, True)
