"""`haocha ml score`: JSON Lines in, one JSON line out per review, on the committed model;
malformed lines get a clear error each and the others are still scored."""

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from haocha.cli import app
from haocha.ml.cli import BATCH_SIZE

runner = CliRunner()

SCORE_KEYS = {
    "id",
    "fake_probability",
    "prepaid_complaint_probability",
    "prepaid_subtype",
    "sentiment",
    "reasons",
}


def _run(lines: list[str], *args: str) -> tuple[int, list[dict[str, Any]], str]:
    result = runner.invoke(app, ["ml", "score", *args], input="\n".join(lines) + "\n")
    out = [json.loads(line) for line in result.stdout.splitlines()]
    return result.exit_code, out, result.stderr


def _line(**fields: Any) -> str:
    return json.dumps(fields, ensure_ascii=False)


def test_valid_lines_are_scored_with_their_ids() -> None:
    lines = [
        _line(id=1, text="老师很耐心，孩子很喜欢，非常满意"),
        _line(
            id="r-2",
            text="太差了，再也不来了",
            level=5,
            dimensions={"attitude": 1, "quality": 2, "price": 1, "environment": 3},
            amount=88.5,
            photos=2,
            likes=4,
            replied=True,
            created_at="2026-11-20T09:30:00+08:00",
            resident="u17",
            provider="p3",
        ),
        _line(id=3, text="办卡后老板跑路了，三千块的卡退不了，电话也打不通", level=1),
    ]
    code, out, _ = _run(lines)
    assert code == 0
    assert [o["id"] for o in out] == [1, "r-2", 3]
    for scores in out:
        assert set(scores) == SCORE_KEYS
        for key in ("fake_probability", "prepaid_complaint_probability", "sentiment"):
            assert 0.0 <= scores[key] <= 1.0
        assert all(set(reason) == {"code", "zh", "en"} for reason in scores["reasons"])
    assert "文字与评分不符" in [r["zh"] for r in out[1]["reasons"]]
    assert out[2]["prepaid_subtype"] is not None
    assert out[2]["reasons"][-1]["zh"].startswith("预付卡投诉：")


@pytest.mark.parametrize(
    ("line", "review_id", "message"),
    [
        ('{"id": 1, "text": "好"', None, "not valid JSON"),
        ("[1, 2]", None, "expected a JSON object"),
        (_line(text="没有编号"), None, "id: required field missing"),
        (_line(id=7), 7, "text: required field missing"),
        (_line(id=7, text="好", level=7), 7, "level: Input should be less than or equal to 5"),
        (_line(id=7, text="好", level="5"), 7, "level: Input should be a valid integer"),
        (_line(id=7, text="好", level=4.5), 7, "level: Input should be a valid integer"),
        (_line(id=7, text=5), 7, "text: Input should be a valid string"),
        (_line(id=7, text="好", replied="yes"), 7, "replied: Input should be a valid boolean"),
        (_line(id=7, text="好", photos=-1), 7, "photos: Input should be greater than or equal"),
        (_line(id=7, text="好", amount="88"), 7, "amount: Input should be a valid number"),
        (_line(id=7, text="好", dimensions={"attitude": 6}), 7, "dimensions.attitude: Input"),
        (
            _line(id=7, text="好", dimensions={"taste": 4}),
            7,
            "dimensions.taste: unknown dimension (allowed: attitude, quality, price, environment)",
        ),
        (_line(id=7, text="好", dimensions=[5, 4]), 7, "dimensions: Input should be an object"),
        (_line(id=7, text="好", created_at="20. 11. 2026"), 7, "created_at: Input should be"),
        (_line(id=7, text="好", levle=5), 7, "levle: unknown field (allowed: id, text, level"),
        (_line(id=[7], text="好"), None, "id: must be a JSON integer or string"),
        (_line(id=True, text="好"), None, "id: must be a JSON integer or string"),
    ],
)
def test_each_malformed_line_gets_a_clear_error(
    line: str, review_id: int | None, message: str
) -> None:
    code, out, stderr = _run([line])
    assert code == 1
    assert out == [{"id": review_id, "line": 1, "error": out[0]["error"]}]
    assert message in out[0]["error"]
    assert "line 1:" in stderr


def test_mixed_input_scores_the_good_lines_in_order() -> None:
    lines = [
        _line(id="a", text="环境干净，服务热情", level=5),
        "not json at all",
        "",  # blank lines are skipped, but still counted
        _line(id="c", text="等了一个小时", level=9),
        _line(id="d", text="价格实惠，还会再来", created_at="2026-11-22T18:00:00"),
    ]
    code, out, stderr = _run(lines)
    assert code == 1
    assert [o["id"] for o in out] == ["a", None, "c", "d"]
    assert [o.get("line") for o in out] == [None, 2, 4, None]
    assert SCORE_KEYS == set(out[0]) == set(out[3])
    assert "error" in out[1]
    assert "level" in out[2]["error"]
    assert "2 line(s) refused" in stderr


def test_batches_keep_order_across_the_boundary() -> None:
    count = BATCH_SIZE + 3
    lines = [_line(id=i, text=f"第{i}条：服务不错") for i in range(count)]
    lines[BATCH_SIZE] = _line(id=BATCH_SIZE, text="好", level=0)
    code, out, _ = _run(lines)
    assert code == 1
    assert [o["id"] for o in out] == list(range(count))
    assert "error" in out[BATCH_SIZE]
    assert sum("error" in o for o in out) == 1


def test_the_same_text_scores_the_same_in_any_batch() -> None:
    line = _line(id=1, text="态度很好，就是有点贵", level=4)
    _, alone, _ = _run([line])
    _, together, _ = _run([_line(id=0, text="别的评价"), line])
    assert alone[0] == together[1]


def test_a_missing_model_file_stops_with_status_2(tmp_path: Path) -> None:
    missing = tmp_path / "none.joblib"
    code, out, stderr = _run([_line(id=1, text="好")], "--model", str(missing))
    assert code == 2
    assert out == []
    assert "haocha ml train" in stderr


EVALUATION = {
    "fake": {"auc": 0.97, "average_precision": 0.86},
    "op_spam": {"positive": 0.92, "negative": 0.9, "all": 0.91},
    "rings": {
        "precision": 0.95,
        "recall": 0.93,
        "held_out_precision": 0.92,
        "held_out_recall": 0.91,
    },
    "prepaid": {"f1_real": 0.93, "f1_written": 0.95},
    "sentiment": {"chnsenticorp": 0.8971, "waimai": 0.9123},
    "fairness": {"short_text_fpr_ratio": 1.1},
    "throughput_reviews_per_s": 2345.0,
}


def test_evaluate_prints_json_or_a_table_against_the_targets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from haocha_ml import evaluate  # noqa: PLC0415 - patched where the command imports it

    seen: list[tuple[int, Path]] = []

    def stand_in(seed: int, *, model_path: Path) -> dict[str, Any]:
        seen.append((seed, model_path))
        return EVALUATION

    monkeypatch.setattr(evaluate, "evaluate_all", stand_in)
    as_json = runner.invoke(app, ["ml", "evaluate", "--json", "--seed", "7"])
    assert as_json.exit_code == 0
    assert json.loads(as_json.stdout) == EVALUATION
    assert seen[0][0] == 7
    table = runner.invoke(app, ["ml", "evaluate"], terminal_width=160)
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    chnsenticorp = next(line for line in lines if "chnsenticorp" in line)
    assert "0.8971" in chnsenticorp
    assert "below target" in chnsenticorp
    waimai = next(line for line in lines if "waimai" in line)
    assert "ok" in waimai
    assert "below target" not in waimai
